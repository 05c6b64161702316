// The float64 reference behind the engine interface: the reference's forward, backward and optimizer steps with the
// GPU's seed, dropout masks, clipping and optimizer rules, weights and moments kept in float32 between steps. The oracle
// the engines are checked against through the same interface (the fast CPU engine is cpu_engine.ts).
import type { TrainConfig } from './config';
import { HostEngineBase } from './host_engine_base';
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from './dropout_mask';
import { requireClassWeights } from './class_weight_check';
import type { OptimizerSnapshot, Probe, TrainingEngine } from './engine';
import { initialParameters } from './init';
import { paramLayout } from './param_layout';
import type { NamedTensor } from './tensor';
import { referenceSpec } from '../reference/reference_spec';
import { adamStep, backward, clipGradNorm, forward, lossOf, newOptimizerState, sgdStep, type DropoutMask, type OptimizerState, type ParamMap, type ReferenceSpec } from '../reference/recurrent_reference';

function roundToFloat32(a: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.fround(a[i]);
}

/** The seeded initial weights, exactly as the GPU engine starts (float32 values held in float64). */
export function initialParamMap(c: TrainConfig): ParamMap {
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  return new Map(layout.slots.map((s) => [s.name, Float64Array.from(flat.subarray(s.offset, s.offset + s.size))]));
}

export class ReferenceEngine extends HostEngineBase implements TrainingEngine {
  private readonly spec: ReferenceSpec;
  private params: ParamMap;
  private opt: OptimizerState = newOptimizerState();
  private steps = 0;
  private disposed = false;

  constructor(config: TrainConfig) {
    super(config);
    this.spec = referenceSpec(config);
    this.params = initialParamMap(config);
  }

  private check(x: Float32Array, y: Float32Array | null, batch: number): void {
    if (this.disposed) throw new Error('This model was disposed.');
    const c = this.config, T = c.window;
    if (!Number.isInteger(batch) || batch < 1 || batch > c.batchSize) throw new Error(`batch must be 1..${c.batchSize}, got ${batch}`);
    const perStep = c.vocabSize > 0 ? 1 : c.inputSize;
    if (x.length !== batch * T * perStep) throw new Error(`x must hold ${batch * T * perStep} values, got ${x.length}`);
    if (y) {
      const n = (c.headOn === 'every_step' ? T : 1) * batch * (c.loss === 'cross_entropy' ? 1 : c.outputSize);
      if (y.length !== n) throw new Error(`y must hold ${n} values, got ${y.length}`);
    }
  }

  /** The dropout multiplier of training step `step` (the GPU's hashed mask, reproduced), or none. */
  private mask(step: number, batch: number): DropoutMask | undefined {
    const c = this.config, H = c.hiddenSize;
    if (!(c.dropout > 0 && c.numLayers > 1)) return undefined;
    const seed = dropoutStepSeed(c.seed, step);
    return (l, d, t, b, j) => dropoutKeep(seed, dropoutSalt(l, d), (t * batch + b) * H + j, c.dropout);
  }

  trainStep(x: Float32Array, y: Float32Array, batch: number): void {
    this.check(x, y, batch);
    const c = this.config, T = c.window;
    this.steps += 1;
    const mask = this.mask(this.steps, batch);
    const fwd = forward(this.spec, this.params, x, batch, T, mask);
    requireClassWeights(c, this.classWeights);
    const { loss, dPrediction } = lossOf(this.spec, fwd.prediction, y, this.classWeights);
    this.sums.trainSum += loss;
    this.sums.trainSteps += 1;
    const { grads } = backward(this.spec, this.params, fwd, dPrediction, x, batch, T, mask);
    this.gradNorm = clipGradNorm(grads, c.clipNorm);
    // The GPU's sticky flag: a non-finite gradient skips this step and every later one until clearNonFinite().
    if (!Number.isFinite(this.gradNorm)) this.nonFinite = true;
    if (this.nonFinite) return;
    // Both optimizers count their own steps; the engine's count (also the dropout seed's) is the one that holds.
    this.opt.step = this.steps - 1;
    const lr = this.learningRate;
    if (c.optimizer === 'sgd') sgdStep(this.params, grads, this.opt, { lr, momentum: c.momentum, weightDecay: c.weightDecay });
    else adamStep(this.params, grads, this.opt, { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decoupled: c.optimizer === 'adamw' });
    // The state is float32, as on the GPU and in a checkpoint, so a run resumed from one continues bit for bit.
    for (const map of [this.params, this.opt.m, this.opt.v]) for (const a of map.values()) roundToFloat32(a);
  }

