// The WebGPU training engine: embedding? → stacked LSTM/GRU/RNN (bidirectional, dropout) → linear head → loss →
// optimizer, one command buffer per training step and no readback until someone asks for numbers.
import type { Losses, OptimizerSnapshot, Probe, TrainingEngine } from './engine';
import type { NamedTensor } from './tensor';
import { BufferSet, readFloats } from '../gpu/buffers';
import { checkedClassWeights, requireClassWeights } from './class_weight_check';
import { validateConfig, type TrainConfig } from './config';
import { dropoutStepSeed } from './dropout_mask';
import { initialParameters } from './init';
import { adapterIsCpu, bindGroup, encodeDispatches, matmulKindFor, pipelines, stepPipelines, type Dispatch, type MatmulKind, type Pipelines } from './kernels';
import { KERNEL_SIZES } from './kernel_sizes';
import { allocateNetwork, estimateMemory, storedGatesOf, type NetworkBuffers } from './network_buffers';
import { NetworkPlanner, type Plan, type PlanMode, type SequenceKernelChoice } from './network_plan';
import { directionsOf, paramLayout, type ParamLayout } from './param_layout';
import { sequenceKernel, type RecurrenceChoice, type RecurrenceOption, type SequenceKernelOption } from './recurrence_design';
import { subgroupSupport } from './subgroup_support';
import { fromTimeMajor, tokenIndex, toTimeMajor, toTokenIds } from './batch_layout';
import { MAX_NORM_PARTIALS, STAT, type StatSlot } from './stats_slots';
import { ADAM_HYPER, DROPOUT_STEP, GRAD_NORM_DIMS, SGD_HYPER } from './uniforms';

export interface TrainerOptions {
  /** Also compute d loss / d x (the fixtures check it; training does not need it). */
  computeInputGrad?: boolean;
  /** The recurrence design (recurrence_design.ts): 'auto' (the default) picks per batch from the device and sizes,
   *  'sequence' forces one dispatch for all T steps, 'per-step' a dispatch per time step (tests run both anywhere). */
  recurrence?: RecurrenceOption;
  /** The one-dispatch kernels (recurrence_design.ts's sequenceKernel): 'auto' (the default) takes the 4-lane subgroup
   *  LSTM kernels on a CPU adapter whose subgroups suit them, 'plain' or 'subgroup' force either (tests run both). */
  sequenceKernel?: SequenceKernelOption;
  /** The matmul kernel (kernels.ts's MatmulKind): by default matmulKindFor's choice for the device ('subgroup' on a CPU
   *  adapter whose subgroups suit it); forced by the tests that run the engine without subgroups. */
  matmulKernel?: MatmulKind;
}

export class RecurrentTrainer implements TrainingEngine {
  readonly config: TrainConfig;
  readonly layout: ParamLayout;
  readonly estimatedBytes: number;
  readonly device: GPUDevice;
  /** The matmul kernel this model's plans run (TrainerOptions.matmulKernel). */
  readonly matmulKind: MatmulKind;
  private readonly k: Pipelines;
  private readonly owned: BufferSet;
  private readonly buf: NetworkBuffers;
  private readonly planner: NetworkPlanner;
  private readonly plans = new Map<string, Plan>();
  private readonly stepUniform: GPUBuffer;
  private readonly optimizerUniform: GPUBuffer;
  private readonly gradNormDispatches: Dispatch[];
  private readonly optimizerDispatch: Dispatch;
  private readonly embeddingGradRange: [number, number] | null;
  private learningRate: number;
  /** classWeights 'balanced': the weights given (null until setClassWeights; the buffer holds 1.0s until then). */
  private classWeights: Float32Array | null = null;
  private steps = 0;
  private disposed = false;

