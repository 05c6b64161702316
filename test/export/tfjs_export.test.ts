// tfjs/model.json + weights loaded by @tensorflow/tfjs in Node (cpu backend) against the float64 reference: every
// supported shape, raw values in, original units (or logits) out; GRU and target transforms refused with the reason.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModelManifest } from '../../src/export/manifest';
import { buildTfjsModel, tfjsProblem, TFJS_WEIGHTS_FILE } from '../../src/export/tfjs_export';
import type { TrainConfig } from '../../src/engine/config';
import { dataFor, maxAbsDiff, modelConfig, rawInputs } from './helpers';
import { referenceOriginal, seededParams, TFJS_CASES } from './keras_fixtures';

/** An IOHandler that hands TF.js the two files as a browser's fetch of model.json + its weights file would. */
export function tfjsHandler(json: string, weights: Uint8Array): tf.io.IOHandler {
  return {
    load: async () => {
      const m = JSON.parse(json);
      expect(m.weightsManifest[0].paths).toEqual([TFJS_WEIGHTS_FILE]);
      return {
        modelTopology: m.modelTopology,
        format: m.format,
        generatedBy: m.generatedBy,
        weightSpecs: m.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
        weightData: weights.slice().buffer,
        userDefinedMetadata: m.userDefinedMetadata,
      };
    },
  };
}

export async function tfjsPredict(json: string, weights: Uint8Array, c: TrainConfig, raw: Float32Array, batch: number): Promise<{ data: Float32Array; shape: number[] }> {
  const model = await tf.loadLayersModel(tfjsHandler(json, weights));
  const x = c.vocabSize > 0 ? tf.tensor2d(Int32Array.from(raw), [batch, c.window], 'int32') : tf.tensor3d(raw, [batch, c.window, c.inputSize]);
  const y = model.predict(x) as tf.Tensor;
  const out = { data: (await y.data()) as Float32Array, shape: y.shape as number[] };
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => tf.disposeVariables());

describe('tfjs/model.json in TF.js matches the float64 reference', () => {
  for (const [name, c] of TFJS_CASES) {
    it(`${name}: max |diff| <= 1e-4`, async () => {
      const data = dataFor(c);
      const p = seededParams(c);
      const files = buildTfjsModel(buildModelManifest(c, data), p);
      const batch = 5;
      const raw = rawInputs(c, data, batch, c.seed + 100);
      const got = await tfjsPredict(files.json, files.weights, c, raw, batch);
      expect(got.shape).toEqual(c.headOn === 'every_step' ? [batch, c.window, c.outputSize] : [batch, c.outputSize]);
      const want = referenceOriginal(c, data, p, raw, batch);
      const diff = maxAbsDiff(got.data, want);
      console.log(`[tfjs vs reference] ${name}: max |diff| ${diff.toExponential(2)} (outputs up to ${Math.max(...Array.from(want, Math.abs)).toFixed(2)})`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    });
  }

  it('negative control: without the explicit sigmoid (TF.js default hard_sigmoid) the LSTM is off by far more than 1e-4', async () => {
    const c = modelConfig({ cell: 'lstm' });
    const data = dataFor(c);
    const p = seededParams(c);
    const files = buildTfjsModel(buildModelManifest(c, data), p);
    const hard = files.json.replace(/"recurrent_activation": "sigmoid"/g, '"recurrent_activation": "hard_sigmoid"');
    expect(hard).not.toBe(files.json);
    const raw = rawInputs(c, data, 3, 5);
    const got = await tfjsPredict(hard, files.weights, c, raw, 3);
    expect(maxAbsDiff(got.data, referenceOriginal(c, data, p, raw, 3))).toBeGreaterThan(1e-3);
  });

  it('negative control: the unfolded weights (normalization left out) miss by far more than 1e-4', async () => {
    const c = modelConfig({ cell: 'rnn', seed: 9 });
    const data = dataFor(c);
    const p = seededParams(c);
    const plain = { ...data, normalization: { inputs: data.normalization.inputs.map((n) => ({ ...n, kind: 'none' as const, a: 0, b: 1 })), targets: data.normalization.targets.map((n) => ({ ...n, kind: 'none' as const, a: 0, b: 1 })) } };
    const files = buildTfjsModel(buildModelManifest(c, plain), p);
    const raw = rawInputs(c, data, 3, 5);
    const got = await tfjsPredict(files.json, files.weights, c, raw, 3);
    expect(maxAbsDiff(got.data, referenceOriginal(c, data, p, raw, 3))).toBeGreaterThan(1e-2);
  });
});

describe('what TF.js cannot express is refused with the reason', () => {
  it('a GRU: TF.js rejects reset_after', () => {
    const c = modelConfig({ cell: 'gru' });
    expect(tfjsProblem({ config: c })).toMatch(/reset_after/);
    expect(() => buildTfjsModel(buildModelManifest(c, dataFor(c)), seededParams(c))).toThrow(/No TF.js export: TF.js's GRU cannot express PyTorch's GRU/);
  });

  it('a difference transform mixes time steps', () => {
    const c = modelConfig({ cell: 'lstm' });
    const data = { ...dataFor(c), transform: { name: 'difference' as const, season: null, columns: [{ column: 't0', inputScale: 1, outputScale: 1 }] } };
    expect(tfjsProblem({ config: c, transform: data.transform })).toBe(
      'the difference transform mixes time steps (each feature is a step minus the one before, and predictions add back the last value), which TF.js layers cannot express; export to ONNX or PyTorch instead',
    );
    expect(tfjsProblem({ config: c, transform: { name: 'none', season: null, columns: [] } })).toBeNull();
  });
});
