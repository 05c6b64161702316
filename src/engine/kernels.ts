// Compute pipelines for every WGSL kernel, and the dispatch record the engine replays each step.
import adamSource from '../../shaders/adam.wgsl?raw';
import columnSumSource from '../../shaders/column_sum.wgsl?raw';
import lstmBackwardSource from '../../shaders/lstm_backward.wgsl?raw';
import lstmForwardSource from '../../shaders/lstm_forward.wgsl?raw';
import matmulSource from '../../shaders/matmul.wgsl?raw';
import mseLossSource from '../../shaders/mse_loss.wgsl?raw';

export interface Pipelines {
  matmul: GPUComputePipeline;
  lstmForward: GPUComputePipeline;
  lstmBackward: GPUComputePipeline;
  columnSum: GPUComputePipeline;
  mseLoss: GPUComputePipeline;
  adam: GPUComputePipeline;
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

function pipeline(device: GPUDevice, label: string, code: string): GPUComputePipeline {
  const module = device.createShaderModule({ label, code });
  return device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint: 'main' } });
}

export function pipelines(device: GPUDevice): Pipelines {
  let p = cache.get(device);
  if (!p) {
    p = {
      matmul: pipeline(device, 'matmul', matmulSource),
      lstmForward: pipeline(device, 'lstm_forward', lstmForwardSource),
      lstmBackward: pipeline(device, 'lstm_backward', lstmBackwardSource),
      columnSum: pipeline(device, 'column_sum', columnSumSource),
      mseLoss: pipeline(device, 'mse_loss', mseLossSource),
      adam: pipeline(device, 'adam', adamSource),
    };
    cache.set(device, p);
  }
  return p;
}

export function bindGroup(device: GPUDevice, label: string, p: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: p.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

export function encodeDispatches(pass: GPUComputePassEncoder, list: Dispatch[]): void {
  for (const d of list) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.x, d.y);
  }
}

/** Packs a uniform struct of u32 fields, padded to 16 bytes. */
export function u32Struct(values: number[]): ArrayBuffer {
  const words = new Uint32Array(Math.ceil(values.length / 4) * 4);
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`uniform field ${i} out of u32 range: ${v}`);
    words[i] = v;
  });
  return words.buffer;
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
  return u32Struct([d.M, d.N, d.K, flags, d.aOff, d.sam, d.sak, d.bOff, d.sbk, d.sbn, d.cOff, d.ldc, d.biasOff ?? 0, 0, 0, 0]);
}

export const MATMUL_TILE = 64;
