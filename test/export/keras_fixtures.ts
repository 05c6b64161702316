// Shared fixtures of the TF.js and Keras export tests: seeded saturating weights and the float64 reference's predictions in original units.
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import type { TrainConfig } from '../../src/engine/config';
import type { NamedTensor } from '../../src/engine/tensor';
import type { DataDescription } from '../../src/export/manifest';
import { forward } from '../../src/reference/recurrent_reference';
import { referenceSpec } from '../../src/reference/reference_spec';
import { denormalizeOutputs, modelConfig, normalizeInputs } from './helpers';

/** Seeded parameters, scaled up so that gates saturate and a wrong gate order cannot hide. */
export function seededParams(c: TrainConfig, scale = 3): NamedTensor[] {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return layout.slots.map((s) => ({
    name: s.name,
    shape: s.shape,
    data: Float32Array.from(flat.subarray(s.offset, s.offset + s.size), (v) => (s.name === 'embedding.weight' ? v : v * scale)),
  }));
}

/** The float64 reference on raw inputs: normalized as model.onnx does, outputs in original units (or logits). */
export function referenceOriginal(c: TrainConfig, data: DataDescription, p: NamedTensor[], raw: Float32Array, batch: number): Float64Array {
  const map = new Map(p.map((t) => [t.name, Float64Array.from(t.data)]));
  return denormalizeOutputs(c, data, forward(referenceSpec(c), map, normalizeInputs(c, data, raw), batch, c.window).prediction);
}

/** Every LSTM / SimpleRNN shape the TF.js export supports (GRU is refused there). */
export const TFJS_CASES: [string, TrainConfig][] = [
  ['LSTM', modelConfig({ cell: 'lstm' })],
  ['RNN', modelConfig({ cell: 'rnn', seed: 9 })],
  ['bidirectional LSTM', modelConfig({ cell: 'lstm', bidirectional: true, seed: 10 })],
  ['2-layer LSTM', modelConfig({ cell: 'lstm', numLayers: 2, dropout: 0.2, seed: 12 })],
  ['2-layer bidirectional RNN', modelConfig({ cell: 'rnn', numLayers: 2, bidirectional: true, seed: 14 })],
  ['3-layer bidirectional LSTM, every step', modelConfig({ cell: 'lstm', numLayers: 3, bidirectional: true, headOn: 'every_step', outputSize: 2, seed: 19 })],
  ['embedding LSTM text classifier', modelConfig({ cell: 'lstm', vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy', seed: 15 })],
  ['embedding bidirectional RNN text classifier', modelConfig({ cell: 'rnn', vocabSize: 9, inputSize: 3, outputSize: 2, bidirectional: true, loss: 'cross_entropy', seed: 20 })],
  ['every_step RNN', modelConfig({ cell: 'rnn', headOn: 'every_step', outputSize: 2, seed: 16 })],
  ['horizon-3 LSTM, 2 targets', modelConfig({ cell: 'lstm', outputSize: 6, seed: 17 })],
];

/** Keras covers GRU too (reset_after=True). */
export const KERAS_CASES: [string, TrainConfig][] = [
  ...TFJS_CASES,
  ['GRU', modelConfig({ cell: 'gru', seed: 8 })],
  ['bidirectional GRU', modelConfig({ cell: 'gru', bidirectional: true, seed: 11 })],
  ['2-layer bidirectional GRU, every step', modelConfig({ cell: 'gru', numLayers: 2, bidirectional: true, headOn: 'every_step', outputSize: 2, seed: 13 })],
  ['embedding GRU text classifier', modelConfig({ cell: 'gru', vocabSize: 11, inputSize: 4, outputSize: 3, loss: 'cross_entropy', seed: 21 })],
];
