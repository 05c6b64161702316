// The fast training engine on the CPU (float32; WebAssembly SIMD products and cell steps, plain JS where WebAssembly
// SIMD is missing or refused), for browsers without a usable WebGPU adapter.
import type { TrainConfig } from './config';
import { HostEngineBase } from './host_engine_base';
import { batchLoss, newLossSums } from './cpu_losses';
import type { KernelsName } from './cpu_matmul';
import { CpuNetwork, type KernelsChoice } from './cpu_network';
import { adamUpdate, clipScale, globalNorm, sgdUpdate } from './cpu_optimizers';
import { requireClassWeights } from './class_weight_check';
import type { OptimizerSnapshot, Probe, TrainingEngine } from './engine';
import { initialParameters } from './init';
import { paramLayout } from './param_layout';
import type { NamedTensor } from './tensor';

export interface CpuEngineOptions {
  /** 'auto' (default): WebAssembly SIMD kernels where available, else plain JS; 'js': plain JS (for comparisons). */
  kernels?: KernelsChoice;
}

/** The performance mark each engine leaves, its detail naming the kernels it runs (how a page or test can tell). */
export const CPU_KERNELS_MARK = 'lstm-playground:cpu-kernels';

/**
 * cpu_network.ts behind the TrainingEngine interface, with the rules of the WebGPU trainer and CpuEngine: the same
 * seeded start, dropout masks, losses and sums, clipping, optimizer steps, sticky non-finite flag, and parameters and
 * optimizer state in the flat layout (paramLayout), so checkpoints move between the three engines.
 */
export class CpuEngine extends HostEngineBase implements TrainingEngine {
  /** The kernels this engine runs ('wasm-simd' or 'js'), and why plain JS where WebAssembly SIMD was not to be had. */
  readonly kernels: KernelsName;
  readonly kernelsNote: string;
  private readonly net: CpuNetwork;
  /** Flat parameters, gradients and optimizer moments (Adam m, v; SGD's momentum buffer in moment1). */
  private readonly params: Float32Array;
  private readonly moment1: Float32Array;
  private readonly moment2: Float32Array;
  private readonly loss = newLossSums();
  private steps = 0;
  private disposed = false;

  constructor(config: TrainConfig, options: CpuEngineOptions = {}) {
    super(config);
    this.net = new CpuNetwork(this.config, this.layout, initialParameters(this.layout, config.hiddenSize, config.seed), options.kernels ?? 'auto');
    // The network's own arrays (in WebAssembly memory when its kernels are WebAssembly): updated in place.
    this.params = this.net.params;
    this.kernels = this.net.kernels;
    this.kernelsNote = this.net.kernelsNote;
    this.moment1 = new Float32Array(this.layout.total);
    this.moment2 = new Float32Array(config.optimizer === 'sgd' ? 0 : this.layout.total);
    try {
      performance.clearMarks(CPU_KERNELS_MARK);
      performance.mark(CPU_KERNELS_MARK, { detail: { kernels: this.kernels, note: this.kernelsNote } });
    } catch {
      // a diagnostic only: a runtime without User Timing marks just has none
    }
  }

