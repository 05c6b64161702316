// The WebGPU LSTM engine: stacked LSTM + linear head + MSE + Adam, one command buffer per training step.
import type { NamedTensor } from '../export/tensor';
import { BufferSet, readFloats } from '../gpu/buffers';
import type { TrainConfig } from './config';
import { validateConfig } from './config';
import { initialParameters } from './init';
import {
  bindGroup,
  encodeDispatches,
  MATMUL_TILE,
  matmulUniform,
  pipelines,
  u32Struct,
  type Dispatch,
  type MatmulDims,
  type Pipelines,
} from './kernels';
import { paramLayout, type ParamLayout } from './param_layout';

export interface TrainerOptions {
  /** Also compute d loss / d x (the fixtures check it; training does not need it). */
  computeInputGrad?: boolean;
}

export interface Losses {
  /** Mean of the training batch losses since the last resetLosses(); NaN if none. */
  trainLoss: number;
  /** Mean squared error over every validation element since the last resetLosses(); NaN if none. */
  valLoss: number;
  trainSteps: number;
}

interface LayerBuffers {
  /** [T+1][B][H]: hs[t] = h_{t-1}. */
  hs: GPUBuffer;
  /** [T+1][B][H]: cs[t] = c_{t-1}. */
  cs: GPUBuffer;
  /** [T][B][4H] activated gates i, f, g, o. */
  gates: GPUBuffer;
}

/** Every dispatch of one batch size, built once. */
interface Plan {
  batch: number;
  forward: Dispatch[];
  lossTrain: Dispatch;
  lossEval: Dispatch;
  backward: Dispatch[];
}

/** Bytes of GPU memory a configuration needs, per buffer, before anything is allocated. */
export function estimateBuffers(c: TrainConfig, computeInputGrad = false): { name: string; bytes: number }[] {
  const T = c.window, B = c.batchSize, H = c.hiddenSize, I = c.inputSize;
  const P = paramLayout(c).total;
  const predRows = (c.headOn ?? 'last_step') === 'every_step' ? T * B : B;
  const list = [
    { name: 'parameters (×4: weights, gradients, Adam m and v)', bytes: 4 * P * 4 },
    { name: 'input batch', bytes: 4 * T * B * I },
    { name: 'input projection', bytes: 4 * T * B * 4 * H },
    { name: 'gate gradients', bytes: 4 * T * B * 4 * H },
    { name: 'hidden-state gradients', bytes: 4 * T * B * H },
    { name: 'predictions, targets, gradients', bytes: 3 * 4 * predRows * c.outputSize },
  ];
  for (let l = 0; l < c.numLayers; l++) {
    list.push({ name: `layer ${l} states (h, c)`, bytes: 2 * 4 * (T + 1) * B * H });
    list.push({ name: `layer ${l} gates`, bytes: 4 * T * B * 4 * H });
  }
  if (computeInputGrad) list.push({ name: 'input gradient', bytes: 4 * T * B * I });
  return list;
}

export class LstmTrainer {
  readonly config: TrainConfig;
  readonly layout: ParamLayout;
  private readonly device: GPUDevice;
  private readonly kernels: Pipelines;
  private readonly owned: BufferSet;
  private readonly computeInputGrad: boolean;
  private readonly everyStep: boolean;
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  private readonly adamM: GPUBuffer;
  private readonly adamV: GPUBuffer;
  private readonly x: GPUBuffer;
  private readonly y: GPUBuffer;
  private readonly xw: GPUBuffer;
  private readonly dgates: GPUBuffer;
  private readonly dhOut: GPUBuffer;
  private readonly dc: GPUBuffer;
  private readonly pred: GPUBuffer;
  private readonly dpred: GPUBuffer;
  private readonly stats: GPUBuffer;
  private readonly dx: GPUBuffer | null;
  private readonly layers: LayerBuffers[];
  private readonly adamUniform: GPUBuffer;
  private readonly adamDispatch: Dispatch;
  private readonly plans = new Map<number, Plan>();
  private readonly xStage: Float32Array;
  private readonly yStage: Float32Array;
  private adamSteps = 0;
  private disposed = false;

