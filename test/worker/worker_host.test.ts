// The training worker without a browser: its commands (load, start, stop, open a saved run, export, import, step)
// driven in Node, on the CPU engine as in a browser without WebGPU, with runs saved to a fake IndexedDB.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { workerHarness, type EventOf } from './harness';

/** A worker whose events are recorded; `until` waits for an event (polling, 20 s at most) and returns it. */
function harness(idb: IDBFactory, requestDevice?: () => Promise<never>) {
  const h = workerHarness(idb, { requestDevice });
  const errors = () => h.events.filter((e): e is EventOf<'error'> => e.type === 'error').map((e) => e.message);
  return { ...h, errors };
}

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 3, learningRate: 0.02, seed: 4 };

async function loaded(h: ReturnType<typeof harness>, config = CONFIG) {
  await h.worker.boot();
  h.send({ type: 'use-cpu' });
  await h.until('engine', (e) => e.engine.kind === 'cpu');
  h.send({ type: 'load', source: { kind: 'example', id: 'sine' }, choices: { task: 'forecast', targets: ['value'], window: 8 } as never });
  await h.until('data');
  h.send({ type: 'configure', config });
}

describe('training worker', () => {
  it('without WebGPU says so, trains on the CPU engine when asked, saves the run and its checkpoints', async () => {
    const h = harness(new IDBFactory());
    expect(h.errors()).toEqual([]);
    h.send({ type: 'start' });
    await h.until('error', (e) => /Load a dataset before training/.test(e.message));
    await loaded(h);
    expect(h.events.find((e) => e.type === 'engine' && e.engine.kind === 'none')).toBeDefined();
    const from = h.events.length;
    h.send({ type: 'start' });
    const done = await h.until('done', () => true, from);
    expect(done.reason).toBe('completed');
    const history = done.snapshot.history;
    expect(history.map((r) => r.epoch)).toEqual([0, 1, 2, 3]);
    expect(history[3].valLoss).toBeLessThan(history[0].valLoss);
    expect(h.events.filter((e) => e.type === 'epoch-end')).toHaveLength(3);
    // Every epoch's checkpoint was written (saved: with its checkpoint), and the record ends as done.
    for (const epoch of [1, 2, 3]) await h.until('run', (e) => e.saved && e.run.epoch === epoch);
    await h.until('run', (e) => e.run.status === 'done');
    await h.until('evaluation');
    await h.worker.dispose();
  });

  it('stops a run between batches, and a new worker on the same storage (a reload) resumes it to the same end', async () => {
    const idb = new IDBFactory();
    const config = { ...CONFIG, epochs: 4 };
    // The run to compare with: trained without interruption.
    const plain = harness(new IDBFactory());
    await loaded(plain, config);
    plain.send({ type: 'start' });
    const whole = await plain.until('done');
    await plain.worker.dispose();

    const a = harness(idb);
    await loaded(a, config);
    a.send({ type: 'start' });
    await a.until('epoch-end', (e) => e.loss.epoch === 2);
    a.send({ type: 'stop' });
    const stopped = await a.until('done');
    expect(stopped.reason).toBe('stopped');
    expect(stopped.snapshot.epoch).toBeGreaterThanOrEqual(2);
    expect(stopped.snapshot.epoch).toBeLessThan(4);
    const run = await a.until('run', (e) => e.saved && e.run.status === 'stopped');
    await a.worker.dispose();

    const b = harness(idb);
    await b.worker.boot();
    b.send({ type: 'use-cpu' });
    b.send({ type: 'open-run', runId: run.run.id, resume: true });
    const resumed = await b.until('done');
    expect(b.errors()).toEqual(['No WebGPU adapter in this test.']);
    expect(resumed.reason).toBe('completed');
    expect(resumed.snapshot.history.map((r) => r.valLoss)).toEqual(whole.snapshot.history.map((r) => r.valLoss));
    await b.worker.dispose();
  });

  it('exports a trained model and imports it back: paused at the imported weights, Step trains one batch', async () => {
    const h = harness(new IDBFactory());
    await loaded(h, { ...CONFIG, epochs: 1 });
    h.send({ type: 'start' });
    await h.until('done');
    h.send({ type: 'export', file: 'safetensors' });
    h.send({ type: 'export', file: 'json' });
    const st = await h.until('exported', (e) => e.file === 'safetensors');
    const json = await h.until('exported', (e) => e.file === 'json');
    const from = h.events.length;
    // Negative control: a truncated weight file is refused with its reason, and nothing changes.
    h.send({ type: 'import-model', safetensors: st.files[0].bytes.slice(0, 40), json: new TextDecoder().decode(json.files[0].bytes) });
    const refused = await h.until('error', (e) => e.kind === 'import', from);
    expect(refused.message).toMatch(/Could not import the model/);
    h.send({ type: 'import-model', safetensors: st.files[0].bytes, json: new TextDecoder().decode(json.files[0].bytes) });
    const model = await h.until('model', (e) => e.model.source === 'imported', from);
    expect(model.model.trainable).toBe(true);
    await h.until('snapshot', (e) => e.snapshot.state === 'paused', from);
    h.send({ type: 'step' });
    await h.until('snapshot', (e) => e.snapshot.state === 'paused' && e.snapshot.step === 1, from);
    // The imported run's curve starts at the imported model's validation loss: the trained one's, not an untrained one's.
    const trainedVal = (await h.until('done')).snapshot.history.at(-1)!.valLoss;
    const imported = h.worker.session!.snapshot().history[0].valLoss;
    expect(Math.abs(imported - trainedVal) / trainedVal).toBeLessThan(1e-3);
    h.send({ type: 'stop' });
    await h.until('done', (e) => e.reason === 'stopped', from);
    await h.worker.dispose();
  });
});
