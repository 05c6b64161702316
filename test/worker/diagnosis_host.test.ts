// The worker's run diagnosis in Node on the CPU engine: an empty one when a run starts, one after each epoch and at
// the end, naming underfitting for a learning rate of 1e-7 (with the fix), and not for a run that learns.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import type { WorkerEvent } from '../../src/worker/protocol';
import { TrainingWorker } from '../../src/worker/worker_host';

type Diagnosis = Extract<WorkerEvent, { type: 'diagnosis' }>['diagnosis'];

async function run(config: TrainConfig): Promise<{ diagnoses: Diagnosis[]; events: WorkerEvent[] }> {
  const events: WorkerEvent[] = [];
  const worker = new TrainingWorker({ post: (e) => events.push(e), requestDevice: () => Promise.reject(new Error('No WebGPU adapter in this test.')) });
  const until = async (ok: (e: WorkerEvent) => boolean) => {
    for (let i = 0; i < 2000 && !events.some(ok); i++) await new Promise((r) => setTimeout(r, 10));
    if (!events.some(ok)) throw new Error(`the event did not come; events: ${events.map((e) => e.type).join(' ')}`);
  };
  try {
    await worker.boot();
    worker.handle({ type: 'use-cpu' });
    worker.handle({ type: 'load', source: { kind: 'example', id: 'sine' }, choices: { task: 'forecast', targets: ['value'], window: 8 } as never });
    await until((e) => e.type === 'data');
    worker.handle({ type: 'configure', config });
    worker.handle({ type: 'start' });
    await until((e) => e.type === 'done');
    // the final evaluation comes after the end; the worker checks it (and posts the diagnosis) before sending it on
    await until((e) => e.type === 'evaluation' && events.findIndex((x) => x.type === 'done') < events.indexOf(e));
  } finally {
    await worker.dispose();
  }
  return { diagnoses: events.flatMap((e) => (e.type === 'diagnosis' ? [e.diagnosis] : [])), events };
}

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 3, seed: 4, window: 8 };

describe('worker diagnosis', () => {
  it('a learning rate of 1e-7: empty at the start, then underfitting after the epochs, with the learning rate to apply', async () => {
    const { diagnoses } = await run({ ...CONFIG, learningRate: 1e-7 });
    expect(diagnoses[0]).toEqual({ epoch: 0, final: false, findings: [] });
    // one after each epoch at least (evaluations and probes may add more)
    for (const epoch of [1, 2, 3]) expect(diagnoses.some((d) => d.epoch === epoch)).toBe(true);
    const last = diagnoses.at(-1)!;
    expect(last.final).toBe(true);
    const f = last.findings.find((x) => x.check === 'underfitting');
    expect(f, JSON.stringify(last.findings)).toMatchObject({ severity: 'warning', apply: { learningRate: 0.01 } });
    // while training it waits 3 epochs before calling it
    expect(diagnoses.filter((d) => d.epoch < 3).some((d) => d.findings.some((x) => x.check === 'underfitting'))).toBe(false);
  }, 60_000);

  it('a run that learns (learning rate 0.02) is not called underfit', async () => {
    const { diagnoses } = await run({ ...CONFIG, learningRate: 0.02 });
    const last = diagnoses.at(-1)!;
    expect(last.final).toBe(true);
    expect(last.findings.map((x) => x.check)).not.toContain('underfitting');
  }, 60_000);
});
