// model.onnx in ONNX Runtime against the WebGPU engine's own predict on the same raw inputs (max |diff| <= 1e-4).
import { describe, expect, it } from 'vitest';
import type { TrainConfig } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';
import { exportModelFiles } from '../../src/export/model_files';
import { Prng } from '../../src/util/prng';
import { dataFor, denormalizeOutputs, maxAbsDiff, MODEL_CASES, modelConfig, normalizeInputs, rawInputs, runOnnx } from './helpers';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

/** Exports the trainer's weights, runs model.onnx on raw inputs and the engine on the same inputs normalized. */
async function compare(name: string, c: TrainConfig, trainer: RecurrentTrainer): Promise<number> {
  const data = dataFor(c);
  const batch = c.batchSize;
  const raw = rawInputs(c, data, batch, c.seed + 200);
  const files = exportModelFiles(await trainer.readParameters(), c, data);
  const onnxOut = await runOnnx(files.onnx, c, raw, batch);
  const engineOut = denormalizeOutputs(c, data, await trainer.predict(normalizeInputs(c, data, raw), batch));
  const diff = maxAbsDiff(onnxOut.data, engineOut);
  console.log(`[onnx vs engine] ${name}: max |diff| ${diff.toExponential(2)}`);
  return diff;
}

describe('model.onnx matches the engine', () => {
  for (const [name, c] of MODEL_CASES) {
    it(`${name} (untrained)`, () =>
      gpu.scoped(async () => {
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, c);
        expect(await compare(name, c, trainer)).toBeLessThanOrEqual(1e-4);
        trainer.dispose();
      }));
  }

  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`a bidirectional 2-layer ${cell.toUpperCase()} trained for 20 steps`, () =>
      gpu.scoped(async () => {
        const c = modelConfig({ cell, numLayers: 2, bidirectional: true, dropout: 0.1, learningRate: 0.05, seed: 21 });
        const trainer = await RecurrentTrainer.create(gpu.ctx().device, c);
        const rng = new Prng(5);
        const x = Float32Array.from({ length: c.batchSize * c.window * c.inputSize }, () => rng.normal());
        const y = Float32Array.from({ length: c.batchSize }, () => rng.normal());
        const before = (await trainer.readParameters()).find((p) => p.name === 'weight_hh_l0_reverse')!.data.slice();
        for (let i = 0; i < 20; i++) trainer.trainStep(x, y, c.batchSize);
        const after = (await trainer.readParameters()).find((p) => p.name === 'weight_hh_l0_reverse')!.data;
        expect(maxAbsDiff(before, after)).toBeGreaterThan(1e-3);
        expect(await compare(`trained ${cell}`, c, trainer)).toBeLessThanOrEqual(1e-4);
        trainer.dispose();
      }));
  }
});
