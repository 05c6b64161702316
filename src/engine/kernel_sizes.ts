// The one table of kernel sizes: workgroup sizes, rows (and units) per invocation, matmul tiles. kernels.ts hands each
// entry to its shader as WGSL override constants (GPUProgrammableStage.constants, under the same names), and the
// planner (network_plan.ts) and the trainer size their dispatch grids from the same entry, so a size is written here
// and nowhere else (the way webgpu-samples' cornell/raytracer.ts sets an override and its dispatch grid from one value).
//
// What stays a WGSL const: a number that shapes an invocation's registers (`const ROWS_MAX`, `UNITS_MAX`, the matmul's
// `BLOCK`), because function-scope storage cannot be sized by an override (only workgroup arrays can). Those consts
// bound what the table may ask for; checkKernelSizes reads them out of the shader source and refuses a table that
// exceeds them, so a mismatch fails loudly instead of computing garbage.
import { MAX_NORM_PARTIALS } from './stats_slots';
import { wgslIntConsts, wgslOverrides } from './wgsl_source';

/** Invocations per workgroup of the engine's kernels (the recurrences, element-wise passes and reductions). */
const WORKGROUP = 256;
/** Invocations per workgroup of the kernels with one invocation per output column (often few columns). */
const COLUMN_WORKGROUP = 64;
/** Invocations per workgroup of the 4-lane subgroup recurrences (and the probe's default: it runs at each size used). */
const SUBGROUP_WORKGROUP = 128;
/** Invocations per workgroup of the per-step forward kernels: 4 hidden units × 32 slices of the sum over k. */
const STEP_FORWARD_WORKGROUP = 128;

export interface RecurrentSizes {
  /** Invocations per workgroup. */
  readonly WG: number;
  /** Batch rows per invocation (each loaded W_hh value feeds ROWS multiply-adds); at most the shader's ROWS_MAX. */
  readonly ROWS: number;
}

/** The sizes of a per-step recurrent kernel (recurrent_step_common.wgsl): a workgroup of WG invocations owns UNITS
 *  hidden units × ROWS batch rows, WG / UNITS invocations per unit splitting its sum. */
export interface StepSizes extends RecurrentSizes {
  /** Hidden units per workgroup: a power of two dividing WG, with UNITS × ROWS ≤ WG (one finishing invocation each). */
  readonly UNITS: number;
}

function deepFreeze<T extends Record<string, Record<string, number>>>(table: T): Readonly<{ [K in keyof T]: Readonly<T[K]> }> {
  for (const entry of Object.values(table)) Object.freeze(entry);
  return Object.freeze(table);
}

