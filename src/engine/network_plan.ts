// Builds, once per batch size and mode, the list of dispatches of a forward pass, loss and backward pass.
import type { BufferSet } from '../gpu/buffers';
import type { TrainConfig } from './config';
import { dropoutSalt } from './dropout_mask';
import {
  adapterIsCpu, bindGroup, matmulUniform, stepBindGroup, stepPipelines, stepRecords, subgroupPipelines, type Dispatch, type MatmulDims, type Pipelines,
  type StepPipelines,
} from './kernels';
import { KERNEL_SIZES, type SequenceKernel } from './kernel_sizes';
import type { NetworkBuffers } from './network_buffers';
import { directionSuffix, directionsOf, gatesOf, type ParamLayout } from './param_layout';
import {
  foldsInput, perStepGrid, recurrenceDesign, sequenceRowsPerGroup, type RecurrenceChoice, type RecurrenceOption, type StepGrid,
} from './recurrence_design';
import {
  COLUMN_SUM_DIMS, CROSS_ENTROPY_DIMS, DROPOUT_DIMS, EMBEDDING_BACKWARD_DIMS, EMBEDDING_FORWARD_DIMS, RECURRENT_DIMS, REGRESSION_DIMS,
} from './uniforms';

/** 'train' applies dropout; 'eval' does not (validation, prediction and the probe). */
export type PlanMode = 'train' | 'eval';

export interface Plan {
  batch: number;
  mode: PlanMode;
  /** The recurrence design of every layer (recurrence_design.ts) and why. */
  recurrence: RecurrenceChoice;
  /** The one-dispatch kernels the 'sequence' design runs (recurrence_design.ts's sequenceKernel) and why. */
  sequenceKernel: SequenceKernelChoice;
  /** Initial-state rows to clear before the forward pass: [buffer, byte offset, bytes]. */
  clears: [GPUBuffer, number, number][];
  forward: Dispatch[];
  /** Loss by mode: 0 training (accumulates train loss), 1 evaluation, 2 probe (accumulates nothing). */
  loss: Dispatch[];
  /** dY rows the head does not write, cleared before the backward pass. */
  backwardClears: [GPUBuffer, number, number][];
  headBackward: Dispatch[];
  /** Backward dispatches of layer l (its recurrence, weight gradients and the gradient sent to layer l-1). */
  layerBackward: Dispatch[][];
  /** Embedding gradient (after layer 0), if any. */
  inputBackward: Dispatch[];
}

/** A view of a layer's input: `width` columns of rows `ld` apart, starting at `off`, feeding W_ih columns colOff…. */
interface InputSource {
  buffer: GPUBuffer;
  off: number;
  ld: number;
  width: number;
  colOff: number;
}

/** The one-dispatch kernels of every plan of a model, chosen once per trainer (sequenceKernel), and why. */
export interface SequenceKernelChoice {
  kernel: SequenceKernel;
  reason: string;
}

/** What the per-step design dispatches with: its pipelines and the step records' bind group (group 1). */
interface PerStep {
  k: StepPipelines;
  records: GPUBindGroup;
  /** Bytes from one step record to the next: the device's minUniformBufferOffsetAlignment. */
  stride: number;
}

