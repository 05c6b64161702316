// Compute pipelines for every WGSL kernel, and the dispatch record the engine replays each step.
import { checkKernelSizes, checkSizeTable, KERNEL_SIZES, type KernelSizes } from './kernel_sizes';
import { SHADERS, sizesOf, statsSlotsSource, type ShaderName } from './shader_sources';
import { statSlotMismatches } from './stats_slots';
import { MATMUL_DIMS } from './uniforms';

/** Each pipeline of the engine: its shader module and entry point. */
const KERNELS = {
  lstmForward: ['lstmForward', 'main'],
  lstmBackward: ['lstmBackward', 'main'],
  gruForward: ['gruForward', 'main'],
  gruBackward: ['gruBackward', 'main'],
  rnnForward: ['rnnForward', 'main'],
  rnnBackward: ['rnnBackward', 'main'],
  columnSum: ['columnSum', 'main'],
  regressionLoss: ['regressionLoss', 'main'],
  crossEntropyLoss: ['crossEntropyLoss', 'main'],
  gradNormPartial: ['gradNorm', 'partial'],
  gradNormFinish: ['gradNorm', 'finish'],
  adam: ['adam', 'main'],
  sgd: ['sgd', 'main'],
  dropout: ['dropout', 'apply'],
  dropoutInPlace: ['dropout', 'apply_in_place'],
  embeddingForward: ['embeddingForward', 'main'],
  embeddingBackward: ['embeddingBackward', 'main'],
} as const satisfies Record<string, readonly [ShaderName, string]>;

export type KernelName = keyof typeof KERNELS | 'matmul';
export type Pipelines = Record<KernelName, GPUComputePipeline>;

/** The per-step recurrent kernels (recurrent_step_common.wgsl), compiled only where a plan may use them. */
const STEP_KERNELS = ['lstmStepForward', 'lstmStepBackward', 'gruStepForward', 'gruStepBackward', 'rnnStepForward', 'rnnStepBackward'] as const;
export type StepKernelName = (typeof STEP_KERNELS)[number];
export type StepPipelines = Record<StepKernelName, GPUComputePipeline>;

/** The 4-lane subgroup recurrences, compiled only on a device whose subgroups suit them (subgroup_support.ts). */
const SUBGROUP_KERNELS = ['lstmForwardSubgroup', 'lstmBackwardSubgroup'] as const;
export type SubgroupKernelName = (typeof SUBGROUP_KERNELS)[number];
export type SubgroupPipelines = Record<SubgroupKernelName, GPUComputePipeline>;

/** The uniforms bound with a dynamic offset: the per-step kernels' visit number (recurrent_step_common.wgsl, group 1). */
const DYNAMIC_OFFSET = new Set(['visit']);

/** The three matmul kernels: `tiled` stages tiles in workgroup memory (matmul.wgsl, for GPUs); `direct` reads
 *  operands straight from storage (matmul_direct.wgsl, for CPU adapters, where workgroup memory and barriers cost
 *  more than they save); `subgroup` is `direct` sharing A's loads across a 4-lane subgroup (matmul_subgroup.wgsl, for
 *  CPU adapters whose subgroups suit it: subgroup_support.ts). Same bindings and dispatch grid (KERNEL_SIZES.matmul.TILE). */
export type MatmulKind = 'tiled' | 'direct' | 'subgroup';

const MATMUL_SHADERS: Record<MatmulKind, ShaderName> = { tiled: 'matmulTiled', direct: 'matmulDirect', subgroup: 'matmulSubgroup' };

/** Whether the device runs on a CPU (a fallback or SwiftShader adapter). */
export function adapterIsCpu(device: GPUDevice): boolean {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return !!info && (info.isFallbackAdapter || info.architecture === 'swiftshader');
}

/** The matmul kernel the engine uses on this device: on a CPU (fallback or SwiftShader) adapter `subgroup` where its
 *  subgroups suit the subgroup kernels (`subgroups`, from subgroup_support.ts) and `direct` else; `tiled` on a GPU. */
export function matmulKindFor(device: GPUDevice, subgroups = false): MatmulKind {
  return adapterIsCpu(device) ? (subgroups ? 'subgroup' : 'direct') : 'tiled';
}

/** Shader modules, explicit pipeline layouts and pipelines of a device, the pipelines keyed on shader, entry point and
 *  override constants. */