export const KERNEL_SIZES = deepFreeze({
  lstmForward: { WG: WORKGROUP, ROWS: 8 },
  /** 2 hidden units per invocation as well: each loaded dgates value feeds UNITS multiply-adds (4 measured no faster). */
  lstmBackward: { WG: WORKGROUP, ROWS: 4, UNITS: 2 },
  // The 4-lane subgroup kernels (lstm_forward_subgroup.wgsl, lstm_backward_subgroup.wgsl) for CPU adapters: 16 rows
  // per invocation (their accumulators' size), and half the workgroup so a batch of 64 at H 64 still fills two
  // workgroups (SwiftShader runs a workgroup on one thread). The backward's padded unit groups need UNITS = 4.
  lstmForwardSubgroup: { WG: SUBGROUP_WORKGROUP, ROWS: 16 },
  lstmBackwardSubgroup: { WG: SUBGROUP_WORKGROUP, ROWS: 16, UNITS: 4 },
  subgroupProbe: { WG: SUBGROUP_WORKGROUP },
  gruForward: { WG: WORKGROUP, ROWS: 4 },
  gruBackward: { WG: WORKGROUP, ROWS: 4 },
  rnnForward: { WG: WORKGROUP, ROWS: 4 },
  rnnBackward: { WG: WORKGROUP, ROWS: 4 },
  // The per-step design (recurrent_step_common.wgsl), a dispatch per time step, ceil(H / UNITS) × ceil(B / ROWS)
  // workgroups. Forward: 32 invocations per unit along k, the slice fastest, so a unit's W_hh row and h_prev are read
  // in 32 neighbouring values. Backward: 32 neighbouring units read one W_hh row n, 8 slices of n each. Not yet timed
  // on a GPU (bench --node --profile prints both designs).
  lstmStepForward: { WG: STEP_FORWARD_WORKGROUP, ROWS: 4, UNITS: 4 },
  lstmStepBackward: { WG: WORKGROUP, ROWS: 4, UNITS: 32 },
  gruStepForward: { WG: STEP_FORWARD_WORKGROUP, ROWS: 4, UNITS: 4 },
  gruStepBackward: { WG: WORKGROUP, ROWS: 4, UNITS: 32 },
  rnnStepForward: { WG: STEP_FORWARD_WORKGROUP, ROWS: 4, UNITS: 4 },
  rnnStepBackward: { WG: WORKGROUP, ROWS: 4, UNITS: 32 },
  columnSum: { WG: COLUMN_WORKGROUP },
  regressionLoss: { WG: WORKGROUP },
  crossEntropyLoss: { WG: WORKGROUP },
  gradNorm: { WG: WORKGROUP },
  adam: { WG: WORKGROUP },
  sgd: { WG: WORKGROUP },
  dropout: { WG: WORKGROUP },
  embeddingForward: { WG: WORKGROUP },
  embeddingBackward: { WG: COLUMN_WORKGROUP },
  /** Both matmul kernels: a workgroup computes a TILE×TILE tile of C (a multiple of the shaders' BLOCK). */
  matmul: { TILE: 64 },
});

export type SizedKernel = keyof typeof KERNEL_SIZES;
export type KernelSizes = Readonly<Record<string, number>>;

/** The workgroup sizes of the subgroup kernels (the recurrences' WG, matmul_subgroup's (TILE / BLOCK)²), each of
 *  which subgroup_support.ts probes. */
export function subgroupWorkgroupSizes(table: Readonly<Record<string, KernelSizes>> = KERNEL_SIZES): number[] {
  const side = table.matmul.TILE / 8;
  return [...new Set([table.lstmForwardSubgroup.WG, table.lstmBackwardSubgroup.WG, side * side])].sort((x, y) => x - y);
}

/** The one-dispatch recurrence kernels: `plain` (lstm|gru|rnn_forward / _backward.wgsl) or, for LSTM on adapters with
 *  4-lane subgroups, `subgroup` (lstm_forward_subgroup.wgsl, lstm_backward_subgroup.wgsl). */
export type SequenceKernel = 'plain' | 'subgroup';

/** The sizes of a cell's forward and backward recurrence; the planner sizes rowsPerGroup from the forward's. */
export function recurrentSizes(cell: 'lstm' | 'gru' | 'rnn', kernel: SequenceKernel = 'plain'): { forward: RecurrentSizes; backward: RecurrentSizes } {
  if (kernel === 'subgroup') {
    if (cell !== 'lstm') throw new Error(`there are no subgroup kernels for ${cell}`);
    return { forward: KERNEL_SIZES.lstmForwardSubgroup, backward: KERNEL_SIZES.lstmBackwardSubgroup };
  }
  return { forward: KERNEL_SIZES[`${cell}Forward`], backward: KERNEL_SIZES[`${cell}Backward`] };
}

