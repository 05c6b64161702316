// Export → import → predict on the GPU engine gives the same predictions bit for bit, and training can continue.
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { exportModelFiles, loadModelFiles } from '../../src/export/model_files';
import { Prng } from '../../src/util/prng';
import { dataFor, modelConfig, normalizeInputs, rawInputs } from './helpers';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

function trainingBatch(c: TrainConfig, seed: number): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(seed);
  const B = c.batchSize, T = c.window;
  const x = c.vocabSize > 0
    ? Float32Array.from({ length: B * T }, () => Math.floor(rng.uniform(0, c.vocabSize)))
    : Float32Array.from({ length: B * T * c.inputSize }, () => rng.normal());
  const rows = (c.headOn === 'every_step' ? T : 1) * B;
  const y = c.loss === 'cross_entropy'
    ? Float32Array.from({ length: rows }, () => Math.floor(rng.uniform(0, c.outputSize)))
    : Float32Array.from({ length: rows * c.outputSize }, () => rng.normal());
  return { x, y };
}

const CASES: [string, TrainConfig][] = [
  ['LSTM', modelConfig({ cell: 'lstm', seed: 31 })],
  ['2-layer bidirectional GRU', modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true, dropout: 0.2, seed: 32 })],
  ['every_step RNN', modelConfig({ cell: 'rnn', headOn: 'every_step', outputSize: 2, seed: 33 })],
  ['embedding LSTM classifier', modelConfig({ cell: 'lstm', vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy', seed: 34 })],
];

describe('export → import round trip', () => {
  for (const [name, c] of CASES) {
    it(`${name}: a trained model exported and imported predicts bit for bit the same`, () =>
      gpu.scoped(async () => {
        const device = gpu.ctx().device;
        const data = dataFor(c);
        const original = await RecurrentTrainer.create(device, c);
        const batch = trainingBatch(c, 1);
        for (let i = 0; i < 5; i++) original.trainStep(batch.x, batch.y, c.batchSize);
        const x = normalizeInputs(c, data, rawInputs(c, data, c.batchSize, 2));
        const before = await original.predict(x, c.batchSize);

        const files = exportModelFiles(await original.readParameters(), c, data, { val_loss: 0.5 });
        const loaded = loadModelFiles(files.safetensors, files.json);
        expect(loaded.config).toEqual(c);
        const restored = await RecurrentTrainer.create(device, { ...loaded.config, seed: loaded.config.seed + 1 }); // other initial weights
        const fresh = await restored.predict(x, c.batchSize);
        expect(Array.from(fresh)).not.toEqual(Array.from(before));
        restored.writeParameters(loaded.tensors);
        const after = await restored.predict(x, c.batchSize);
        expect(Buffer.from(after.buffer, after.byteOffset, after.byteLength).equals(Buffer.from(before.buffer, before.byteOffset, before.byteLength))).toBe(true);

        // Training continues from the imported weights.
        restored.trainStep(batch.x, batch.y, c.batchSize);
        expect(Number.isFinite(await restored.readLastLoss())).toBe(true);
        original.dispose();
        restored.dispose();
      }));
  }
});