interface DeviceCache {
  modules: Map<ShaderName, GPUShaderModule>;
  layouts: Map<ShaderName, GPUPipelineLayout>;
  pipelines: Map<string, GPUComputePipeline>;
}

const compiled = new WeakMap<GPUDevice, DeviceCache>();
let checked = false;

/** Refuses, before the first compile, a size table or stats mirror that disagrees with the shaders. */
function checkShaders(): void {
  if (checked) return;
  const problems = [...checkSizeTable(), ...statSlotMismatches(statsSlotsSource)];
  for (const [name, code] of Object.entries(SHADERS) as [ShaderName, string][]) problems.push(...checkKernelSizes(name, code, KERNEL_SIZES[sizesOf(name)]));
  if (problems.length > 0) throw new Error(`The kernel sizes or stats slots disagree with the shaders: ${problems.join('; ')}`);
  checked = true;
}

const BUFFER_TYPES: Record<string, GPUBufferBindingType> = { 'storage,read': 'read-only-storage', 'storage,read_write': 'storage', uniform: 'uniform' };

/** The bind group layouts of a module's declarations (`@group(g) @binding(i) var<storage, read | read_write>` or
 *  `var<uniform>`), those of DYNAMIC_OFFSET with a dynamic offset, which `layout: 'auto'` cannot give. */
function declaredLayout(device: GPUDevice, shader: ShaderName): GPUPipelineLayout {
  const code = SHADERS[shader].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  const groups: GPUBindGroupLayoutEntry[][] = [];
  for (const m of code.matchAll(/@group\((\d+)\)\s*@binding\((\d+)\)\s*var<\s*(\w+)\s*(?:,\s*(\w+)\s*)?>\s*(\w+)/g)) {
    const type = BUFFER_TYPES[m[4] ? `${m[3]},${m[4]}` : m[3]];
    if (!type) throw new Error(`${shader}: binding ${m[5]} is neither storage nor uniform`);
    (groups[Number(m[1])] ??= []).push({ binding: Number(m[2]), visibility: GPUShaderStage.COMPUTE, buffer: { type, hasDynamicOffset: DYNAMIC_OFFSET.has(m[5]) } });
  }
  const bindGroupLayouts = Array.from(groups, (entries, g) => device.createBindGroupLayout({ label: `${shader} group ${g}`, entries: entries ?? [] }));
  return device.createPipelineLayout({ label: shader, bindGroupLayouts });
}

/** A pipeline for one entry point of a shader, its overrides set from its entry of KERNEL_SIZES (or `sizes`); with
 *  `explicit`, its pipeline layout from the shader's declarations (declaredLayout) instead of 'auto'. */
function compile(device: GPUDevice, label: string, shader: ShaderName, entryPoint: string, sizes?: KernelSizes, explicit = false): GPUComputePipeline {
  checkShaders();
  let cache = compiled.get(device);
  if (!cache) {
    cache = { modules: new Map(), layouts: new Map(), pipelines: new Map() };
    compiled.set(device, cache);
  }
  const code = SHADERS[shader];
  const constants: Record<string, number> = { ...(sizes ?? KERNEL_SIZES[sizesOf(shader)]) };
  if (sizes) {
    const problems = checkKernelSizes(shader, code, sizes);
    if (problems.length > 0) throw new Error(problems.join('; '));
  }
  const key = `${shader}|${entryPoint}|${JSON.stringify(constants)}`;
  let pipeline = cache.pipelines.get(key);
  if (!pipeline) {
    let module = cache.modules.get(shader);
    if (!module) {
      module = device.createShaderModule({ label: shader, code });
      cache.modules.set(shader, module);
    }
    let layout: GPUPipelineLayout | 'auto' = 'auto';
    if (explicit) {
      layout = cache.layouts.get(shader) ?? declaredLayout(device, shader);
      cache.layouts.set(shader, layout);
    }
    pipeline = device.createComputePipeline({ label, layout, compute: { module, entryPoint, constants } });
    cache.pipelines.set(key, pipeline);
  }
  return pipeline;
}

/** A pipeline for one matmul kernel (the engine's own choice is pipelines(device).matmul); another TILE than the
 *  engine's for the tests and benches (dispatch it over ceil(N / TILE) × ceil(M / TILE) workgroups). */
export function matmulPipeline(device: GPUDevice, kind: MatmulKind, sizes: typeof KERNEL_SIZES.matmul = KERNEL_SIZES.matmul): GPUComputePipeline {
  return compile(device, `matmul (${kind})`, MATMUL_SHADERS[kind], 'main', sizes);
}

