// Compute pipelines for every WGSL kernel, and the dispatch record the engine replays each step.
import adamSource from '../../shaders/adam.wgsl?raw';
import columnSumSource from '../../shaders/column_sum.wgsl?raw';
import crossEntropyLossSource from '../../shaders/cross_entropy_loss.wgsl?raw';
import dropoutSource from '../../shaders/dropout.wgsl?raw';
import embeddingBackwardSource from '../../shaders/embedding_backward.wgsl?raw';
import embeddingForwardSource from '../../shaders/embedding_forward.wgsl?raw';
import gradNormSource from '../../shaders/grad_norm.wgsl?raw';
import gruBackwardSource from '../../shaders/gru_backward.wgsl?raw';
import gruForwardSource from '../../shaders/gru_forward.wgsl?raw';
import lstmBackwardSource from '../../shaders/lstm_backward.wgsl?raw';
import lstmForwardSource from '../../shaders/lstm_forward.wgsl?raw';
import matmulCommonSource from '../../shaders/matmul_common.wgsl?raw';
import matmulDirectSource from '../../shaders/matmul_direct.wgsl?raw';
import matmulSource from '../../shaders/matmul.wgsl?raw';
import recurrentCommonSource from '../../shaders/recurrent_common.wgsl?raw';
import regressionLossSource from '../../shaders/regression_loss.wgsl?raw';
import rnnBackwardSource from '../../shaders/rnn_backward.wgsl?raw';
import rnnForwardSource from '../../shaders/rnn_forward.wgsl?raw';
import sgdSource from '../../shaders/sgd.wgsl?raw';

/** WGSL has no includes: the recurrent kernels are compiled after recurrent_common.wgsl, the matmuls after
 *  matmul_common.wgsl (the declarations they share). */
function recurrent(source: string): string {
  return `${recurrentCommonSource}\n${source}`;
}

const SOURCES = {
  lstmForward: [recurrent(lstmForwardSource), 'main'],
  lstmBackward: [recurrent(lstmBackwardSource), 'main'],
  gruForward: [recurrent(gruForwardSource), 'main'],
  gruBackward: [recurrent(gruBackwardSource), 'main'],
  rnnForward: [recurrent(rnnForwardSource), 'main'],
  rnnBackward: [recurrent(rnnBackwardSource), 'main'],
  columnSum: [columnSumSource, 'main'],
  regressionLoss: [regressionLossSource, 'main'],
  crossEntropyLoss: [crossEntropyLossSource, 'main'],
  gradNormPartial: [gradNormSource, 'partial'],
  gradNormFinish: [gradNormSource, 'finish'],
  adam: [adamSource, 'main'],
  sgd: [sgdSource, 'main'],
  dropout: [dropoutSource, 'apply'],
  dropoutInPlace: [dropoutSource, 'apply_in_place'],
  embeddingForward: [embeddingForwardSource, 'main'],
  embeddingBackward: [embeddingBackwardSource, 'main'],
} as const;

export type KernelName = keyof typeof SOURCES | 'matmul';
export type Pipelines = Record<KernelName, GPUComputePipeline>;

/** The two matmul kernels: `tiled` stages 64×64 tiles in workgroup memory (matmul.wgsl, for GPUs); `direct` reads
 *  operands straight from storage (matmul_direct.wgsl, for CPU adapters, where workgroup memory and barriers cost
 *  more than they save). Same bindings and dispatch grid. */
export type MatmulKind = 'tiled' | 'direct';

/** The matmul kernel the engine uses on this device: `direct` on a CPU (fallback or SwiftShader) adapter. */
export function matmulKindFor(device: GPUDevice): MatmulKind {
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return info && (info.isFallbackAdapter || info.architecture === 'swiftshader') ? 'direct' : 'tiled';
}

/** A pipeline for one matmul kernel (the engine's own choice is pipelines(device).matmul); compiled per call. */
export function matmulPipeline(device: GPUDevice, kind: MatmulKind): GPUComputePipeline {
  const code = `${matmulCommonSource}\n${kind === 'direct' ? matmulDirectSource : matmulSource}`;
  const module = device.createShaderModule({ label: `matmul ${kind}`, code });
  return device.createComputePipeline({ label: `matmul (${kind})`, layout: 'auto', compute: { module, entryPoint: 'main' } });
}

/** One compute dispatch, prepared once and replayed. */
export interface Dispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  x: number;
  y: number;
}

const cache = new WeakMap<GPUDevice, Pipelines>();

/** Every pipeline of the engine, compiled once per device. */
export function pipelines(device: GPUDevice): Pipelines {
  let p = cache.get(device);
  if (!p) {
    const modules = new Map<string, GPUShaderModule>();
    const made = {} as Pipelines;
    for (const [name, [code, entryPoint]] of Object.entries(SOURCES) as [KernelName, readonly [string, string]][]) {
      let module = modules.get(code);
      if (!module) {
        module = device.createShaderModule({ label: name, code });
        modules.set(code, module);
      }
      made[name] = device.createComputePipeline({ label: `${name}`, layout: 'auto', compute: { module, entryPoint } });
    }
    made.matmul = matmulPipeline(device, matmulKindFor(device));
    p = made;
    cache.set(device, p);
  }
  return p;
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
    pass.dispatchWorkgroups(d.x, d.y);
  }
}

/** Packs a uniform struct of u32 fields (numbers) and f32 fields ({ f32: number }), padded to 16 bytes. */
export function packUniform(values: (number | { f32: number })[]): ArrayBuffer {
  const buffer = new ArrayBuffer(Math.ceil(values.length / 4) * 16);
  const view = new DataView(buffer);
  values.forEach((v, i) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`uniform field ${i} out of u32 range: ${v}`);
      view.setUint32(i * 4, v, true);
    } else {
      view.setFloat32(i * 4, v.f32, true);
    }
  });
  return buffer;
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
  return packUniform([d.M, d.N, d.K, flags, d.aOff, d.sam, d.sak, d.bOff, d.sbk, d.sbn, d.cOff, d.ldc, d.biasOff ?? 0, 0, 0, 0]);
}

export const MATMUL_TILE = 64;
