// The text-generation ONNX graph under ONNX Runtime for every cell and two layers: next-token logits and the state
// carried between calls equal the CPU step model's (float64) on the same weights.
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { buildGenerateSet } from '../../src/data/generate_set';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { ReferenceEngine } from '../../src/engine/reference_engine';
import { buildModelManifest } from '../../src/export/manifest';
import { buildGenerateOnnx } from '../../src/export/onnx_generate';
import { describeGenerateData } from '../../src/model_io/generate_description';
import { StepModel } from '../../src/model_io/step_model';

const text = 'It is a truth universally acknowledged, that a single man in possession of a good fortune\n'.repeat(6);

describe('buildGenerateOnnx', () => {
  for (const cell of ['lstm', 'gru', 'rnn'] as const) {
    it(`${cell}, 2 layers: logits of a whole prime, then token by token with the state fed back, match the step model`, async () => {
      const choices = { task: 'generate' as const, window: 10 };
      const set = buildGenerateSet(text, choices);
      const config: TrainConfig = { ...DEFAULT_CONFIG, cell, numLayers: 2, hiddenSize: 7, inputSize: 5, vocabSize: set.vocabSize, outputSize: set.vocabSize, window: 10, loss: 'cross_entropy', headOn: 'every_step', seed: 3 };
      const params = await new ReferenceEngine(config).readParameters();
      const manifest = buildModelManifest(config, describeGenerateData(null, choices, set, 'austen.txt'));
      const session = await ort.InferenceSession.create(buildGenerateOnnx(manifest, params));
      const lstm = cell === 'lstm';
      expect(session.inputNames).toEqual(lstm ? ['tokens', 'h0', 'c0'] : ['tokens', 'h0']);
      const V = set.vocabSize;
      const ids = Array.from('a single man', (ch) => set.vocabulary!.indexOf(ch));
      const step = new StepModel(config, params);
      const expected = ids.map((id) => step.step(id));
      const zeros = () => new ort.Tensor('float32', new Float32Array(2 * 7), [2, 1, 7]);
      const feeds = (list: number[], h: ort.Tensor, c: ort.Tensor): Record<string, ort.Tensor> => ({
        tokens: new ort.Tensor('int64', BigInt64Array.from(list, BigInt), [1, list.length]),
        h0: h,
        ...(lstm ? { c0: c } : {}),
      });
      // The first half at once, then one token at a time from the returned state.
      const half = 6;
      const first = await session.run(feeds(ids.slice(0, half), zeros(), zeros()));
      const got: ArrayLike<number>[] = Array.from({ length: half }, (_, t) => (first.logits.data as Float32Array).subarray(t * V, (t + 1) * V));
      let h = first.hn as ort.Tensor, c = (first.cn ?? zeros()) as ort.Tensor;
      for (const id of ids.slice(half)) {
        const r = await session.run(feeds([id], h, c));
        got.push(r.logits.data as Float32Array);
        h = r.hn as ort.Tensor;
        c = (r.cn ?? c) as ort.Tensor;
      }
      let worst = 0;
      expected.forEach((row, t) => row.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[t][k])))));
      expect(worst).toBeLessThan(1e-5);
    });
  }
});
