// Which of the two recurrence designs a plan runs, as one pure function of the cell, batch, hidden size and device
// (its kind and limits), so the rule is unit-tested and either design can be forced.
//   'sequence' (lstm|gru|rnn_forward / _backward.wgsl): one dispatch for all T steps; each workgroup owns a tile of
//       batch rows and loops over time with storage barriers, re-reading the whole W_hh every step. It runs
//       ceil(B / rowsPerGroup) workgroups: a handful on a small batch, while the rest of a big GPU idles.
//   'per-step' (lstm|gru|rnn_step_forward / _backward.wgsl, recurrent_step_common.wgsl): one dispatch per time step,
//       in order inside one compute pass, the hidden units spread over ceil(H / UNITS) × ceil(B / ROWS) workgroups.
//       It pays a dispatch per step (3.7 µs inside one pass on an H100 through Dawn), forward and backward.
import type { CellKind } from './config';
import { recurrentSizes, stepSizes, type SequenceKernel } from './kernel_sizes';
import { gatesOf } from './param_layout';

export type RecurrenceDesign = 'sequence' | 'per-step';
/** What a trainer is asked for (TrainerOptions.recurrence): 'auto' lets recurrenceDesign choose. */
export type RecurrenceOption = 'auto' | RecurrenceDesign;

export interface RecurrenceFacts {
  cell: CellKind;
  batch: number;
  hidden: number;
  /** A CPU adapter (SwiftShader, a fallback adapter): it runs workgroups a few at a time, so spreading a step over
   *  many buys nothing and each extra dispatch costs. */
  adapterIsCpu: boolean;
  maxComputeWorkgroupsPerDimension: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  /** 'auto' when absent. */
  requested?: RecurrenceOption;
}

export interface RecurrenceChoice {
  design: RecurrenceDesign;
  /** Why, in words (the bench prints it). */
  reason: string;
}

/** Below this hidden size a step of the one-dispatch kernel (an H-long loop per invocation) is about as short as the
 *  dispatch the per-step design would add for it. An estimate, to be timed on GPUs with bench --node --profile. */
export const PER_STEP_MIN_HIDDEN = 128;
/** From this many workgroups on, the one-dispatch kernel already occupies the compute units of most GPUs (an H100
 *  has 132, laptop GPUs 16 to 40), so splitting hidden units across more buys little. An estimate, like the above. */
export const SEQUENCE_BUSY_WORKGROUPS = 32;

/** Batch rows per workgroup of the one-dispatch kernels: every hidden unit of them, ROWS rows per invocation. */
export function sequenceRowsPerGroup(cell: CellKind, hidden: number, batch: number, kernel: SequenceKernel = 'plain'): number {
  const { WG, ROWS } = recurrentSizes(cell, kernel).forward;
  return Math.min(Math.max(1, Math.floor(WG / hidden)) * ROWS, batch);
}

/** Workgroups of one dispatch of the one-dispatch kernels. */
export function sequenceWorkgroups(cell: CellKind, hidden: number, batch: number, kernel: SequenceKernel = 'plain'): number {
  return Math.ceil(batch / sequenceRowsPerGroup(cell, hidden, batch, kernel));
}

/** What a trainer is asked for (TrainerOptions.sequenceKernel): 'auto' lets sequenceKernel choose. */
export type SequenceKernelOption = 'auto' | SequenceKernel;

export interface SequenceKernelFacts {
  cell: CellKind;
  adapterIsCpu: boolean;
  /** Whether the device's subgroups suit the subgroup kernels (subgroup_support.ts), and why not. */
  subgroups: { usable: boolean; reason: string };
  /** 'auto' when absent. */
  requested?: SequenceKernelOption;
}

/**
 * The one-dispatch kernels of a plan: 'subgroup' for an LSTM on a CPU adapter whose subgroups suit them (where a load
 * from storage costs several multiply-adds and sharing them measured faster: README, "Where the time goes"), 'plain'
 * otherwise. GPUs keep 'plain': their subgroups are 32 or 64 lanes wide, not the 4 these kernels are written for.
 * Forced by `requested`; a 'subgroup' the device or cell cannot run throws.
 */
export function sequenceKernel(f: SequenceKernelFacts): { kernel: SequenceKernel; reason: string } {
  const requested = f.requested ?? 'auto';
  const misfit = f.cell !== 'lstm' ? `there are subgroup kernels for LSTM only, not ${f.cell}` : !f.subgroups.usable ? f.subgroups.reason : null;
  if (requested === 'plain') return { kernel: 'plain', reason: 'asked for' };
  if (requested === 'subgroup') {
    if (misfit) throw new Error(`The subgroup recurrence kernels were asked for, but ${misfit}.`);
    return { kernel: 'subgroup', reason: 'asked for' };
  }
  if (misfit) return { kernel: 'plain', reason: misfit };
  if (!f.adapterIsCpu) return { kernel: 'plain', reason: 'a GPU adapter: the subgroup kernels are written for 4-lane subgroups' };
  return { kernel: 'subgroup', reason: `a CPU adapter with ${f.subgroups.reason}` };
}

