// The training session on each engine (WebGPU on a Dawn device, and the CPU engine): determinism, divergence
// roll-back, early stopping, pause/step, checkpoint and resume, schedules.
import { describe, expect, it } from 'vitest';
import { cpuEngines, gpuEngines, type EngineFactory } from '../../src/training/engine_factory';
import { cosineLr } from '../../src/training/lr_schedule';
import { TrainingSession } from '../../src/training/session';
import type { TrainingSnapshot } from '../../src/training/types';
import { useGpu } from '../gpu/harness';
import { curveBits, runSession, sameWeights, sineData, TINY } from './helpers';

const gpu = useGpu();

for (const kind of ['webgpu', 'cpu'] as const) {
/** A fresh factory per session, as the worker and the CLI make them. */
const engines = (): EngineFactory => (kind === 'webgpu' ? gpuEngines(gpu.ctx()) : cpuEngines());

describe(`training session on the ${kind} engine`, () => {
  it('the same data, config and seed give the same loss curve and weights, bit for bit; another seed does not', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const a = await runSession({ config: TINY, data, engines: engines() });
      const b = await runSession({ config: TINY, data, engines: engines() });
      const c = await runSession({ config: { ...TINY, seed: 12 }, data, engines: engines() });
      expect(a.result.reason).toBe('completed');
      expect(a.result.snapshot.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
      expect(a.result.snapshot.history[3].valLoss).toBeLessThan(a.result.snapshot.history[0].valLoss);
      expect(curveBits(b.result.snapshot)).toEqual(curveBits(a.result.snapshot));
      expect(sameWeights(await a.session.exportParameters(), await b.session.exportParameters())).toBe(true);
      expect(curveBits(c.result.snapshot)).not.toEqual(curveBits(a.result.snapshot));
      const s = a.result.snapshot;
      expect(s.state).toBe('done');
      expect(s.step).toBe(3 * 5);
      expect(s.stepsPerEpoch).toBe(5);
      expect(s.samplesPerSec).toBeGreaterThan(0);
      expect(s.msPerStep).toBeGreaterThan(0);
      expect(Number.isFinite(s.gradNorm)).toBe(true);
      expect(a.checkpoints.map((c) => c.reason)).toEqual(['start', 'epoch', 'epoch', 'epoch', 'end']);
      for (const r of [a, b, c]) await r.session.dispose();
    }));

  it('learning rate 1e4 (Adam): stops with the divergence message and the weights of the last good checkpoint', () =>
    gpu.scoped(async () => {
      const r = await runSession({ config: { ...TINY, learningRate: 1e4, epochs: 5 }, data: sineData(), engines: engines() });
      expect(r.result.reason).toBe('diverged');
      expect(r.result.snapshot.state).toBe('error');
      expect(r.errors).toHaveLength(1);
      console.log(`[session] ${r.errors[0].message}`);
      expect(r.errors[0].kind).toBe('diverged');
      expect(r.errors[0].message).toMatch(/rolled back to the last good checkpoint, the start of training/);
      expect(r.errors[0].message).toMatch(/lower the learning rate \(10000 → 1000 or less\)/);
      expect(r.errors[0].message).toMatch(/gradient clipping/);
      // The last good checkpoint is the untrained model: the same weights a fresh engine with this seed starts from.
      const factory = engines();
      await factory.ready();
      const fresh = await factory.build({ ...TINY, learningRate: 1e4 });
      const initial = await fresh.readParameters();
      fresh.dispose();
      expect(sameWeights(await r.session.exportParameters(), initial)).toBe(true);
      expect(sameWeights(r.session.lastCheckpoint()!.parameters, initial)).toBe(true);
      expect(r.checkpoints.at(-1)!.cp.finished).toBe(true);
      await r.session.dispose();
    }));

  it('learning rate 1e4 (SGD) after good epochs: the non-finite gradient is caught and the weights roll back to the epoch checkpoint', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const sgd = { ...TINY, optimizer: 'sgd' as const, momentum: 0, learningRate: 0.05, epochs: 2 };
      const good = await runSession({ config: sgd, data, engines: engines() });
      expect(good.result.reason).toBe('completed');
      const cp = good.session.lastCheckpoint()!;
      expect(cp.epoch).toBe(2);
      // Only the non-finite check: no loss ceiling, no mid-epoch snapshots.
      const r = await runSession({ config: { ...sgd, learningRate: 1e4, epochs: 6 }, data, engines: engines(), resumeFrom: cp, divergenceFactor: Infinity, snapshotIntervalMs: 1e9 });
      expect(r.result.reason).toBe('diverged');
      expect(r.errors[0].message).toMatch(/non-finite loss or gradient/);
      console.log(`[session] ${r.errors[0].message}`);
      // float32 on the GPU overflows in the first epoch at this rate; the CPU engine's float64 steps last an epoch or two
      // longer. Either way the run goes back to its last epoch checkpoint, and to nothing later.
      const at = r.result.snapshot.epoch;
      if (kind === 'webgpu') expect(at).toBe(2);
      else expect(at).toBeGreaterThanOrEqual(2);
      expect(r.errors[0].message).toMatch(new RegExp(`rolled back to the last good checkpoint, epoch ${at}, step ${at * 5}\\b`));
      const rolledTo = at === 2 ? cp : r.checkpoints.find((c) => c.reason === 'epoch' && c.cp.epoch === at)!.cp;
      expect(sameWeights(await r.session.exportParameters(), rolledTo.parameters)).toBe(true);
      expect(curveBits(r.result.snapshot).slice(0, 3)).toEqual(curveBits(good.result.snapshot));
      expect(r.result.snapshot.history).toHaveLength(at + 1);
      for (const x of [good, r]) await x.session.dispose();
    }));

  it('early stopping stops after `patience` epochs without a better validation loss and restores the best epoch', () =>
    gpu.scoped(async () => {
      // Validation targets are the negated series: the better the fit to training data, the worse validation gets.
      const r = await runSession({ config: { ...TINY, epochs: 12, learningRate: 0.05 }, data: sineData(40, 12, 6, true), engines: engines(), earlyStoppingPatience: 2 });
      expect(r.result.reason).toBe('early-stopped');
      console.log(`[session] ${r.result.message} ${JSON.stringify(r.result.snapshot.history.map((h) => h.valLoss))}`);
      const s = r.result.snapshot;
      const best = s.bestEpoch!;
      expect(best).toBeGreaterThanOrEqual(1);
      expect(s.epoch).toBe(best + 2);
      const vals = s.history.slice(1).map((h) => h.valLoss);
      expect(Math.min(...vals)).toBe(s.history[best].valLoss);
      expect(r.result.message).toMatch(new RegExp(`best epoch \\(${best}\\)`));
      const bestCp = r.checkpoints.find((c) => c.reason === 'epoch' && c.cp.epoch === best)!.cp;
      expect(sameWeights(await r.session.exportParameters(), bestCp.parameters)).toBe(true);
      await r.session.dispose();
    }));

  it('pause, single steps, resume and stop act between batches, and do not change the numbers', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const plain = await runSession({ config: { ...TINY, epochs: 2 }, data, engines: engines() });
      const seen: TrainingSnapshot[] = [];
      const session = new TrainingSession({ config: { ...TINY, epochs: 2 }, data, engines: engines(), startPaused: true, callbacks: { onSnapshot: (s) => seen.push(s) } });
      const done = session.start();
      const waitFor = async (ok: (s: TrainingSnapshot) => boolean) => {
        for (let i = 0; i < 400 && !seen.some(ok); i++) await new Promise((r) => setTimeout(r, 25));
        expect(seen.some(ok)).toBe(true);
      };
      await waitFor((s) => s.state === 'paused');
      expect(session.snapshot().step).toBe(0);
      session.stepOnce();
      await waitFor((s) => s.state === 'paused' && s.step === 1);
      session.stepOnce();
      session.stepOnce();
      await waitFor((s) => s.state === 'paused' && s.step === 3);
      // Paused means paused: nothing moves while nobody asks (300 ms is many steps of this model on either engine).
      await new Promise((r) => setTimeout(r, 300));
      expect(session.snapshot().step).toBe(3);
      expect(seen.filter((s) => s.step > 3)).toEqual([]);
      session.resume();
      const result = await done;
      expect(result.reason).toBe('completed');
      expect(curveBits(result.snapshot)).toEqual(curveBits(plain.result.snapshot));
      expect(sameWeights(await session.exportParameters(), await plain.session.exportParameters())).toBe(true);

      const stopping = new TrainingSession({ config: { ...TINY, epochs: 50 }, data, engines: engines(), callbacks: { onEpochEnd: (rec) => rec.epoch === 1 && stopping.stop() } });
      const stopped = await stopping.start();
      expect(stopped.reason).toBe('stopped');
      expect(stopped.snapshot.state).toBe('done');
      expect(stopped.snapshot.epoch).toBe(1);
      for (const s of [session, stopping, plain.session]) await s.dispose();
    }));

  it('a run stopped mid-epoch and resumed from its stored checkpoint ends with the same weights, bit for bit', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const config = { ...TINY, epochs: 3 };
      const plain = await runSession({ config, data, engines: engines() });
      // Checkpoint after every batch (as the 30 s timer would on a long epoch); stop in the middle of epoch 2.
      const first = await runSession({ config, data, engines: engines(), checkpointIntervalMs: 0, snapshotIntervalMs: 0 }, (s, session) => s.epoch === 1 && s.stepInEpoch === 2 && session.stop());
      expect(first.result.reason).toBe('stopped');
      const cp = first.session.lastCheckpoint()!;
      expect([cp.epoch, cp.stepInEpoch, cp.step]).toEqual([1, 2, 7]);
      expect(first.checkpoints.some((c) => c.reason === 'interval')).toBe(true);
      // What IndexedDB gives back is a structured clone.
      const stored = structuredClone(cp);
      const resumed = await runSession({ config, data, engines: engines(), resumeFrom: stored });
      expect(resumed.result.reason).toBe('completed');
      expect(sameWeights(await resumed.session.exportParameters(), await plain.session.exportParameters())).toBe(true);
      const a = plain.result.snapshot.history, b = resumed.result.snapshot.history;
      expect(b.map((h) => h.valLoss)).toEqual(a.map((h) => h.valLoss));
      // The resumed epoch's mean training loss joins the saved partial sum with the new one (last-bit rounding only).
      b.forEach((h, i) => (Number.isNaN(h.trainLoss) ? expect(a[i].trainLoss).toBeNaN() : expect(h.trainLoss).toBeCloseTo(a[i].trainLoss, 6)));
      expect(resumed.result.snapshot.step).toBe(plain.result.snapshot.step);
      for (const r of [plain, first, resumed]) await r.session.dispose();
    }));

  it('cosine and step schedules set each epoch’s learning rate as torch would', () =>
    gpu.scoped(async () => {
      const data = sineData(16, 8);
      const cos = await runSession({ config: { ...TINY, epochs: 4, schedule: 'cosine', minLearningRate: 0.001 }, data, engines: engines() });
      expect(cos.result.snapshot.history.slice(1).map((h) => h.learningRate)).toEqual([0, 1, 2, 3].map((e) => cosineLr(0.02, 0.001, e, 4)));
      const step = await runSession({ config: { ...TINY, epochs: 5, schedule: 'step', scheduleStepEpochs: 2, scheduleGamma: 0.5 }, data, engines: engines() });
      expect(step.result.snapshot.history.slice(1).map((h) => h.learningRate)).toEqual([0.02, 0.02, 0.01, 0.01, 0.005]);
      for (const r of [cos, step]) await r.session.dispose();
    }));

  it('refuses data that does not fit the config, a checkpoint of another model or other data, and a model over the GPU limits, with plain messages', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const bad = await runSession({ config: { ...TINY, window: 7 }, data, engines: engines() });
      expect(bad.result.reason).toBe('failed');
      expect(bad.errors[0]).toMatchObject({ kind: 'data' });
      expect(bad.errors[0].message).toMatch(/trainX holds 240 values but 40 samples of 7 need 280/);
      const good = await runSession({ config: { ...TINY, epochs: 1 }, data, engines: engines() });
      const cp = good.session.lastCheckpoint()!;
      const other = await runSession({ config: { ...TINY, hiddenSize: 7 }, data, engines: engines(), resumeFrom: cp });
      expect(other.errors[0].message).toMatch(/different model \(hiddenSize was 6, now 7\)/);
      const moved = await runSession({ config: TINY, data: { ...data, names: ['other.csv', 'value'] }, engines: engines(), resumeFrom: cp });
      expect(moved.errors[0].message).toMatch(/trained on different data/);
      for (const r of [bad, good, other, moved]) await r.session.dispose();
      if (kind !== 'webgpu') return;
      // Over the GPU's limits: the engine's plain message (which setting to lower) reaches the person unchanged.
      const T = 4096;
      const huge = { names: ['huge'], trainX: new Float32Array(T), trainY: new Float32Array(1), trainCount: 1, valX: new Float32Array(0), valY: new Float32Array(0), valCount: 0 };
      const oom = await runSession({ config: { ...TINY, hiddenSize: 2048, window: T, batchSize: 4096 }, data: huge, engines: engines() });
      expect(oom.result.reason).toBe('failed');
      expect(oom.errors[0].kind).toBe('setup');
      expect(oom.errors[0].message).toMatch(/maxStorageBufferBindingSize.*Lower the batch size, the window or the hidden size/);
      await oom.session.dispose();
    }));
});
}