  private check(x: Float32Array, y: Float32Array | null, batch: number): void {
    if (this.disposed) throw new Error('This model was disposed.');
    const c = this.config, T = c.window;
    if (!Number.isInteger(batch) || batch < 1 || batch > c.batchSize) throw new Error(`batch must be 1..${c.batchSize}, got ${batch}`);
    const perStep = c.vocabSize > 0 ? 1 : c.inputSize;
    if (x.length !== batch * T * perStep) throw new Error(`x must hold ${batch * T * perStep} values, got ${x.length}`);
    if (c.vocabSize > 0) {
      const V = c.vocabSize;
      for (let i = 0; i < x.length; i++) {
        const id = x[i];
        if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`token id ${id} out of range [0, ${V})`);
      }
    }
    if (y) {
      const n = (c.headOn === 'every_step' ? T : 1) * batch * (c.loss === 'cross_entropy' ? 1 : c.outputSize);
      if (y.length !== n) throw new Error(`y must hold ${n} values, got ${y.length}`);
      if (c.loss === 'cross_entropy') {
        const O = c.outputSize;
        for (let i = 0; i < n; i++) {
          const v = y[i];
          if (!Number.isInteger(v) || v < 0 || v >= O) throw new Error(`class id ${v} out of range [0, ${O})`);
        }
      }
    }
  }

  private get headSteps(): number {
    return this.config.headOn === 'every_step' ? this.config.window : 1;
  }

  private get dropout(): boolean {
    return this.config.dropout > 0 && this.config.numLayers > 1;
  }

  trainStep(x: Float32Array, y: Float32Array, batch: number): void {
    this.check(x, y, batch);
    const c = this.config, net = this.net;
    this.steps += 1;
    net.forward(x, batch, this.dropout ? this.steps : 0);
    requireClassWeights(c, this.classWeights);
    batchLoss(c.loss, net.pred, net.Bp, batch, this.headSteps, c.outputSize, y, net.dPred, this.loss, this.classWeights);
    this.sums.trainSum += this.loss.loss;
    this.sums.trainSteps += 1;
    net.backward(this.dropout, true);
    this.gradNorm = globalNorm(net.grads);
    // The GPU's sticky flag: a non-finite gradient skips this step and every later one until clearNonFinite().
    if (!Number.isFinite(this.gradNorm)) this.nonFinite = true;
    if (this.nonFinite) return;
    const scale = clipScale(this.gradNorm, c.clipNorm), lr = this.learningRate;
    if (c.optimizer === 'sgd') sgdUpdate(this.params, net.grads, this.moment1, scale, { lr, momentum: c.momentum, weightDecay: c.weightDecay });
    else adamUpdate(this.params, net.grads, this.moment1, this.moment2, scale, this.steps, { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: c.weightDecay, decoupled: c.optimizer === 'adamw' });
    net.weightsChanged();
  }

  evalStep(x: Float32Array, y: Float32Array, batch: number): void {
    this.check(x, y, batch);
    const c = this.config, net = this.net, s = this.sums, r = this.loss;
    net.forward(x, batch, 0);
    requireClassWeights(c, this.classWeights);
    batchLoss(c.loss, net.pred, net.Bp, batch, this.headSteps, c.outputSize, y, null, r, this.classWeights);
    s.valSum += r.sum;
    s.valCount += r.count;
    s.valWeight += r.weight;
    if (c.loss === 'cross_entropy') s.valCorrect += r.correct;
    else {
      s.valSe += r.se;
      s.valAe += r.ae;
    }
  }

  async readParameters(): Promise<NamedTensor[]> {
    return this.layout.slots.map((s) => ({ name: s.name, shape: [...s.shape], data: this.params.slice(s.offset, s.offset + s.size) }));
  }

  /** Gradients of the most recent training step (before clipping), named as the parameters. */
  async readGradients(): Promise<NamedTensor[]> {
    const g = this.net.grads;
    return this.layout.slots.map((s) => ({ name: s.name, shape: [...s.shape], data: g.slice(s.offset, s.offset + s.size) }));
  }

  writeParameters(tensors: NamedTensor[]): void {
    const next = new Float32Array(this.layout.total), seen = new Set<string>();
    for (const t of tensors) {
      const slot = this.layout.byName.get(t.name);
      if (!slot) throw new Error(`Unknown parameter "${t.name}" for this model.`);
      if (t.shape.join(',') !== slot.shape.join(',') || t.data.length !== slot.size) {
        throw new Error(`The parameter "${t.name}" has shape [${t.shape}] but this model needs [${slot.shape}].`);
      }
      next.set(t.data, slot.offset);
      seen.add(t.name);
    }
    const missing = this.layout.slots.filter((s) => !seen.has(s.name)).map((s) => s.name);
    if (missing.length > 0) throw new Error(`Missing parameters: ${missing.join(', ')}.`);
    this.params.set(next);
    this.moment1.fill(0);
    this.moment2.fill(0);
    this.steps = 0;
    this.net.weightsChanged();
  }

  async readOptimizerState(): Promise<OptimizerSnapshot> {
    return { step: this.steps, moment1: this.moment1.slice(), moment2: this.config.optimizer === 'sgd' ? null : this.moment2.slice() };
  }

  writeOptimizerState(state: OptimizerSnapshot): void {
    const P = this.layout.total, adam = this.config.optimizer !== 'sgd';
    if (state.moment1.length !== P || (adam && state.moment2?.length !== P)) throw new Error('Optimizer state does not match this model.');
    // SGD's momentum buffer starts as the first gradient: a state before any step holds no buffer yet.
    if (state.step === 0 && !adam) this.moment1.fill(0);
    else this.moment1.set(state.moment1);
    if (adam) this.moment2.set(state.moment2!);
    this.steps = state.step;
  }

  async predict(x: Float32Array, batch: number): Promise<Float32Array> {
    this.check(x, null, batch);
    const net = this.net, S = this.headSteps, O = this.config.outputSize;
    net.forward(x, batch, 0);
    // time-major [S][Bp][O] to batch-first [batch][S][O]
    const out = new Float32Array(batch * S * O);
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < S; s++) out.set(net.pred.subarray((s * net.Bp + b) * O, (s * net.Bp + b + 1) * O), (b * S + s) * O);
    return out;
  }

  async probe(x: Float32Array, y: Float32Array, layer: number, direction = 0): Promise<Probe> {
    const c = this.config, T = c.window, H = c.hiddenSize, dirs = c.bidirectional ? 2 : 1, net = this.net;
    if (layer < 0 || layer >= c.numLayers) throw new Error(`layer must be 0..${c.numLayers - 1}`);
    if (direction < 0 || direction >= dirs) throw new Error(`direction must be 0..${dirs - 1}`);
    this.check(x, y, 1);
    net.forward(x, 1, 0);
    const r = newLossSums();
    batchLoss(c.loss, net.pred, net.Bp, 1, this.headSteps, c.outputSize, y, net.dPred, r);
    net.backward(false, false, layer);
    const v = net.probeValues(layer, direction);
    const names = c.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : c.cell === 'gru' ? ['r', 'z', 'n'] : [];
    const values: Record<string, Float32Array> = {};
    names.forEach((name, g) => {
      const out = new Float32Array(T * H);
      for (let t = 0; t < T; t++) out.set(v.gates.subarray(t * v.GS * H + g * H, t * v.GS * H + (g + 1) * H), t * H);
      values[name] = out;
    });
    if (v.c) values.c = v.c;
    values.h = v.h;
    return { layer, direction, names: Object.keys(values), values, gradNorm: v.dhNorm, loss: r.loss };
  }

  dispose(): void {
    this.disposed = true;
  }
}