  evalStep(x: Float32Array, y: Float32Array, batch: number): void {
    this.check(x, y, batch);
    const pred = forward(this.spec, this.params, x, batch, this.config.window).prediction;
    requireClassWeights(this.config, this.classWeights);
    const { loss, correct, weightSum } = lossOf(this.spec, pred, y, this.classWeights);
    const s = this.sums;
    if (this.config.loss === 'cross_entropy') {
      const rows = y.length;
      s.valSum += loss * weightSum!;
      s.valCount += rows;
      s.valWeight += weightSum!;
      s.valCorrect += correct ?? 0;
      return;
    }
    s.valSum += loss * pred.length;
    s.valCount += pred.length;
    for (let i = 0; i < pred.length; i++) {
      const d = pred[i] - y[i];
      s.valSe += d * d;
      s.valAe += Math.abs(d);
    }
  }

  async readParameters(): Promise<NamedTensor[]> {
    return this.layout.slots.map((s) => ({ name: s.name, shape: [...s.shape], data: Float32Array.from(this.params.get(s.name)!) }));
  }

  writeParameters(tensors: NamedTensor[]): void {
    const next: ParamMap = new Map();
    for (const t of tensors) {
      const slot = this.layout.byName.get(t.name);
      if (!slot) throw new Error(`Unknown parameter "${t.name}" for this model.`);
      if (t.shape.join(',') !== slot.shape.join(',') || t.data.length !== slot.size) {
        throw new Error(`The parameter "${t.name}" has shape [${t.shape}] but this model needs [${slot.shape}].`);
      }
      next.set(t.name, Float64Array.from(t.data));
    }
    const missing = this.layout.slots.filter((s) => !next.has(s.name)).map((s) => s.name);
    if (missing.length > 0) throw new Error(`Missing parameters: ${missing.join(', ')}.`);
    this.params = next;
    this.opt = newOptimizerState();
    this.steps = 0;
  }

  private flat(map: ParamMap): Float32Array {
    const out = new Float32Array(this.layout.total);
    for (const s of this.layout.slots) {
      const v = map.get(s.name);
      if (v) out.set(v, s.offset);
    }
    return out;
  }

  private unflat(flat: Float32Array): ParamMap {
    return new Map(this.layout.slots.map((s) => [s.name, Float64Array.from(flat.subarray(s.offset, s.offset + s.size))]));
  }

  async readOptimizerState(): Promise<OptimizerSnapshot> {
    return { step: this.steps, moment1: this.flat(this.opt.m), moment2: this.config.optimizer === 'sgd' ? null : this.flat(this.opt.v) };
  }

  writeOptimizerState(state: OptimizerSnapshot): void {
    const P = this.layout.total, adam = this.config.optimizer !== 'sgd';
    if (state.moment1.length !== P || (adam && state.moment2?.length !== P)) throw new Error('Optimizer state does not match this model.');
    // SGD's momentum buffer starts as the first gradient: a state before any step holds no buffer yet.
    const m = state.step === 0 && !adam ? new Map() : this.unflat(state.moment1);
    this.opt = { step: state.step, m, v: adam ? this.unflat(state.moment2!) : new Map() };
    this.steps = state.step;
  }

  async predict(x: Float32Array, batch: number): Promise<Float32Array> {
    this.check(x, null, batch);
    return Float32Array.from(forward(this.spec, this.params, x, batch, this.config.window).prediction);
  }

  async probe(x: Float32Array, y: Float32Array, layer: number, direction = 0): Promise<Probe> {
    const c = this.config, T = c.window, H = c.hiddenSize, dirs = c.bidirectional ? 2 : 1;
    if (layer < 0 || layer >= c.numLayers) throw new Error(`layer must be 0..${c.numLayers - 1}`);
    if (direction < 0 || direction >= dirs) throw new Error(`direction must be 0..${dirs - 1}`);
    this.check(x, y, 1);
    const fwd = forward(this.spec, this.params, x, 1, T);
    const { loss, dPrediction } = lossOf(this.spec, fwd.prediction, y);
    const { dhNorm } = backward(this.spec, this.params, fwd, dPrediction, x, 1, T);
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

  dispose(): void {
    this.disposed = true;
  }
}