/** One compute dispatch, prepared once and replayed. */
export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  x: number;
  y: number;
  /** A per-step kernel's group 1: the step records' bind group and the byte offset of this dispatch's visit number. */
  step?: { bindGroup: GPUBindGroup; offset: number };
}

/** Every pipeline of the engine, compiled once per device, the matmul of `matmul` (matmulKindFor's by default). */
export function pipelines(device: GPUDevice, matmul: MatmulKind = matmulKindFor(device)): Pipelines {
  const made = {} as Pipelines;
  for (const [name, [shader, entryPoint]] of Object.entries(KERNELS) as [KernelName, readonly [ShaderName, string]][]) {
    made[name] = compile(device, name, shader, entryPoint);
  }
  made.matmul = matmulPipeline(device, matmul);
  return made;
}

/** The per-step recurrent kernels, compiled once per device, with explicit layouts (group 1 takes a dynamic offset). */
export function stepPipelines(device: GPUDevice): StepPipelines {
  const made = {} as StepPipelines;
  for (const name of STEP_KERNELS) made[name] = compile(device, name, name, 'main', undefined, true);
  return made;
}

/** The subgroup recurrences, compiled once per device (the device must have the 'subgroups' feature). */
export function subgroupPipelines(device: GPUDevice): SubgroupPipelines {
  const made = {} as SubgroupPipelines;
  for (const name of SUBGROUP_KERNELS) made[name] = compile(device, name, name, 'main');
  return made;
}

/** The pipeline of subgroup_probe.wgsl at WG invocations per workgroup (subgroup_support.ts runs it). */
export function subgroupProbePipeline(device: GPUDevice, WG: number): GPUComputePipeline {
  return compile(device, `subgroup probe (${WG})`, 'subgroupProbe', 'main', { WG });
}

/** The visit numbers of the per-step kernels (recurrent_step_common.wgsl's `visit`): s = 0 … T-1 as u32, `stride` bytes
 *  apart (a multiple of the device's minUniformBufferOffsetAlignment), so visit s is bound at offset s × stride. */
export function stepRecords(T: number, stride: number): ArrayBuffer {
  const words = new Uint32Array(((T - 1) * stride) / 4 + 1);
  for (let s = 0; s < T; s++) words[(s * stride) / 4] = s;
  return words.buffer;
}

/** Group 1 of every per-step kernel: one u32 of `records` (stepRecords), chosen per dispatch by dynamic offset. */
export function stepBindGroup(device: GPUDevice, p: GPUComputePipeline, records: GPUBuffer): GPUBindGroup {
  return device.createBindGroup({ label: 'step records', layout: p.getBindGroupLayout(1), entries: [{ binding: 0, resource: { buffer: records, size: 4 } }] });
}

/** A bind group; `buffers[i]` goes to binding i, or give [binding, buffer] pairs for entry points using a subset. */
export function bindGroup(device: GPUDevice, label: string, p: GPUComputePipeline, buffers: GPUBuffer[] | [number, GPUBuffer][]): GPUBindGroup {
  const entries = (buffers as (GPUBuffer | [number, GPUBuffer])[]).map((b, i) =>
    Array.isArray(b) ? { binding: b[0], resource: { buffer: b[1] } } : { binding: i, resource: { buffer: b } },
  );
  return device.createBindGroup({ label, layout: p.getBindGroupLayout(0), entries });
}

export function encodeDispatches(pass: GPUComputePassEncoder, list: Dispatch[]): void {
  for (const d of list) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    if (d.step) pass.setBindGroup(1, d.step.bindGroup, [d.step.offset]);
    pass.dispatchWorkgroups(d.x, d.y);
  }
}

/** Matmul operand views: C(m,n) = sum_k A(m,k) B(k,n) (+ bias[n]) (+ C). Offsets and strides in floats. */
export interface MatmulDims {
  M: number;
  N: number;
  K: number;
  aOff: number;
  sam: number;
  sak: number;
  bOff: number;
  sbk: number;
  sbn: number;
  cOff: number;
  ldc: number;
  biasOff?: number;
  accumulate?: boolean;
}

export function matmulUniform(d: MatmulDims): ArrayBuffer {
  const flags = (d.biasOff !== undefined ? 1 : 0) | (d.accumulate ? 2 : 0);
  return MATMUL_DIMS.pack({ ...d, flags, biasOff: d.biasOff ?? 0 });
}