  static async create(device: GPUDevice, config: TrainConfig, options: TrainerOptions = {}): Promise<RecurrentTrainer> {
    const problems = validateConfig(config);
    if (problems.length > 0) throw new Error(`Invalid model settings: ${problems.join('; ')}.`);
    const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    const { largest, totalBytes } = estimateMemory(config, options.computeInputGrad);
    if (largest.bytes > limit) {
      throw new Error(
        `The ${largest.name} buffer would need ${(largest.bytes / 2 ** 20).toFixed(1)} MiB, over this GPU's limit of ` +
          `${(limit / 2 ** 20).toFixed(1)} MiB per buffer (maxStorageBufferBindingSize). Lower the batch size, the window or the hidden size.`,
      );
    }
    // decided before the error scopes: a forced kernel the device cannot run throws its own reason
    const subgroups = await subgroupSupport(device);
    const sequence = sequenceKernel({ cell: config.cell, adapterIsCpu: adapterIsCpu(device), subgroups, requested: options.sequenceKernel });
    const matmul = options.matmulKernel ?? matmulKindFor(device, subgroups.usable);
    if (matmul === 'subgroup' && !subgroups.usable) throw new Error(`The subgroup matmul was asked for, but ${subgroups.reason}.`);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let trainer: RecurrentTrainer | null = null;
    let thrown: unknown = null;
    try {
      trainer = new RecurrentTrainer(device, config, options, totalBytes, sequence, matmul);
    } catch (e) {
      thrown = e;
    }
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    if (thrown || validation || oom) {
      trainer?.dispose();
      const why = oom
        ? `the GPU ran out of memory (the model needs about ${(totalBytes / 2 ** 20).toFixed(0)} MiB)`
        : `WebGPU rejected the setup: ${validation?.message ?? String(thrown)}`;
      throw new Error(`Could not build the model: ${why}. Lower the batch size, the window or the hidden size.`);
    }
    return trainer!;
  }