export interface StepGrid {
  x: number;
  y: number;
  /** Invocations per workgroup (WG). */
  invocations: number;
  /** The partial sums in workgroup memory (recurrent_step_common.wgsl's `part`: WG × SUMS_PER_ROW × ROWS floats). */
  workgroupBytes: number;
}

/** The grid of one per-step dispatch: ceil(H / UNITS) × ceil(B / ROWS) workgroups. */
export function perStepGrid(cell: CellKind, hidden: number, batch: number, pass: 'forward' | 'backward'): StepGrid {
  const s = stepSizes(cell)[pass];
  // SUMS_PER_ROW of the kernel: a sum per gate forward, one (the recurrent part of dh) backward
  const sums = pass === 'forward' ? gatesOf(cell) : 1;
  return { x: Math.ceil(hidden / s.UNITS), y: Math.ceil(batch / s.ROWS), invocations: s.WG, workgroupBytes: 4 * s.WG * sums * s.ROWS };
}

/** Why the device cannot run the per-step kernels at this size (null when it can). */
function perStepMisfit(f: RecurrenceFacts): string | null {
  for (const pass of ['forward', 'backward'] as const) {
    const g = perStepGrid(f.cell, f.hidden, f.batch, pass);
    if (Math.max(g.x, g.y) > f.maxComputeWorkgroupsPerDimension) {
      return `its ${pass} grid of ${g.x} × ${g.y} workgroups is over the device's maxComputeWorkgroupsPerDimension (${f.maxComputeWorkgroupsPerDimension})`;
    }
    if (g.workgroupBytes > f.maxComputeWorkgroupStorageSize) {
      return `its ${pass} kernel needs ${g.workgroupBytes} bytes of workgroup memory, over the device's maxComputeWorkgroupStorageSize (${f.maxComputeWorkgroupStorageSize})`;
    }
    if (g.invocations > f.maxComputeInvocationsPerWorkgroup) {
      return `its ${pass} kernel has ${g.invocations} invocations per workgroup, over the device's maxComputeInvocationsPerWorkgroup (${f.maxComputeInvocationsPerWorkgroup})`;
    }
  }
  return null;
}

/**
 * The recurrence design for one plan. Forced by `requested` (a 'per-step' the device cannot run throws); otherwise
 * 'sequence' on a CPU adapter, where the device cannot run the per-step kernels, below PER_STEP_MIN_HIDDEN hidden
 * units, or where the one-dispatch kernel already runs SEQUENCE_BUSY_WORKGROUPS workgroups; 'per-step' else.
 */
export function recurrenceDesign(f: RecurrenceFacts): RecurrenceChoice {
  const requested = f.requested ?? 'auto';
  const misfit = perStepMisfit(f);
  if (requested === 'sequence') return { design: 'sequence', reason: 'asked for' };
  if (requested === 'per-step') {
    if (misfit) throw new Error(`The per-step recurrence was asked for, but ${misfit}.`);
    return { design: 'per-step', reason: 'asked for' };
  }
  if (f.adapterIsCpu) return { design: 'sequence', reason: 'a CPU adapter, where a dispatch per step would cost more than spreading a step saves' };
  if (misfit) return { design: 'sequence', reason: `the per-step kernels do not fit: ${misfit}` };
  if (f.hidden < PER_STEP_MIN_HIDDEN) {
    return { design: 'sequence', reason: `H = ${f.hidden} < ${PER_STEP_MIN_HIDDEN}: a step of the one-dispatch kernel is about as short as a dispatch` };
  }
  const groups = sequenceWorkgroups(f.cell, f.hidden, f.batch);
  if (groups >= SEQUENCE_BUSY_WORKGROUPS) return { design: 'sequence', reason: `the one-dispatch kernel already runs ${groups} workgroups` };
  const g = perStepGrid(f.cell, f.hidden, f.batch, 'forward');
  return { design: 'per-step', reason: `the one-dispatch kernel would run ${groups} workgroup${groups === 1 ? '' : 's'}; a step runs ${g.x * g.y}` };
}

/** The widest first-layer input lstm_forward_subgroup forms x_t W_ih^T from itself (Dims.foldI), skipping the input
 *  projection: at I = 1 (config S) that product is a 2048 × 256 × 1 matmul bound by its 0.5 M stores (12 ms of a
 *  109 ms step on SwiftShader); each input column adds 5 loads a row in the recurrence's epilogue instead. */
export const FOLD_MAX_INPUT = 4;

/** Whether a plan folds layer l's input projection into its forward recurrence. */
export function foldsInput(kernel: SequenceKernel, design: RecurrenceDesign, cell: CellKind, layer: number, inputSize: number): boolean {
  return kernel === 'subgroup' && design === 'sequence' && cell === 'lstm' && layer === 0 && inputSize <= FOLD_MAX_INPUT;
}