  static async create(device: GPUDevice, config: TrainConfig, options: TrainerOptions = {}): Promise<LstmTrainer> {
    const problems = validateConfig(config);
    if (problems.length > 0) throw new Error(`Invalid model settings: ${problems.join('; ')}.`);
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    for (const b of estimateBuffers(config, options.computeInputGrad)) {
      if (b.bytes > limit) {
        throw new Error(
          `The ${b.name} buffer would need ${(b.bytes / 2 ** 20).toFixed(1)} MiB, over this GPU's limit of ` +
            `${(limit / 2 ** 20).toFixed(1)} MiB per buffer. Lower the batch size, the window or the hidden size.`,
        );
      }
    }
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const trainer = new LstmTrainer(device, config, options);
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (validation || oom) {
      trainer.dispose();
      const why = oom ? 'the GPU ran out of memory' : `WebGPU rejected the setup: ${validation!.message}`;
      throw new Error(`Could not build the model: ${why}. Lower the batch size, the window or the hidden size.`);
    }
    return trainer;
  }

  private constructor(device: GPUDevice, config: TrainConfig, options: TrainerOptions) {
    this.device = device;
    this.config = { ...config };
    this.layout = paramLayout(config);
    this.kernels = pipelines(device);
    this.owned = new BufferSet(device);
    this.computeInputGrad = options.computeInputGrad ?? false;
    this.everyStep = (config.headOn ?? 'last_step') === 'every_step';
    const { window: T, batchSize: B, hiddenSize: H, inputSize: I, outputSize: O } = config;
    const P = this.layout.total;
    const s = this.owned;
    this.params = s.storage('params', P);
    this.grads = s.storage('grads', P);
    this.adamM = s.storage('adam m', P);
    this.adamV = s.storage('adam v', P);
    this.x = s.storage('x [T][B][I]', T * B * I);
    const predSize = (this.everyStep ? T * B : B) * O;
    this.y = s.storage('y', predSize);
    this.pred = s.storage('pred', predSize);
    this.dpred = s.storage('dpred', predSize);
    this.xw = s.storage('xw [T][B][4H]', T * B * 4 * H);
    this.dgates = s.storage('dgates [T][B][4H]', T * B * 4 * H);
    this.dhOut = s.storage('dhOut [T][B][H]', T * B * H);
    this.dc = s.storage('dc [B][H]', B * H);
    this.stats = s.storage('loss stats', 8);
    this.dx = this.computeInputGrad ? s.storage('dx [T][B][I]', T * B * I) : null;
    this.layers = [];
    for (let l = 0; l < config.numLayers; l++) {
      this.layers.push({
        hs: s.storage(`hs l${l}`, (T + 1) * B * H),
        cs: s.storage(`cs l${l}`, (T + 1) * B * H),
        gates: s.storage(`gates l${l}`, T * B * 4 * H),
      });
    }
    this.xStage = new Float32Array(T * B * I);
    this.yStage = new Float32Array(predSize);
    device.queue.writeBuffer(this.params, 0, initialParameters(this.layout, H, config.seed));
    this.adamUniform = s.create('adam hyper', 48, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const groups = Math.min(Math.ceil(P / 256), 65535);
    this.adamDispatch = {
      label: 'adam',
      pipeline: this.kernels.adam,
      bindGroup: bindGroup(device, 'adam', this.kernels.adam, [this.params, this.grads, this.adamM, this.adamV, this.adamUniform]),
      x: groups,
      y: 1,
    };
  }

  // ---------- plans ----------

  private plan(batch: number): Plan {
    let p = this.plans.get(batch);
    if (!p) {
      p = this.buildPlan(batch);
      this.plans.set(batch, p);
    }
    return p;
  }

  private matmul(label: string, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, d: MatmulDims): Dispatch {
    const u = this.owned.uniform(`${label} dims`, matmulUniform(d));
    return {
      label,
      pipeline: this.kernels.matmul,
      bindGroup: bindGroup(this.device, label, this.kernels.matmul, [a, b, this.params, c, u]),
      x: Math.ceil(d.N / MATMUL_TILE),
      y: Math.ceil(d.M / MATMUL_TILE),
    };
  }

  private columnSum(label: string, input: GPUBuffer, M: number, N: number, ld: number, outOff: number, outOff2?: number): Dispatch {
    const u = this.owned.uniform(`${label} dims`, u32Struct([M, N, 0, ld, outOff, outOff2 ?? 0, outOff2 === undefined ? 1 : 2, 0]));
    return {
      label,
      pipeline: this.kernels.columnSum,
      bindGroup: bindGroup(this.device, label, this.kernels.columnSum, [input, this.grads, u]),
      x: Math.ceil(N / 64),
      y: 1,
    };
  }

  private buildPlan(B: number): Plan {
    const { window: T, hiddenSize: H, inputSize: I, outputSize: O, numLayers: L } = this.config;
    const slot = (n: string) => this.layout.byName.get(n)!;
    const device = this.device, k = this.kernels;
    const rowsPerGroup = Math.max(1, Math.min(B, Math.floor(256 / H)));
    const recurrentGroups = Math.ceil(B / rowsPerGroup);
    const forward: Dispatch[] = [];
    for (let l = 0; l < L; l++) {
      const inSize = l === 0 ? I : H;
      const input = l === 0 ? this.x : this.layers[l - 1].hs;
      const inOff = l === 0 ? 0 : B * H; // skip the h_{-1} rows of the layer below
      const wih = slot(`weight_ih_l${l}`);
      // xw[row][n] = sum_k input[row][k] * W_ih[n][k]   (all T·B rows in one product)
      forward.push(
        this.matmul(`input projection l${l}`, input, this.params, this.xw, {
          M: T * B, N: 4 * H, K: inSize, aOff: inOff, sam: inSize, sak: 1, bOff: wih.offset, sbk: 1, sbn: inSize, cOff: 0, ldc: 4 * H,
        }),
      );
      const u = this.owned.uniform(
        `lstm_forward l${l} dims`,
        u32Struct([T, B, H, rowsPerGroup, slot(`weight_hh_l${l}`).offset, slot(`bias_ih_l${l}`).offset, slot(`bias_hh_l${l}`).offset, 0]),
      );
      const Lb = this.layers[l];
      forward.push({
        label: `lstm_forward l${l}`,
        pipeline: k.lstmForward,
        bindGroup: bindGroup(device, `lstm_forward l${l}`, k.lstmForward, [this.xw, this.params, Lb.hs, Lb.cs, Lb.gates, u]),
        x: recurrentGroups,
        y: 1,
      });
    }
    const top = this.layers[L - 1].hs;
    const headRows = this.everyStep ? T * B : B;
    const headIn = this.everyStep ? B * H : T * B * H; // every step: rows 1..T; last step: row T
    const hw = slot('head.weight'), hb = slot('head.bias');
    // pred[r][o] = sum_j h[r][j] * head.weight[o][j] + head.bias[o]
    forward.push(
      this.matmul('head', top, this.params, this.pred, {
        M: headRows, N: O, K: H, aOff: headIn, sam: H, sak: 1, bOff: hw.offset, sbk: 1, sbn: H, cOff: 0, ldc: O, biasOff: hb.offset,
      }),
    );
    const loss = (mode: number): Dispatch => {
      const u = this.owned.uniform(`mse_loss mode ${mode}`, u32Struct([headRows * O, mode, 0, 0]));
      return {
        label: 'mse_loss',
        pipeline: k.mseLoss,
        bindGroup: bindGroup(device, 'mse_loss', k.mseLoss, [this.pred, this.y, this.dpred, this.stats, u]),
        x: 1,
        y: 1,
      };
    };

    const backward: Dispatch[] = [];
    // head.weight grad [O][H] = dpred^T · h ; head.bias grad = column sums of dpred
    backward.push(
      this.matmul('head weight grad', this.dpred, top, this.grads, {
        M: O, N: H, K: headRows, aOff: 0, sam: 1, sak: O, bOff: headIn, sbk: H, sbn: 1, cOff: hw.offset, ldc: H,
      }),
    );
    backward.push(this.columnSum('head bias grad', this.dpred, headRows, O, O, hb.offset));
    // dh (rows the head reads) = dpred · head.weight
    backward.push(
      this.matmul('head input grad', this.dpred, this.params, this.dhOut, {
        M: headRows, N: H, K: O, aOff: 0, sam: O, sak: 1, bOff: hw.offset, sbk: H, sbn: 1, cOff: this.everyStep ? 0 : (T - 1) * B * H, ldc: H,
      }),
    );
    for (let l = L - 1; l >= 0; l--) {
      const inSize = l === 0 ? I : H;
      const input = l === 0 ? this.x : this.layers[l - 1].hs;
      const inOff = l === 0 ? 0 : B * H;
      const Lb = this.layers[l];
      const wih = slot(`weight_ih_l${l}`), whh = slot(`weight_hh_l${l}`);
      const u = this.owned.uniform(`lstm_backward l${l} dims`, u32Struct([T, B, H, rowsPerGroup, whh.offset, 0, 0, 0]));
      backward.push({
        label: `lstm_backward l${l}`,
        pipeline: k.lstmBackward,
        bindGroup: bindGroup(device, `lstm_backward l${l}`, k.lstmBackward, [this.dhOut, this.params, Lb.gates, Lb.cs, this.dgates, this.dc, u]),
        x: recurrentGroups,
        y: 1,
      });
      // weight_ih grad [4H][in] = dgates^T · input, one product over all T·B rows
      backward.push(
        this.matmul(`weight_ih grad l${l}`, this.dgates, input, this.grads, {
          M: 4 * H, N: inSize, K: T * B, aOff: 0, sam: 1, sak: 4 * H, bOff: inOff, sbk: inSize, sbn: 1, cOff: wih.offset, ldc: inSize,
        }),
      );
      // weight_hh grad [4H][H] = dgates^T · h_{t-1}  (hs rows 0..T-1)
      backward.push(
        this.matmul(`weight_hh grad l${l}`, this.dgates, Lb.hs, this.grads, {
          M: 4 * H, N: H, K: T * B, aOff: 0, sam: 1, sak: 4 * H, bOff: 0, sbk: H, sbn: 1, cOff: whh.offset, ldc: H,
        }),
      );
      backward.push(this.columnSum(`bias grad l${l}`, this.dgates, T * B, 4 * H, 4 * H, slot(`bias_ih_l${l}`).offset, slot(`bias_hh_l${l}`).offset));
      // d input [T·B][in] = dgates · W_ih: the next layer down's dhOut, or dx
      const target = l > 0 ? this.dhOut : this.dx;
      if (target) {
        backward.push(
          this.matmul(`input grad l${l}`, this.dgates, this.params, target, {
            M: T * B, N: inSize, K: 4 * H, aOff: 0, sam: 4 * H, sak: 1, bOff: wih.offset, sbk: inSize, sbn: 1, cOff: 0, ldc: inSize,
          }),
        );
      }
    }
    return { batch: B, forward, lossTrain: loss(0), lossEval: loss(1), backward };
  }

  // ---------- steps ----------

  private upload(x: Float32Array, y: Float32Array | null, batch: number): Plan {
    if (this.disposed) throw new Error('This model was disposed.');
    const { window: T, inputSize: I, outputSize: O, batchSize } = this.config;
    if (!Number.isInteger(batch) || batch < 1 || batch > batchSize) throw new Error(`batch must be 1..${batchSize}, got ${batch}`);
    if (x.length !== batch * T * I) throw new Error(`x must hold batch·window·inputSize = ${batch * T * I} values, got ${x.length}`);
    // batch-first [B][T][I] -> time-major [T][B][I]
    const xs = this.xStage;
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < T; t++)
        for (let i = 0; i < I; i++) xs[(t * batch + b) * I + i] = x[(b * T + t) * I + i];
    this.device.queue.writeBuffer(this.x, 0, xs, 0, batch * T * I);
    if (y) {
      const n = (this.everyStep ? T : 1) * batch * O;
      if (y.length !== n) throw new Error(`y must hold ${n} values, got ${y.length}`);
      if (this.everyStep) {
        const ys = this.yStage;
        for (let b = 0; b < batch; b++)
          for (let t = 0; t < T; t++)
            for (let o = 0; o < O; o++) ys[(t * batch + b) * O + o] = y[(b * T + t) * O + o];
        this.device.queue.writeBuffer(this.y, 0, ys, 0, n);
      } else {
        this.device.queue.writeBuffer(this.y, 0, y, 0, n);
      }
    }
    return this.plan(batch);
  }

