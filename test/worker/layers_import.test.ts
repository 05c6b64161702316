// The worker's TF.js and Keras path: a trained model exports as tfjs-model.json + weights and model.keras, a damaged
// file is refused without losing the trained model, and each file imports back paused at its weights, ready to train.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { workerHarness } from './harness';

function harness(idb: IDBFactory) {
  return workerHarness(idb);
}

async function trained(config: TrainConfig, transform: 'none' | 'difference' = 'none') {
  const h = harness(new IDBFactory());
  await h.worker.boot();
  h.send({ type: 'use-cpu' });
  await h.until('engine', (e) => e.engine.kind === 'cpu');
  h.send({ type: 'load', source: { kind: 'example', id: 'sine' }, choices: { task: 'forecast', targets: ['value'], window: 8, transform } as never });
  await h.until('data');
  h.send({ type: 'configure', config });
  h.send({ type: 'start' });
  const done = await h.until('done');
  return { h, valLoss: done.snapshot.history.at(-1)!.valLoss };
}

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 1, learningRate: 0.02, seed: 4 };

describe('TF.js and Keras files through the worker', () => {
  for (const format of ['keras', 'tfjs'] as const) {
    it(`${format}: exports, refuses a damaged file keeping the trained model, imports back paused and trains a step`, async () => {
      const { h, valLoss } = await trained(CONFIG);
      h.send({ type: 'export', file: format });
      const ex = await h.until('exported', (e) => e.file === format);
      expect(ex.files.map((f) => f.name)).toEqual(format === 'keras' ? ['model.keras'] : ['tfjs-model.json', 'group1-shard1of1.bin']);
      const files = ex.files.map((f) => ({ name: f.name, bytes: f.bytes.slice() }));
      const from = h.events.length;
      const damaged = files.map((f, i) => (i === files.length - 1 ? { ...f, bytes: f.bytes.slice(0, Math.floor(f.bytes.length / 2)) } : f));
      h.send({ type: 'import-layers-model', files: damaged });
      const refused = await h.until('error', (e) => e.kind === 'import', from);
      expect(refused.message).toMatch(format === 'keras' ? /Could not import the model: model.keras: the zip archive cannot be read/ : /Could not import the model: model.json \(TF.js\): the weight files hold \d+ bytes/);
      // Nothing already trained is lost: the trained model still exports.
      h.send({ type: 'export', file: 'json' });
      await h.until('exported', (e) => e.file === 'json', from);
      h.send({ type: 'import-layers-model', files });
      const model = await h.until('model', (e) => e.model.source === 'imported', from);
      expect(model.model.trainable).toBe(true);
      expect(model.model.config).toMatchObject({ cell: 'lstm', hiddenSize: 6, window: 8 });
      await h.until('snapshot', (e) => e.snapshot.state === 'paused', from);
      const imported = h.worker.session!.snapshot().history[0].valLoss;
      expect(Math.abs(imported - valLoss) / valLoss).toBeLessThan(1e-3);
      h.send({ type: 'step' });
      await h.until('snapshot', (e) => e.snapshot.state === 'paused' && e.snapshot.step === 1, from);
      h.send({ type: 'stop' });
      await h.until('done', (e) => e.reason === 'stopped', from);
      await h.worker.dispose();
    });
  }

  it('a GRU has no TF.js export, and says why', async () => {
    const { h } = await trained({ ...CONFIG, cell: 'gru' });
    const from = h.events.length;
    h.send({ type: 'export', file: 'tfjs' });
    const err = await h.until('error', (e) => e.kind === 'export', from);
    expect(err.message).toMatch(/Export failed: TF.js cannot hold this model: TF.js's GRU cannot express PyTorch's GRU: it rejects reset_after/);
    h.send({ type: 'export', file: 'keras' });
    await h.until('exported', (e) => e.file === 'keras', from);
    await h.worker.dispose();
  });

  it('a differenced forecast has neither, and says why', async () => {
    const { h } = await trained(CONFIG, 'difference');
    const from = h.events.length;
    h.send({ type: 'export', file: 'keras' });
    const err = await h.until('error', (e) => e.kind === 'export', from);
    expect(err.message).toBe('Export failed: Keras cannot hold this model: the difference transform mixes time steps (each feature is a step minus the one before, and predictions add back the last value), which Keras layers cannot express; export to ONNX or PyTorch instead.');
    await h.worker.dispose();
  });
});