/** The sizes of a cell's per-step forward and backward kernels. */
export function stepSizes(cell: 'lstm' | 'gru' | 'rnn'): { forward: StepSizes; backward: StepSizes } {
  return { forward: KERNEL_SIZES[`${cell}StepForward`], backward: KERNEL_SIZES[`${cell}StepBackward`] };
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/**
 * What is wrong with running `code` (a shader as compiled, common files included) with `sizes` (empty when fine):
 * every override without an initializer must get a value and every value must name an override; a size X may not
 * exceed the shader's `const X_MAX`; a TILE must be a multiple of the shader's BLOCK; the reductions' tree sums
 * need a power-of-two WG (asked of every kernel); grad_norm's finish reads one partial per invocation.
 */
export function checkKernelSizes(kernel: string, code: string, sizes: KernelSizes): string[] {
  const problems: string[] = [];
  const overrides = wgslOverrides(code);
  const consts = wgslIntConsts(code);
  for (const o of overrides) if (!o.initialized && !(o.name in sizes)) problems.push(`${kernel}: the shader's override ${o.name} has no size in the table`);
  for (const [name, v] of Object.entries(sizes)) {
    if (!overrides.some((o) => o.name === name)) problems.push(`${kernel}: ${name} is not an override of the shader`);
    if (!Number.isInteger(v) || v < 1) problems.push(`${kernel}: ${name} = ${v} is not a positive integer`);
    const max = consts.get(`${name}_MAX`);
    if (max !== undefined && v > max) problems.push(`${kernel}: ${name} = ${v} is over the shader's ${name}_MAX = ${max}`);
  }
  const subtile = consts.get('SUBTILE');
  if (sizes.TILE !== undefined && subtile !== undefined && sizes.TILE % subtile !== 0) problems.push(`${kernel}: TILE = ${sizes.TILE} is not a multiple of the shader's SUBTILE (${subtile})`);
  const block = consts.get('BLOCK');
  if (sizes.TILE !== undefined && (block === undefined || sizes.TILE % block !== 0)) problems.push(`${kernel}: TILE = ${sizes.TILE} is not a multiple of the shader's BLOCK (${block})`);
  if (sizes.WG !== undefined && !isPowerOfTwo(sizes.WG)) problems.push(`${kernel}: WG = ${sizes.WG} is not a power of two`);
  return problems;
}

/** Rules across entries of the table (empty when fine). */
export function checkSizeTable(table: Readonly<Record<string, KernelSizes>> = KERNEL_SIZES): string[] {
  const problems: string[] = [];
  for (const cell of ['lstm', 'gru', 'rnn']) {
    const f = table[`${cell}Forward`], b = table[`${cell}Backward`];
    // rowsPerGroup, sized with the forward's ROWS, serves the backward too: keep it a multiple of the backward's.
    if (f.ROWS % b.ROWS !== 0) problems.push(`${cell}Backward: ROWS = ${b.ROWS} does not divide ${cell}Forward's ROWS = ${f.ROWS}`);
    // the per-step kernels split a workgroup into UNITS units × WG / UNITS slices (a power of two: a tree sum), and
    // finish with one invocation per (unit, row)
    for (const kernel of [`${cell}StepForward`, `${cell}StepBackward`]) {
      const s = table[kernel];
      if (!isPowerOfTwo(s.UNITS) || s.UNITS > s.WG) problems.push(`${kernel}: UNITS = ${s.UNITS} is not a power of two up to WG = ${s.WG}`);
      if (s.UNITS * s.ROWS > s.WG) problems.push(`${kernel}: UNITS × ROWS = ${s.UNITS * s.ROWS} is over WG = ${s.WG}`);
    }
  }
  const sf = table.lstmForwardSubgroup, sb = table.lstmBackwardSubgroup;
  if (sf.ROWS % sb.ROWS !== 0) problems.push(`lstmBackwardSubgroup: ROWS = ${sb.ROWS} does not divide lstmForwardSubgroup's ROWS = ${sf.ROWS}`);
  // their subgroups of 4 lanes must not straddle two workgroups (the probe checks the layout at each of their sizes)
  for (const kernel of ['lstmForwardSubgroup', 'lstmBackwardSubgroup']) {
    if (table[kernel].WG % 4 !== 0) problems.push(`${kernel}: WG = ${table[kernel].WG} is not a multiple of 4`);
  }
  if (table.gradNorm.WG < MAX_NORM_PARTIALS) problems.push(`gradNorm: WG = ${table.gradNorm.WG} is under the ${MAX_NORM_PARTIALS} partial sums its finish step adds`);
  return problems;
}