export class NetworkPlanner {
  private perStepState: PerStep | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly k: Pipelines,
    private readonly c: TrainConfig,
    private readonly layout: ParamLayout,
    private readonly buf: NetworkBuffers,
    private readonly owned: BufferSet,
    private readonly stepUniform: GPUBuffer,
    private readonly recurrence: RecurrenceOption = 'auto',
    readonly sequenceKernel: SequenceKernelChoice = { kernel: 'plain', reason: 'the default' },
  ) {
    // compiled here, inside the trainer's error scopes, rather than at the first step
    if (sequenceKernel.kernel === 'subgroup') subgroupPipelines(device);
  }

  /** The recurrence design of a plan for `batch` rows on this device. */
  recurrenceFor(batch: number): RecurrenceChoice {
    const l = this.device.limits;
    return recurrenceDesign({
      cell: this.c.cell, batch, hidden: this.c.hiddenSize, adapterIsCpu: adapterIsCpu(this.device), requested: this.recurrence,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    });
  }

  /** The per-step pipelines and the T step records every plan of this model shares, made on first use. */
  private perStep(): PerStep {
    if (!this.perStepState) {
      const k = stepPipelines(this.device);
      const stride = this.device.limits.minUniformBufferOffsetAlignment;
      const records = this.owned.uniform('step records', stepRecords(this.c.window, stride));
      this.perStepState = { k, records: stepBindGroup(this.device, k.lstmStepForward, records), stride };
    }
    return this.perStepState;
  }

  /** T dispatches of a per-step kernel sharing one bind group, visit s reading step record s. */
  private stepDispatches(label: string, pipeline: GPUComputePipeline, buffers: GPUBuffer[], grid: StepGrid): Dispatch[] {
    const { records, stride } = this.perStep();
    const group = bindGroup(this.device, label, pipeline, buffers);
    return Array.from({ length: this.c.window }, (_, s) => ({
      label: `${label} s${s}`, pipeline, bindGroup: group, x: grid.x, y: grid.y, step: { bindGroup: records, offset: s * stride },
    }));
  }

  private slot(name: string): number {
    return this.layout.byName.get(name)!.offset;
  }

  private dispatch(label: string, pipeline: GPUComputePipeline, buffers: GPUBuffer[] | [number, GPUBuffer][], x: number, y = 1): Dispatch {
    return { label, pipeline, bindGroup: bindGroup(this.device, label, pipeline, buffers), x, y };
  }

  private matmul(label: string, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, d: MatmulDims): Dispatch {
    const u = this.owned.uniform(`${label} dims`, matmulUniform(d));
    const { TILE } = KERNEL_SIZES.matmul;
    return this.dispatch(label, this.k.matmul, [a, b, this.buf.params, c, u], Math.ceil(d.N / TILE), Math.ceil(d.M / TILE));
  }

  private columnSum(label: string, input: GPUBuffer, M: number, N: number, outOff: number, outOff2?: number): Dispatch {
    const dims = { M, N, inOff: 0, ld: N, outOff, outOff2: outOff2 ?? 0, copies: outOff2 === undefined ? 1 : 2 };
    const u = this.owned.uniform(`${label} dims`, COLUMN_SUM_DIMS.pack(dims));
    return this.dispatch(label, this.k.columnSum, [input, this.buf.grads, u], Math.ceil(N / KERNEL_SIZES.columnSum.WG));
  }

  private dropout(label: string, inPlace: boolean, input: GPUBuffer, inOff: number, output: GPUBuffer, n: number, salt: number): Dispatch {
    const p = this.c.dropout;
    const u = this.owned.uniform(`${label} dims`, DROPOUT_DIMS.pack({ n, inOff, outOff: 0, salt, p, scale: 1 / (1 - p) }));
    const groups = Math.min(Math.ceil(n / KERNEL_SIZES.dropout.WG), 1024);
    return inPlace
      ? this.dispatch(label, this.k.dropoutInPlace, [[1, output], [2, u], [3, this.stepUniform]], groups)
      : this.dispatch(label, this.k.dropout, [input, output, u, this.stepUniform], groups);
  }

  /** Row offset (in floats) of h_t for t = 0 in a direction's hs buffer; h_prev(t=0) is at the other end. */
  private outputOffset(dir: number, B: number): number {
    return dir === 0 ? B * this.c.hiddenSize : 0;
  }

  /** What layer l reads: the input batch, or each direction of the layer below (dropped out while training). */
  private sources(l: number, B: number, mode: PlanMode): InputSource[] {
    const { inputSize: I, hiddenSize: H } = this.c;
    if (l === 0) return [{ buffer: this.buf.x, off: 0, ld: I, width: I, colOff: 0 }];
    return this.buf.layers[l - 1].map((below, d) =>
      mode === 'train' && below.dropped
        ? { buffer: below.dropped, off: 0, ld: H, width: H, colOff: d * H }
        : { buffer: below.hs, off: this.outputOffset(d, B), ld: H, width: H, colOff: d * H },
    );
  }

  build(B: number, mode: PlanMode): Plan {
    const c = this.c, buf = this.buf, k = this.k;
    const { window: T, hiddenSize: H, outputSize: O, numLayers: L } = c;
    const D = directionsOf(c), G = gatesOf(c.cell);
    // The sequence design: a forward recurrent workgroup of WG invocations covers every hidden unit of rowsPerGroup
    // batch rows, ROWS rows per invocation (kernel_sizes.ts, the entry of the kernels in use); the backward runs on the
    // same rows (its ROWS divides the forward's). The per-step design: T dispatches of perStepGrid each, forward and
    // backward.
    const rowsPerGroup = sequenceRowsPerGroup(c.cell, H, B, this.sequenceKernel.kernel);
    const sub = this.sequenceKernel.kernel === 'subgroup' ? subgroupPipelines(this.device) : null;
    const recurrentGroups = Math.ceil(B / rowsPerGroup);
    const recurrence = this.recurrenceFor(B);
    const perStep = recurrence.design === 'per-step' ? this.perStep().k : null;
    const everyStep = c.headOn === 'every_step';
    const plan: Plan = { batch: B, mode, recurrence, sequenceKernel: this.sequenceKernel, clears: [], forward: [], loss: [], backwardClears: [], headBackward: [], layerBackward: [], inputBackward: [] };

    if (buf.ids) {
      const embOff = this.slot('embedding.weight');
      const u = this.owned.uniform('embedding_forward dims', EMBEDDING_FORWARD_DIMS.pack({ rows: T * B, E: c.inputSize, embOff }));
      const groups = Math.min(Math.ceil((T * B * c.inputSize) / KERNEL_SIZES.embeddingForward.WG), 1024);
      plan.forward.push(this.dispatch('embedding_forward', k.embeddingForward, [buf.ids, buf.params, buf.x, u], groups));
    }
    const cellUniforms: GPUBuffer[][] = [];
    for (let l = 0; l < L; l++) {
      const inTotal = l === 0 ? c.inputSize : D * H;
      cellUniforms.push([]);
      for (let d = 0; d < D; d++) {
        const s = `l${l}${directionSuffix(d)}`;
        const wih = this.slot(`weight_ih_${s}`);
        const fold = foldsInput(this.sequenceKernel.kernel, recurrence.design, c.cell, l, c.inputSize);
        if (!fold) this.sources(l, B, mode).forEach((src, i) => {
          // xw[row][n] (+)= sum_k src[row][k] * W_ih[n][colOff + k]   (all T·B rows in one product)
          plan.forward.push(
            this.matmul(`input projection ${s} part ${i}`, src.buffer, buf.params, buf.xw, {
              M: T * B, N: G * H, K: src.width, aOff: src.off, sam: src.ld, sak: 1,
              bOff: wih + src.colOff, sbk: 1, sbn: inTotal, cOff: 0, ldc: G * H, accumulate: i > 0,
            }),
          );
        });
        const u = this.owned.uniform(
          `${c.cell} ${s} dims`,
          RECURRENT_DIMS.pack({
            T, B, H, rowsPerGroup, whhOff: this.slot(`weight_hh_${s}`), bihOff: this.slot(`bias_ih_${s}`), bhhOff: this.slot(`bias_hh_${s}`), reverse: d,
            foldI: fold ? c.inputSize : 0, wihOff: wih,
          }),
        );
        cellUniforms[l].push(u);
        const Ld = buf.layers[l][d];
        const initRow = d === 0 ? 0 : T;
        plan.clears.push([Ld.hs, initRow * B * H * 4, B * H * 4]);
        if (Ld.cs) plan.clears.push([Ld.cs, initRow * B * H * 4, B * H * 4]);
        const fwdBuffers = c.cell === 'lstm' ? [buf.xw, buf.params, Ld.hs, Ld.cs!, Ld.gates, u] : [buf.xw, buf.params, Ld.hs, Ld.gates, u];
        if (perStep) {
          const grid = perStepGrid(c.cell, H, B, 'forward');
          plan.forward.push(...this.stepDispatches(`${c.cell}_step_forward ${s}`, perStep[`${c.cell}StepForward`], fwdBuffers, grid));
        } else {
          const pipeline = c.cell === 'lstm' ? (sub?.lstmForwardSubgroup ?? k.lstmForward) : c.cell === 'gru' ? k.gruForward : k.rnnForward;
          // the subgroup kernel reads the layer's input (binding 6) where it folds the input projection in
          const buffers = pipeline === sub?.lstmForwardSubgroup ? [...fwdBuffers, buf.x] : fwdBuffers;
          plan.forward.push(this.dispatch(`${c.cell}_forward ${s}`, pipeline, buffers, recurrentGroups));
        }
        if (mode === 'train' && Ld.dropped) {
          plan.forward.push(this.dropout(`dropout ${s}`, false, Ld.hs, this.outputOffset(d, B), Ld.dropped, T * B * H, dropoutSalt(l, d)));
        }
      }
    }

    // head: pred[r][o] = sum_d sum_j h_d[r][j] * head.weight[o][d·H + j] + head.bias[o]
    const hw = this.slot('head.weight'), hb = this.slot('head.bias');
    const R = everyStep ? T * B : B;
    const headView = (d: number) => (everyStep ? this.outputOffset(d, B) : (d === 0 ? T : T - 1) * B * H);
    for (let d = 0; d < D; d++) {
      plan.forward.push(
        this.matmul(`head d${d}`, buf.layers[L - 1][d].hs, buf.params, buf.pred, {
          M: R, N: O, K: H, aOff: headView(d), sam: H, sak: 1, bOff: hw + d * H, sbk: 1, sbn: D * H, cOff: 0, ldc: O,
          biasOff: d === 0 ? hb : undefined, accumulate: d > 0,
        }),
      );
    }
    for (let mode = 0; mode < 3; mode++) {
      const ce = c.loss === 'cross_entropy';
      const kind = c.loss === 'mae' ? 1 : c.loss === 'huber' ? 2 : 0;
      const u = this.owned.uniform(`loss mode ${mode}`, ce ? CROSS_ENTROPY_DIMS.pack({ R, mode, C: O }) : REGRESSION_DIMS.pack({ n: R * O, mode, kind }));
      const lossBuffers = ce ? [buf.pred, buf.y, buf.dpred, buf.stats, buf.classWeights!, u] : [buf.pred, buf.y, buf.dpred, buf.stats, u];
      plan.loss.push(this.dispatch(`loss mode ${mode}`, ce ? k.crossEntropyLoss : k.regressionLoss, lossBuffers, 1));
    }

    const top = (L - 1) % 2;
    for (let d = 0; d < D; d++) {
      const view = buf.layers[L - 1][d].hs;
      // head.weight grad [O][d·H…] = dpred^T · h_d
      plan.headBackward.push(
        this.matmul(`head weight grad d${d}`, buf.dpred, view, buf.grads, {
          M: O, N: H, K: R, aOff: 0, sam: 1, sak: O, bOff: headView(d), sbk: H, sbn: 1, cOff: hw + d * H, ldc: D * H,
        }),
      );
      // d loss / d h_d (the rows the head reads) = dpred · head.weight[:, d·H…]
      if (!everyStep) plan.backwardClears.push([buf.dY[top][d], 0, T * B * H * 4]);
      plan.headBackward.push(
        this.matmul(`head input grad d${d}`, buf.dpred, buf.params, buf.dY[top][d], {
          M: R, N: H, K: O, aOff: 0, sam: O, sak: 1, bOff: hw + d * H, sbk: D * H, sbn: 1, cOff: everyStep ? 0 : (T - 1) * B * H, ldc: H,
        }),
      );
    }
    plan.headBackward.push(this.columnSum('head bias grad', buf.dpred, R, O, hb));

    for (let l = 0; l < L; l++) plan.layerBackward.push([]);
    for (let l = L - 1; l >= 0; l--) {
      const list = plan.layerBackward[l];
      const cur = l % 2, lower = (l + 1) % 2;
      const inTotal = l === 0 ? c.inputSize : D * H;
      const sources = this.sources(l, B, mode);
      for (let d = 0; d < D; d++) {
        const s = `l${l}${directionSuffix(d)}`;
        const Ld = buf.layers[l][d];
        const dY = buf.dY[cur][d];
        const u = cellUniforms[l][d];
        const bwdBuffers = c.cell === 'lstm'
          ? [dY, buf.params, Ld.gates, Ld.cs!, buf.dgates, buf.carry, u]
          : c.cell === 'gru'
            ? [dY, buf.params, Ld.gates, Ld.hs, buf.dgates, buf.dgatesH!, buf.carry, u]
            : [dY, buf.params, Ld.gates, buf.dgates, u];
        if (perStep) {
          // visit s of T in the opposite order of the forward's (the kernel maps s to t)
          const grid = perStepGrid(c.cell, H, B, 'backward');
          list.push(...this.stepDispatches(`${c.cell}_step_backward ${s}`, perStep[`${c.cell}StepBackward`], bwdBuffers, grid));
        } else {
          const pipeline = c.cell === 'lstm' ? (sub?.lstmBackwardSubgroup ?? k.lstmBackward) : c.cell === 'gru' ? k.gruBackward : k.rnnBackward;
          list.push(this.dispatch(`${c.cell}_backward ${s}`, pipeline, bwdBuffers, recurrentGroups));
        }
        const wih = this.slot(`weight_ih_${s}`);
        const dHidden = buf.dgatesH ?? buf.dgates;
        // weight_ih grad [G·H][in] = dgates^T · input, one product over all T·B rows per input part
        sources.forEach((src, i) => {
          list.push(
            this.matmul(`weight_ih grad ${s} part ${i}`, buf.dgates, src.buffer, buf.grads, {
              M: G * H, N: src.width, K: T * B, aOff: 0, sam: 1, sak: G * H, bOff: src.off, sbk: src.ld, sbn: 1, cOff: wih + src.colOff, ldc: inTotal,
            }),
          );
        });
        // weight_hh grad [G·H][H] = dgates_hidden^T · h_prev  (h_prev(t) rows are contiguous from the initial state)
        list.push(
          this.matmul(`weight_hh grad ${s}`, dHidden, Ld.hs, buf.grads, {
            M: G * H, N: H, K: T * B, aOff: 0, sam: 1, sak: G * H, bOff: d === 0 ? 0 : B * H, sbk: H, sbn: 1, cOff: this.slot(`weight_hh_${s}`), ldc: H,
          }),
        );
        if (buf.dgatesH) {
          list.push(this.columnSum(`bias_ih grad ${s}`, buf.dgates, T * B, G * H, this.slot(`bias_ih_${s}`)));
          list.push(this.columnSum(`bias_hh grad ${s}`, buf.dgatesH, T * B, G * H, this.slot(`bias_hh_${s}`)));
        } else {
          list.push(this.columnSum(`bias grad ${s}`, buf.dgates, T * B, G * H, this.slot(`bias_ih_${s}`), this.slot(`bias_hh_${s}`)));
        }
        // d input = dgates · W_ih: each direction of the layer below, or dx; the second direction adds to the first
        if (l > 0) {
          for (let dl = 0; dl < D; dl++) {
            list.push(
              this.matmul(`input grad ${s} to d${dl}`, buf.dgates, buf.params, buf.dY[lower][dl], {
                M: T * B, N: H, K: G * H, aOff: 0, sam: G * H, sak: 1, bOff: wih + dl * H, sbk: inTotal, sbn: 1, cOff: 0, ldc: H, accumulate: d > 0,
              }),
            );
          }
        } else if (buf.dx) {
          list.push(
            this.matmul(`input grad ${s}`, buf.dgates, buf.params, buf.dx, {
              M: T * B, N: c.inputSize, K: G * H, aOff: 0, sam: G * H, sak: 1, bOff: wih, sbk: inTotal, sbn: 1, cOff: 0, ldc: c.inputSize, accumulate: d > 0,
            }),
          );
        }
      }
      if (l > 0 && mode === 'train') {
        // forward: next input = h ⊙ mask  =>  dh = d input ⊙ mask
        buf.layers[l - 1].forEach((below, dl) => {
          if (below.dropped) list.push(this.dropout(`dropout grad l${l - 1} d${dl}`, true, below.hs, 0, buf.dY[lower][dl], T * B * H, dropoutSalt(l - 1, dl)));
        });
      }
    }
    if (buf.ids && buf.tokenIndex && buf.dx) {
      const embOff = this.slot('embedding.weight');
      const u = this.owned.uniform('embedding_backward dims', EMBEDDING_BACKWARD_DIMS.pack({ E: c.inputSize, embOff }));
      const columns = Math.ceil(c.inputSize / KERNEL_SIZES.embeddingBackward.WG);
      plan.inputBackward.push(this.dispatch('embedding_backward', k.embeddingBackward, [buf.tokenIndex, buf.dx, buf.grads, u], Math.min(T * B, 65535), columns));
    }
    return plan;
  }
}
