// The CPU reference engine the worker falls back to without WebGPU: it trains, pauses, steps, probes, and predicts.
import { describe, expect, it } from 'vitest';
import { buildTrainingSet, parseCsvString, trainConfigFields } from '../../src/data/index';
import { noisySineCsv } from '../../src/data/builtin_datasets';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { trainingDataOf } from '../../src/training/from_training_set';
import type { TrainingSnapshot } from '../../src/training/types';
import { cpuPredict, cpuProbe, initialParamMap } from '../../src/worker/cpu_model';
import { CpuSession } from '../../src/worker/cpu_session';

async function sineSet() {
  const table = await parseCsvString(noisySineCsv(240));
  return buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 8 });
}

function configFor(set: Awaited<ReturnType<typeof sineSet>>, patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_CONFIG, ...trainConfigFields(set), hiddenSize: 6, batchSize: 16, epochs: 3, learningRate: 0.02, ...patch };
}

describe('CpuSession', () => {
  it('trains: epoch 0 is the untrained model, the validation loss falls, snapshots report progress', async () => {
    const set = await sineSet();
    const snaps: TrainingSnapshot[] = [];
    const session = new CpuSession({ config: configFor(set), data: trainingDataOf(set, ['sine']), callbacks: { onSnapshot: (s) => snaps.push(s) } });
    const result = await session.start();
    expect(result.reason).toBe('completed');
    const h = result.snapshot.history;
    expect(h.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
    expect(h[3].valLoss).toBeLessThan(h[0].valLoss / 2);
    expect(result.snapshot.state).toBe('done');
    expect(result.snapshot.step).toBe(3 * Math.ceil(set.train.count / 16));
    expect(Number.isFinite(result.snapshot.gradNorm)).toBe(true);
    expect(snaps.some((s) => s.state === 'training')).toBe(true);
  });

  it('is seeded: the same config gives the same curve', async () => {
    const set = await sineSet();
    const run = () => new CpuSession({ config: configFor(set, { epochs: 1 }), data: trainingDataOf(set, ['sine']) }).start();
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.snapshot.history).toEqual(b.snapshot.history);
  });

  it('starts paused, steps one batch at a time, and stops', async () => {
    const set = await sineSet();
    const states: string[] = [];
    const session = new CpuSession({ config: configFor(set), data: trainingDataOf(set, ['sine']), startPaused: true, callbacks: { onSnapshot: (s) => states.push(`${s.state}:${s.step}`) } });
    const done = session.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(session.snapshot().state).toBe('paused');
    session.stepOnce();
    await new Promise((r) => setTimeout(r, 20));
    expect(session.snapshot().step).toBe(1);
    expect(session.snapshot().state).toBe('paused');
    session.stop();
    const result = await done;
    expect(result.reason).toBe('stopped');
    expect(result.snapshot.step).toBe(1);
  });

  it('rolls back and explains a divergence', async () => {
    const set = await sineSet();
    const result = await new CpuSession({ config: configFor(set, { learningRate: 1e4 }), data: trainingDataOf(set, ['sine']) }).start();
    expect(result.reason).toBe('diverged');
    expect(result.message).toMatch(/lower the learning rate/);
  });
});

describe('CPU probe and predict', () => {
  it('gives every LSTM gate as [T][H] and a gradient norm per step', async () => {
    const set = await sineSet();
    const c = configFor(set);
    const p = initialParamMap(c);
    const probe = cpuProbe(c, p, set.validation.x.slice(0, 8), set.validation.y.slice(0, 1), 0, 0);
    expect(probe.names).toEqual(['i', 'f', 'g', 'o', 'c', 'h']);
    for (const n of probe.names) expect(probe.values[n]).toHaveLength(8 * 6);
    expect(probe.gradNorm).toHaveLength(8);
    expect(Array.from(probe.values.f).every((v) => v > 0 && v < 1)).toBe(true);
    expect(cpuPredict(c, p, set.validation.x, set.validation.count)).toHaveLength(set.validation.count);
  });

  it('shows the vanishing gradient: an RNN gradient shrinks faster into the past than an LSTM’s', async () => {
    const set = await sineSet();
    const ratio = (cell: 'rnn' | 'gru') => {
      const c = configFor(set, { cell, hiddenSize: 8 });
      const g = cpuProbe(c, initialParamMap(c), set.validation.x.slice(0, 8), set.validation.y.slice(0, 1), 0, 0).gradNorm;
      return g[0] / g[7];
    };
    expect(ratio('rnn')).toBeLessThan(1);
    expect(Number.isFinite(ratio('gru'))).toBe(true);
  });
});
