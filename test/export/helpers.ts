// Shared fixtures of the export tests: small model configs, their data descriptions, and running model.onnx in ORT.
import * as ort from 'onnxruntime-node';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { identity, minmax, zscore, type DataDescription, type FeatureNormalization } from '../../src/export/manifest';
import { Prng } from '../../src/util/prng';

export function modelConfig(over: Partial<TrainConfig>): TrainConfig {
  return { ...DEFAULT_CONFIG, inputSize: 3, hiddenSize: 5, window: 6, batchSize: 4, outputSize: 1, seed: 7, ...over };
}

/** The configurations every ONNX check covers (name → config). */
export const MODEL_CASES: [string, TrainConfig][] = [
  ['LSTM', modelConfig({ cell: 'lstm' })],
  ['GRU', modelConfig({ cell: 'gru', seed: 8 })],
  ['RNN', modelConfig({ cell: 'rnn', seed: 9 })],
  ['bidirectional LSTM', modelConfig({ cell: 'lstm', bidirectional: true, seed: 10 })],
  ['bidirectional GRU', modelConfig({ cell: 'gru', bidirectional: true, seed: 11 })],
  ['2-layer LSTM', modelConfig({ cell: 'lstm', numLayers: 2, dropout: 0.2, seed: 12 })],
  ['2-layer bidirectional GRU', modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true, seed: 13 })],
  ['2-layer bidirectional RNN', modelConfig({ cell: 'rnn', numLayers: 2, bidirectional: true, seed: 14 })],
  ['embedding LSTM classifier', modelConfig({ cell: 'lstm', vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy', seed: 15 })],
  ['every_step GRU', modelConfig({ cell: 'gru', headOn: 'every_step', outputSize: 2, seed: 16 })],
  ['horizon-3 LSTM, 2 targets', modelConfig({ cell: 'lstm', outputSize: 6, seed: 17 })],
  ['LSTM classifier', modelConfig({ cell: 'lstm', outputSize: 4, loss: 'cross_entropy', seed: 18 })],
];

const INPUT_KINDS: ((name: string, i: number) => FeatureNormalization)[] = [
  (n, i) => zscore(n, 10 + i, 2.5 + i),
  (n, i) => minmax(n, -3 - i, 7 + i),
  (n) => identity(n),
];

/** A data description that fits `c`: numeric features f0… with mixed normalizations, targets t0…, or tokens / classes. */
export function dataFor(c: TrainConfig): DataDescription {
  const classifier = c.loss === 'cross_entropy';
  const text = c.vocabSize > 0;
  const inputs = text ? ['text'] : Array.from({ length: c.inputSize }, (_, i) => `f${i}`);
  const targetCount = classifier ? 1 : c.outputSize === 6 ? 2 : c.outputSize;
  const horizon = classifier ? 0 : c.headOn === 'every_step' ? 1 : c.outputSize / targetCount;
  const targets = classifier ? ['label'] : Array.from({ length: targetCount }, (_, i) => `t${i}`);
  return {
    task: text ? 'classify-text' : classifier ? 'classify-sequences' : 'forecast',
    dataset: {
      name: 'fixture.csv',
      rows: 100,
      columns: [...inputs.map((name) => ({ name, type: text ? 'text' : 'number' }) as const), ...targets.map((name) => ({ name, type: classifier ? 'category' : 'number' }) as const)],
    },
    inputColumns: inputs,
    targetColumns: targets,
    window: c.window,
    horizon,
    stride: 1,
    timeColumn: null,
    groupColumn: classifier && !text ? 'id' : null,
    layout: 'long',
    missing: 'drop',
    split: { valFraction: 0.2, testFraction: 0 },
    normalization: {
      inputs: text ? [] : inputs.map((n, i) => INPUT_KINDS[i % INPUT_KINDS.length](n, i)),
      targets: classifier ? [] : targets.map((n, i) => zscore(n, 100 - 7 * i, 4 + i)),
    },
    vocabulary: text
      ? { level: 'char', tokens: ['<pad>', '<unk>', ...'abcdefghijklmnopqrstuvwxyz'.split('').slice(0, c.vocabSize - 2)], padId: 0, unknownId: 1, lowercase: true, padSide: 'left' }
      : null,
    classNames: classifier ? Array.from({ length: c.outputSize }, (_, i) => `class ${i}`) : null,
  };
}

/** Raw inputs [batch][window][features] around each feature's own scale (token ids for a text model). */
export function rawInputs(c: TrainConfig, data: DataDescription, batch: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  if (c.vocabSize > 0) return Float32Array.from({ length: batch * c.window }, () => Math.floor(rng.uniform(0, c.vocabSize)));
  const x = new Float32Array(batch * c.window * c.inputSize);
  for (let i = 0; i < x.length; i++) {
    const n = data.normalization.inputs[i % c.inputSize];
    x[i] = n.a + n.b * rng.uniform(-1.5, 1.5);
  }
  return x;
}

/** Normalizes raw inputs as the ONNX graph does (float32 (x - a) / b), for feeding the engine or the reference. */
export function normalizeInputs(c: TrainConfig, data: DataDescription, raw: Float32Array): Float32Array {
  if (c.vocabSize > 0) return raw;
  const out = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const n = data.normalization.inputs[i % c.inputSize];
    out[i] = Math.fround(Math.fround(raw[i] - Math.fround(n.a)) / Math.fround(n.b));
  }
  return out;
}

/** De-normalizes head outputs (output index o uses target o mod targets) for regression; logits pass through. */
export function denormalizeOutputs(c: TrainConfig, data: DataDescription, out: ArrayLike<number>): Float64Array {
  const res = Float64Array.from(out);
  if (c.loss === 'cross_entropy') return res;
  const t = data.normalization.targets;
  for (let i = 0; i < res.length; i++) {
    const n = t[(i % c.outputSize) % t.length];
    res[i] = res[i] * n.b + n.a;
  }
  return res;
}

/** Runs model.onnx on raw inputs in ONNX Runtime (CPU); returns `output` and its dims. */
export async function runOnnx(model: Uint8Array, c: TrainConfig, raw: Float32Array, batch: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(model);
  const input =
    c.vocabSize > 0
      ? new ort.Tensor('int64', BigInt64Array.from(raw, (v) => BigInt(v)), [batch, c.window])
      : new ort.Tensor('float32', raw, [batch, c.window, c.inputSize]);
  const result = await session.run({ input });
  const out = result.output;
  await session.release();
  return { data: out.data as Float32Array, dims: out.dims };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
