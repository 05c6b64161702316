// The float64 CPU reference engine as a model: parameters as a ParamMap, predictions, gate probes and one training step.
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from '../engine/dropout_mask';
import type { TrainConfig } from '../engine/config';
import { initialParameters } from '../engine/init';
import { paramLayout } from '../engine/param_layout';
import { referenceSpec } from '../reference/reference_spec';
import type { Probe } from '../engine/recurrent_trainer';
import type { NamedTensor } from '../engine/tensor';
import { adamStep, backward, clipGradNorm, forward, lossOf, sgdStep, type DropoutMask, type OptimizerState, type ParamMap } from '../reference/recurrent_reference';

/** The seeded initial weights, exactly as the GPU engine starts (float32 values held in float64). */
export function initialParamMap(c: TrainConfig): ParamMap {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return new Map(layout.slots.map((s) => [s.name, Float64Array.from(flat.subarray(s.offset, s.offset + s.size))]));
}

export function toParamMap(tensors: NamedTensor[]): ParamMap {
  return new Map(tensors.map((t) => [t.name, Float64Array.from(t.data)]));
}

export function toTensors(c: TrainConfig, p: ParamMap): NamedTensor[] {
  return paramLayout(c).slots.map((s) => ({ name: s.name, shape: [...s.shape], data: Float32Array.from(p.get(s.name)!) }));
}

export function copyParams(p: ParamMap): ParamMap {
  return new Map([...p].map(([k, v]) => [k, v.slice()]));
}

/** Head outputs for `count` samples of x, batch by batch (no dropout). */
export function cpuPredict(c: TrainConfig, p: ParamMap, x: Float32Array, count: number, batch = 64): Float32Array {
  const spec = referenceSpec(c);
  const T = c.window;
  const width = count > 0 ? x.length / count : 0;
  const out = new Float32Array(count * c.outputSize * (c.headOn === 'every_step' ? T : 1));
  const per = out.length / Math.max(count, 1);
  for (let from = 0; from < count; from += batch) {
    const n = Math.min(batch, count - from);
    const pred = forward(spec, p, x.subarray(from * width, (from + n) * width), n, T).prediction;
    out.set(pred, from * per);
  }
  return out;
}

/** Mean validation loss over every sample (the GPU engine's per-element / per-row mean). */
export function cpuLoss(c: TrainConfig, p: ParamMap, x: Float32Array, y: Float32Array, count: number, batch = 64): number {
  if (count === 0) return NaN;
  const spec = referenceSpec(c);
  const T = c.window, xw = x.length / count, yw = y.length / count;
  let sum = 0;
  let n = 0;
  for (let from = 0; from < count; from += batch) {
    const k = Math.min(batch, count - from);
    const pred = forward(spec, p, x.subarray(from * xw, (from + k) * xw), k, T).prediction;
    const { loss } = lossOf(spec, pred, y.subarray(from * yw, (from + k) * yw));
    const weight = c.loss === 'cross_entropy' ? k : pred.length;
    sum += loss * weight;
    n += weight;
  }
  return sum / n;
}

/** Gate activations and ‖dL/dh_t‖ of one sequence, in the GPU probe's shape. */
export function cpuProbe(c: TrainConfig, p: ParamMap, x: Float32Array, y: Float32Array, layer: number, direction: number): Probe {
  const spec = referenceSpec(c);
  const T = c.window, H = c.hiddenSize;
  const fwd = forward(spec, p, x, 1, T);
  const { loss, dPrediction } = lossOf(spec, fwd.prediction, y);
  const { dhNorm } = backward(spec, p, fwd, dPrediction, x, 1, T);
  const cache = fwd.layers[layer][direction];
  const GS = c.cell === 'rnn' ? 1 : 4;
  const names = c.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : c.cell === 'gru' ? ['r', 'z', 'n'] : [];
  const values: Record<string, Float32Array> = {};
  names.forEach((name, g) => {
    const v = new Float32Array(T * H);
    for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) v[t * H + j] = cache.gates[t * GS * H + g * H + j];
    values[name] = v;
  });
  if (cache.c) values.c = Float32Array.from(cache.c);
  values.h = Float32Array.from(cache.h);
  return { layer, direction, names: Object.keys(values), values, gradNorm: Float32Array.from(dhNorm[layer][direction]), loss };
}

/**
 * One optimizer step on a batch, as the GPU engine takes it (the same dropout mask, clipping and optimizer rules):
 * returns the batch loss and the gradient norm before clipping. Skips the update when the gradient is not finite.
 */
export function cpuTrainStep(c: TrainConfig, p: ParamMap, opt: OptimizerState, x: Float32Array, y: Float32Array, n: number, lr: number): { loss: number; gradNorm: number } {
  const spec = referenceSpec(c);
  const T = c.window, H = c.hiddenSize;
  const stepSeed = dropoutStepSeed(c.seed, opt.step + 1);
  const mask: DropoutMask | undefined = c.dropout > 0 && c.numLayers > 1 ? (l, d, t, b, j) => dropoutKeep(stepSeed, dropoutSalt(l, d), (t * n + b) * H + j, c.dropout) : undefined;
  const fwd = forward(spec, p, x, n, T, mask);
  const { loss, dPrediction } = lossOf(spec, fwd.prediction, y);
  const { grads } = backward(spec, p, fwd, dPrediction, x, n, T, mask);
  const gradNorm = clipGradNorm(grads, c.clipNorm);
  if (!Number.isFinite(gradNorm)) return { loss, gradNorm };
  if (c.optimizer === 'sgd') sgdStep(p, grads, opt, { lr, momentum: c.momentum, weightDecay: c.weightDecay });
  else adamStep(p, grads, opt, { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decoupled: c.optimizer === 'adamw' });
  return { loss, gradNorm };
}