  private constructor(
    device: GPUDevice, config: TrainConfig, options: TrainerOptions, estimatedBytes: number, sequence: SequenceKernelChoice, matmul: MatmulKind,
  ) {
    this.device = device;
    this.config = { ...config };
    this.estimatedBytes = estimatedBytes;
    this.layout = paramLayout(config);
    this.matmulKind = matmul;
    this.k = pipelines(device, matmul);
    this.owned = new BufferSet(device);
    this.learningRate = config.learningRate;
    this.buf = allocateNetwork(this.owned, config, options.computeInputGrad ?? false);
    const sgd = config.optimizer === 'sgd';
    this.stepUniform = this.owned.create('step seed', DROPOUT_STEP.byteSize, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.optimizerUniform = this.owned.create('optimizer hyper', (sgd ? SGD_HYPER : ADAM_HYPER).byteSize, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    const recurrence = options.recurrence ?? 'auto';
    this.planner = new NetworkPlanner(device, this.k, this.config, this.layout, this.buf, this.owned, this.stepUniform, recurrence, sequence);
    // where a plan may use the per-step kernels, compile them (and refuse a forced design the device cannot run) here,
    // inside create()'s error scopes, rather than at the first step
    if (recurrence === 'per-step' || (recurrence === 'auto' && !adapterIsCpu(device))) {
      this.planner.recurrenceFor(config.batchSize);
      stepPipelines(device);
    }
    device.queue.writeBuffer(this.buf.params, 0, initialParameters(this.layout, config.hiddenSize, config.seed));
    if (this.buf.classWeights) device.queue.writeBuffer(this.buf.classWeights, 0, new Float32Array(config.outputSize).fill(1));
    const P = this.layout.total;
    // about one partial-sum workgroup per 16 Ki gradients, as many as the stats buffer has partial slots at most
    // (grad_norm.wgsl; kernel_sizes.ts checks its finish step has an invocation for each)
    const normGroups = Math.min(MAX_NORM_PARTIALS, Math.max(1, Math.ceil(P / 16384)));
    const normUniform = this.owned.uniform('grad_norm dims', GRAD_NORM_DIMS.pack({ n: P, maxNorm: config.clipNorm, groups: normGroups }));
    this.gradNormDispatches = [
      { label: 'grad_norm partial', pipeline: this.k.gradNormPartial, bindGroup: bindGroup(device, 'grad_norm partial', this.k.gradNormPartial, [this.buf.grads, this.buf.stats, normUniform]), x: normGroups, y: 1 },
      { label: 'grad_norm finish', pipeline: this.k.gradNormFinish, bindGroup: bindGroup(device, 'grad_norm finish', this.k.gradNormFinish, [[1, this.buf.stats], [2, normUniform]]), x: 1, y: 1 },
    ];
    const groups = Math.min(Math.ceil(P / KERNEL_SIZES[sgd ? 'sgd' : 'adam'].WG), 4096);
    const optimizerBuffers = sgd
      ? [this.buf.params, this.buf.grads, this.buf.moment1, this.buf.stats, this.optimizerUniform]
      : [this.buf.params, this.buf.grads, this.buf.moment1, this.buf.moment2!, this.buf.stats, this.optimizerUniform];
    const pipeline = sgd ? this.k.sgd : this.k.adam;
    this.optimizerDispatch = { label: config.optimizer, pipeline, bindGroup: bindGroup(device, config.optimizer, pipeline, optimizerBuffers), x: groups, y: 1 };
    const emb = this.layout.byName.get('embedding.weight');
    this.embeddingGradRange = emb ? [emb.offset * 4, emb.size * 4] : null;
  }

  private plan(batch: number, mode: PlanMode): Plan {
    const key = `${batch}:${mode}`;
    let p = this.plans.get(key);
    if (!p) {
      p = this.planner.build(batch, mode);
      this.plans.set(key, p);
    }
    return p;
  }

  // ---------- uploads ----------

  private upload(x: Float32Array, y: Float32Array | null, batch: number): void {
    if (this.disposed) throw new Error('This model was disposed.');
    const c = this.config, T = c.window;
    if (!Number.isInteger(batch) || batch < 1 || batch > c.batchSize) throw new Error(`batch must be 1..${c.batchSize}, got ${batch}`);
    if (this.buf.ids) {
      const ids = toTokenIds(x, batch, T, c.vocabSize);
      this.device.queue.writeBuffer(this.buf.ids, 0, ids);
      this.device.queue.writeBuffer(this.buf.tokenIndex!, 0, tokenIndex(ids));
    } else {
      if (x.length !== batch * T * c.inputSize) throw new Error(`x must hold batch·window·inputSize = ${batch * T * c.inputSize} values, got ${x.length}`);
      this.device.queue.writeBuffer(this.buf.x, 0, toTimeMajor(x, batch, T, c.inputSize));
    }
    if (y) {
      const perRow = c.loss === 'cross_entropy' ? 1 : c.outputSize;
      const n = (c.headOn === 'every_step' ? T : 1) * batch * perRow;
      if (y.length !== n) throw new Error(`y must hold ${n} values, got ${y.length}`);
      if (c.loss === 'cross_entropy') {
        for (let i = 0; i < n; i++) {
          if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= c.outputSize) throw new Error(`class id ${y[i]} at ${i} is not in 0..${c.outputSize - 1}`);
        }
      }
      this.device.queue.writeBuffer(this.buf.y, 0, c.headOn === 'every_step' ? toTimeMajor(y, batch, T, perRow) : y);
    }
  }

  private encodeForward(enc: GPUCommandEncoder, plan: Plan): GPUComputePassEncoder {
    for (const [b, off, size] of plan.clears) enc.clearBuffer(b, off, size);
    const pass = enc.beginComputePass({ label: `${plan.mode} forward` });
    encodeDispatches(pass, plan.forward);
    return pass;
  }

  private encodeBackward(enc: GPUCommandEncoder, pass: GPUComputePassEncoder, plan: Plan, downToLayer: number): GPUComputePassEncoder {
    pass.end();
    for (const [b, off, size] of plan.backwardClears) enc.clearBuffer(b, off, size);
    if (this.embeddingGradRange && downToLayer === 0) enc.clearBuffer(this.buf.grads, ...this.embeddingGradRange);
    const next = enc.beginComputePass({ label: 'backward' });
    encodeDispatches(next, plan.headBackward);
    for (let l = this.config.numLayers - 1; l >= downToLayer; l--) encodeDispatches(next, plan.layerBackward[l]);
    if (downToLayer === 0) encodeDispatches(next, plan.inputBackward);
    return next;
  }

  // ---------- steps ----------

  /** One optimizer step on a batch: x [batch][window][inputSize] batch-first (token ids [batch][window] with an
   *  embedding); y [batch][outputSize], class ids [batch] for cross-entropy, or per step with a head on every step.
   *  Encodes and submits one command buffer; no readback. */
  trainStep(x: Float32Array, y: Float32Array, batch: number): void {
    requireClassWeights(this.config, this.classWeights);
    this.upload(x, y, batch);
    const plan = this.plan(batch, 'train');
    this.steps += 1;
    this.device.queue.writeBuffer(this.stepUniform, 0, DROPOUT_STEP.pack({ seed: dropoutStepSeed(this.config.seed, this.steps) }));
    this.writeOptimizerHyper();
    const enc = this.device.createCommandEncoder({ label: 'train step' });
    let pass = this.encodeForward(enc, plan);
    encodeDispatches(pass, [plan.loss[0]]);
    pass = this.encodeBackward(enc, pass, plan, 0);
    encodeDispatches(pass, this.gradNormDispatches);
    encodeDispatches(pass, [this.optimizerDispatch]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** The recurrence design the plans for `batch` rows use, and why (bench --profile prints it). */
  recurrenceDesign(batch: number): RecurrenceChoice {
    return this.plan(batch, 'train').recurrence;
  }

  /** The one-dispatch kernels this model's plans run, and why (the bench and the tests read it). */
  sequenceKernel(): SequenceKernelChoice {
    return this.planner.sequenceKernel;
  }

  /** The dispatches of one training step in the order trainStep encodes them, for timing each alone (bench --profile). */
  trainStepDispatches(batch: number): Dispatch[] {
    const plan = this.plan(batch, 'train');
    const layers = [...plan.layerBackward].reverse().flat();
    return [...plan.forward, plan.loss[0], ...plan.headBackward, ...layers, ...plan.inputBackward, ...this.gradNormDispatches, this.optimizerDispatch];
  }

  private writeOptimizerHyper(): void {
    const c = this.config, t = this.steps;
    const sgd = c.optimizer === 'sgd';
    const n = this.layout.total, stride = this.optimizerDispatch.x * KERNEL_SIZES[sgd ? 'sgd' : 'adam'].WG;
    const lr = this.learningRate;
    const data = sgd
      ? SGD_HYPER.pack({ n, stride, lr, momentum: c.momentum, weightDecay: c.weightDecay, first: t === 1 ? 1 : 0 })
      : ADAM_HYPER.pack({
          n, stride, stepSize: lr / (1 - Math.pow(c.beta1, t)), beta1: c.beta1, beta2: c.beta2, eps: c.eps,
          invSqrtBc2: 1 / Math.sqrt(1 - Math.pow(c.beta2, t)), oneMinusBeta1: 1 - c.beta1, oneMinusBeta2: 1 - c.beta2,
          lr, weightDecay: c.weightDecay, decoupled: c.optimizer === 'adamw' ? 1 : 0,
        });
    this.device.queue.writeBuffer(this.optimizerUniform, 0, data);
  }

  /** One optimizer step on the gradients now on the GPU (checks the optimizer alone against known gradients). */
  optimizerStep(): void {
    this.steps += 1;
    this.writeOptimizerHyper();
    const enc = this.device.createCommandEncoder({ label: 'optimizer step' });
    const pass = enc.beginComputePass({ label: 'optimizer step' });
    encodeDispatches(pass, this.gradNormDispatches);
    encodeDispatches(pass, [this.optimizerDispatch]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Resolves once the GPU has run every step submitted so far. */
  settled(): Promise<void> {
    return this.device.queue.onSubmittedWorkDone();
  }

  /** Forward and loss only (no dropout); adds the batch to the validation sums. */
  evalStep(x: Float32Array, y: Float32Array, batch: number): void {
    requireClassWeights(this.config, this.classWeights);
    this.upload(x, y, batch);
    const plan = this.plan(batch, 'eval');
    const enc = this.device.createCommandEncoder({ label: 'eval step' });
    const pass = this.encodeForward(enc, plan);
    encodeDispatches(pass, [plan.loss[1]]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Head outputs for a batch, batch-first: [batch][outputSize], or [batch][window][outputSize] on every step. */
  async predict(x: Float32Array, batch: number): Promise<Float32Array> {
    this.upload(x, null, batch);
    const plan = this.plan(batch, 'eval');
    const enc = this.device.createCommandEncoder({ label: 'predict' });
    this.encodeForward(enc, plan).end();
    this.device.queue.submit([enc.finish()]);
    const { window: T, outputSize: O } = this.config;
    const everyStep = this.config.headOn === 'every_step';
    const raw = await readFloats(this.device, this.buf.pred, 0, (everyStep ? T : 1) * batch * O);
    return everyStep ? fromTimeMajor(raw, batch, T, O) : raw;
  }

  /** Gate activations and gradient flow of one sequence (x [1][window][…], y its target) in one layer direction. */
  async probe(x: Float32Array, y: Float32Array, layer: number, direction = 0): Promise<Probe> {
    const c = this.config, T = c.window, H = c.hiddenSize;
    if (layer < 0 || layer >= c.numLayers) throw new Error(`layer must be 0..${c.numLayers - 1}`);
    if (direction < 0 || direction >= directionsOf(c)) throw new Error(`direction must be 0..${directionsOf(c) - 1}`);
    this.upload(x, y, 1);
    const plan = this.plan(1, 'eval');
    const enc = this.device.createCommandEncoder({ label: 'probe' });
    let pass = this.encodeForward(enc, plan);
    encodeDispatches(pass, [plan.loss[2]]);
    pass = this.encodeBackward(enc, pass, plan, layer);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    const L = this.buf.layers[layer][direction];
    const GS = storedGatesOf(c.cell);
    const gates = await readFloats(this.device, L.gates, 0, T * GS * H);
    const hOff = direction === 0 ? H : 0;
    const h = await readFloats(this.device, L.hs, hOff, T * H);
    const dh = await readFloats(this.device, this.buf.dY[layer % 2][direction], 0, T * H);
    const loss = (await readFloats(this.device, this.buf.stats, STAT.BATCH_LOSS, 1))[0];
    const values: Record<string, Float32Array> = {};
    const gateNames = c.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : c.cell === 'gru' ? ['r', 'z', 'n'] : [];
    gateNames.forEach((name, g) => {
      const v = new Float32Array(T * H);
      for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) v[t * H + j] = gates[t * GS * H + g * H + j];
      values[name] = v;
    });
    if (L.cs) values.c = await readFloats(this.device, L.cs, hOff, T * H);
    values.h = h;
    const gradNorm = new Float32Array(T);
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += dh[t * H + j] ** 2;
      gradNorm[t] = Math.sqrt(s);
    }
    return { layer, direction, names: Object.keys(values), values, gradNorm, loss };
  }

  // ---------- losses and schedule ----------

  async readLosses(): Promise<Losses> {
    const s = await readFloats(this.device, this.buf.stats, 0, STAT.NORM_PARTIALS);
    const regression = this.config.loss !== 'cross_entropy';
    const steps = s[STAT.TRAIN_STEPS], count = s[STAT.VAL_COUNT];
    return {
      trainLoss: steps > 0 ? s[STAT.TRAIN_LOSS_SUM] / steps : NaN,
      valLoss: count > 0 ? s[STAT.VAL_LOSS_SUM] / (regression ? count : s[STAT.VAL_WEIGHT_SUM]) : NaN,
      valMse: regression && count > 0 ? s[STAT.VAL_SQ_ERR_SUM] / count : NaN,
      valMae: regression && count > 0 ? s[STAT.VAL_ABS_ERR_SUM] / count : NaN,
      valAccuracy: !regression && count > 0 ? s[STAT.VAL_CORRECT] / count : NaN,
      trainSteps: steps,
      gradNorm: s[STAT.GRAD_NORM],
      nonFinite: s[STAT.NON_FINITE] !== 0,
    };
  }

  /** The loss of the most recent batch (train, eval or probe). */
  async readLastLoss(): Promise<number> {
    return (await readFloats(this.device, this.buf.stats, STAT.BATCH_LOSS, 1))[0];
  }

  /** Clears the running sums of readLosses (not the non-finite flag). */
  resetLosses(): void {
    this.writeStats({ TRAIN_LOSS_SUM: 0, TRAIN_STEPS: 0, VAL_LOSS_SUM: 0, VAL_COUNT: 0, VAL_CORRECT: 0, VAL_SQ_ERR_SUM: 0, VAL_ABS_ERR_SUM: 0, VAL_WEIGHT_SUM: 0 });
  }

  /** Lets training continue after a non-finite step was reported (after restoring good weights). */
  clearNonFinite(): void {
    this.writeStats({ NON_FINITE: 0, CLIP_SCALE: 1 });
  }

  /** Sets stats slots by name. */
  private writeStats(values: Partial<Record<StatSlot, number>>): void {
    for (const [slot, v] of Object.entries(values) as [StatSlot, number][]) {
      this.device.queue.writeBuffer(this.buf.stats, STAT[slot] * 4, new Float32Array([v]));
    }
  }

  setClassWeights(weights: ArrayLike<number>): void {
    this.classWeights = checkedClassWeights(this.config, weights);
    this.device.queue.writeBuffer(this.buf.classWeights!, 0, this.classWeights);
  }

  /** The learning rate the next steps use (schedules change it between epochs). */
  setLearningRate(lr: number): void {
    if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`learning rate must be a positive number, got ${lr}`);
    this.learningRate = lr;
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  get optimizerSteps(): number {
    return this.steps;
  }

  // ---------- parameters ----------

  private async readFlat(buffer: GPUBuffer): Promise<NamedTensor[]> {
    const flat = await readFloats(this.device, buffer, 0, this.layout.total);
    return this.layout.slots.map((s) => ({ name: s.name, shape: [...s.shape], data: flat.slice(s.offset, s.offset + s.size) }));
  }

  /** Every parameter with its torch name (embedding.weight, weight_ih_l0 … head.bias). */
  readParameters(): Promise<NamedTensor[]> {
    return this.readFlat(this.buf.params);
  }

  /** Gradients of the most recent training step (before clipping), same names as the parameters. */
  readGradients(): Promise<NamedTensor[]> {
    return this.readFlat(this.buf.grads);
  }

  /** Optimizer state: Adam m and v, or SGD's momentum buffer (checkpoints keep it so a resumed run continues exactly). */
  async readOptimizerState(): Promise<OptimizerSnapshot> {
    const P = this.layout.total;
    return {
      step: this.steps,
      moment1: await readFloats(this.device, this.buf.moment1, 0, P),
      moment2: this.buf.moment2 ? await readFloats(this.device, this.buf.moment2, 0, P) : null,
    };
  }

  writeOptimizerState(state: OptimizerSnapshot): void {
    const P = this.layout.total;
    if (state.moment1.length !== P || (this.buf.moment2 && state.moment2?.length !== P)) throw new Error('Optimizer state does not match this model.');
    this.device.queue.writeBuffer(this.buf.moment1, 0, state.moment1);
    if (this.buf.moment2 && state.moment2) this.device.queue.writeBuffer(this.buf.moment2, 0, state.moment2);
    this.steps = state.step;
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
    this.device.queue.writeBuffer(this.buf.params, 0, this.flatten(tensors, 'parameter'));
    this.device.queue.writeBuffer(this.buf.moment1, 0, new Float32Array(this.layout.total));
    if (this.buf.moment2) this.device.queue.writeBuffer(this.buf.moment2, 0, new Float32Array(this.layout.total));
    this.steps = 0;
  }

  /** Replaces the gradients (for checking the optimizer alone against known gradients). */
  writeGradients(tensors: NamedTensor[]): void {
    this.device.queue.writeBuffer(this.buf.grads, 0, this.flatten(tensors, 'gradient'));
  }

  /** A layer direction's state after the most recent forward pass, time-major [T][batch][…]. */
  async readLayerState(layer: number, direction: number, batch: number): Promise<{ h: Float32Array; c: Float32Array | null; gates: Float32Array }> {
    const { window: T, hiddenSize: H } = this.config;
    const L = this.buf.layers[layer][direction];
    const off = direction === 0 ? batch * H : 0;
    return {
      h: await readFloats(this.device, L.hs, off, T * batch * H),
      c: L.cs ? await readFloats(this.device, L.cs, off, T * batch * H) : null,
      gates: await readFloats(this.device, L.gates, 0, T * batch * storedGatesOf(this.config.cell) * H),
    };
  }

  /** d loss / d x of the most recent training step, batch-first [batch][window][inputSize]. */
  async readInputGradient(batch: number): Promise<Float32Array> {
    if (!this.buf.dx) throw new Error('Create the trainer with computeInputGrad: true to read the input gradient.');
    const { window: T, inputSize: I } = this.config;
    return fromTimeMajor(await readFloats(this.device, this.buf.dx, 0, T * batch * I), batch, T, I);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.plans.clear();
    this.owned.destroyAll();
  }
}