  private clearInitialState(enc: GPUCommandEncoder, plan: Plan): void {
    const bytes = plan.batch * this.config.hiddenSize * 4;
    for (const L of this.layers) {
      // h_{-1} = c_{-1} = 0 for this batch size (a smaller batch may have written there before)
      enc.clearBuffer(L.hs, 0, bytes);
      enc.clearBuffer(L.cs, 0, bytes);
    }
  }

  /** One Adam step on a batch: x [batch][window][inputSize] batch-first, y [batch][outputSize]
   *  (or [batch][window][outputSize] with a head on every step). Encodes and submits; no readback. */
  trainStep(x: Float32Array, y: Float32Array, batch: number): void {
    const plan = this.upload(x, y, batch);
    this.writeAdamHyper();
    const enc = this.device.createCommandEncoder({ label: 'train step' });
    this.clearInitialState(enc, plan);
    if (!this.everyStep) enc.clearBuffer(this.dhOut, 0, this.config.window * plan.batch * this.config.hiddenSize * 4);
    const pass = enc.beginComputePass({ label: 'train step' });
    encodeDispatches(pass, plan.forward);
    encodeDispatches(pass, [plan.lossTrain]);
    encodeDispatches(pass, plan.backward);
    encodeDispatches(pass, [this.adamDispatch]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Advances the Adam step count and uploads its hyper-parameters (bias corrections in float64). */
  private writeAdamHyper(): void {
    this.adamSteps += 1;
    const { beta1, beta2, eps, learningRate } = this.config;
    const hyper = new ArrayBuffer(48);
    const dv = new DataView(hyper);
    const P = this.layout.total;
    dv.setUint32(0, P, true);
    dv.setUint32(4, this.adamDispatch.x * 256, true);
    dv.setFloat32(8, learningRate / (1 - Math.pow(beta1, this.adamSteps)), true);
    dv.setFloat32(12, beta1, true);
    dv.setFloat32(16, beta2, true);
    dv.setFloat32(20, eps, true);
    dv.setFloat32(24, 1 / Math.sqrt(1 - Math.pow(beta2, this.adamSteps)), true);
    dv.setFloat32(28, 1 - beta1, true);
    dv.setFloat32(32, 1 - beta2, true);
    this.device.queue.writeBuffer(this.adamUniform, 0, hyper);
  }

  /** One Adam step on the gradients currently on the GPU (the last training step's, or writeGradients'). */
  optimizerStep(): void {
    this.writeAdamHyper();
    const enc = this.device.createCommandEncoder({ label: 'optimizer step' });
    const pass = enc.beginComputePass({ label: 'optimizer step' });
    encodeDispatches(pass, [this.adamDispatch]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Forward and loss only; adds the batch's squared errors to the validation sums. */
  evalStep(x: Float32Array, y: Float32Array, batch: number): void {
    const plan = this.upload(x, y, batch);
    const enc = this.device.createCommandEncoder({ label: 'eval step' });
    this.clearInitialState(enc, plan);
    const pass = enc.beginComputePass({ label: 'eval step' });
    encodeDispatches(pass, plan.forward);
    encodeDispatches(pass, [plan.lossEval]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Predictions for a batch: [batch][outputSize] (or [batch][window][outputSize] with a head on every step). */
  async predict(x: Float32Array, batch: number): Promise<Float32Array> {
    const plan = this.upload(x, null, batch);
    const enc = this.device.createCommandEncoder({ label: 'predict' });
    this.clearInitialState(enc, plan);
    const pass = enc.beginComputePass({ label: 'predict' });
    encodeDispatches(pass, plan.forward);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    const { window: T, outputSize: O } = this.config;
    const raw = await readFloats(this.device, this.pred, 0, (this.everyStep ? T : 1) * batch * O);
    if (!this.everyStep) return raw;
    const out = new Float32Array(raw.length);
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < T; t++)
        for (let o = 0; o < O; o++) out[(b * T + t) * O + o] = raw[(t * batch + b) * O + o];
    return out;
  }

  // ---------- losses ----------

  async readLosses(): Promise<Losses> {
    const s = await readFloats(this.device, this.stats, 0, 8);
    return {
      trainLoss: s[2] > 0 ? s[1] / s[2] : NaN,
      valLoss: s[4] > 0 ? s[3] / s[4] : NaN,
      trainSteps: s[2],
    };
  }

  /** The loss of the most recent batch (train or eval). */
  async readLastLoss(): Promise<number> {
    return (await readFloats(this.device, this.stats, 0, 1))[0];
  }

  resetLosses(): void {
    this.device.queue.writeBuffer(this.stats, 0, new Float32Array(8));
  }

  // ---------- parameters ----------

  private async readFlat(buffer: GPUBuffer): Promise<NamedTensor[]> {
    const flat = await readFloats(this.device, buffer, 0, this.layout.total);
    return this.layout.slots.map((s) => ({ name: s.name, shape: [...s.shape], data: flat.slice(s.offset, s.offset + s.size) }));
  }

  /** Every parameter with its torch name (weight_ih_l0 … head.bias). */
  readParameters(): Promise<NamedTensor[]> {
    return this.readFlat(this.params);
  }

  /** Gradients of the most recent training step, same names as the parameters. */
  readGradients(): Promise<NamedTensor[]> {
    return this.readFlat(this.grads);
  }

  /** Packs named tensors into the flat layout; names and shapes must match this model exactly. */
  private flatten(tensors: NamedTensor[], what: string): Float32Array {
    const flat = new Float32Array(this.layout.total);
    const seen = new Set<string>();
    for (const t of tensors) {
      const slot = this.layout.byName.get(t.name);
      if (!slot) throw new Error(`Unknown ${what} "${t.name}" for this model.`);
      if (t.shape.join(',') !== slot.shape.join(',') || t.data.length !== slot.size) {
        throw new Error(`The ${what} "${t.name}" has shape [${t.shape}] but this model needs [${slot.shape}].`);
      }
      flat.set(t.data, slot.offset);
      seen.add(t.name);
    }
    const missing = this.layout.slots.filter((s) => !seen.has(s.name)).map((s) => s.name);
    if (missing.length > 0) throw new Error(`Missing ${what}s: ${missing.join(', ')}.`);
    return flat;
  }

  /** Replaces every parameter (names and shapes must match exactly) and resets the optimizer state. */
  writeParameters(tensors: NamedTensor[]): void {
    const flat = this.flatten(tensors, 'parameter');
    this.device.queue.writeBuffer(this.params, 0, flat);
    this.device.queue.writeBuffer(this.adamM, 0, new Float32Array(this.layout.total));
    this.device.queue.writeBuffer(this.adamV, 0, new Float32Array(this.layout.total));
    this.adamSteps = 0;
  }

  /** Replaces the gradients (for checking the optimizer alone against known gradients). */
  writeGradients(tensors: NamedTensor[]): void {
    this.device.queue.writeBuffer(this.grads, 0, this.flatten(tensors, 'gradient'));
  }

  /** Layer state of the most recent forward pass, time-major: h and c [T+1][batch][H], gates [T][batch][4H]. */
  async readLayerState(layer: number, batch: number): Promise<{ h: Float32Array; c: Float32Array; gates: Float32Array }> {
    const { window: T, hiddenSize: H } = this.config;
    const L = this.layers[layer];
    return {
      h: await readFloats(this.device, L.hs, 0, (T + 1) * batch * H),
      c: await readFloats(this.device, L.cs, 0, (T + 1) * batch * H),
      gates: await readFloats(this.device, L.gates, 0, T * batch * 4 * H),
    };
  }

  /** d loss / d x of the most recent training step, batch-first [batch][window][inputSize]. */
  async readInputGradient(batch: number): Promise<Float32Array> {
    if (!this.dx) throw new Error('Create the trainer with computeInputGrad: true to read the input gradient.');
    const { window: T, inputSize: I } = this.config;
    const raw = await readFloats(this.device, this.dx, 0, T * batch * I);
    const out = new Float32Array(raw.length);
    for (let b = 0; b < batch; b++)
      for (let t = 0; t < T; t++)
        for (let i = 0; i < I; i++) out[(b * T + t) * I + i] = raw[(t * batch + b) * I + i];
    return out;
  }

  get optimizerSteps(): number {
    return this.adamSteps;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.plans.clear();
    this.owned.destroyAll();
  }
}
