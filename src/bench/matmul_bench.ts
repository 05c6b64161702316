// Matmul-only measurement: times a matmul.wgsl-compatible pipeline on square products and checks it against a CPU reference.
import { matmulUniform, type MatmulDims } from '../engine/kernels';
import { KERNEL_SIZES } from '../engine/kernel_sizes';
import { Prng } from '../util/prng';

/** A compute pipeline with matmul.wgsl's bindings (a, b, bias, c, dims), dispatched over TILE×TILE tiles of C. */
export interface MatmulKernel {
  name: string;
  pipeline: GPUComputePipeline;
  /** The TILE the pipeline was compiled with; the engine's (KERNEL_SIZES.matmul) when absent. */
  tile?: number;
}

function storage(device: GPUDevice, label: string, data: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, data.byteLength),
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

function uniform(device: GPUDevice, d: MatmulDims): GPUBuffer {
  const data = matmulUniform(d);
  const buffer = device.createBuffer({ label: 'matmul dims', size: data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

function randomFloats(n: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(-1, 1);
  return out;
}

async function readBack(device: GPUDevice, source: GPUBuffer, floats: number): Promise<Float32Array> {
  const staging = device.createBuffer({ label: 'matmul readback', size: floats * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder({ label: 'matmul readback' });
  enc.copyBufferToBuffer(source, 0, staging, 0, floats * 4);
  device.queue.submit([enc.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

function encode(device: GPUDevice, kernel: MatmulKernel, buffers: GPUBuffer[], d: MatmulDims, times: number): GPUCommandBuffer {
  const bindGroup = device.createBindGroup({
    label: kernel.name,
    layout: kernel.pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const enc = device.createCommandEncoder({ label: kernel.name });
  const pass = enc.beginComputePass({ label: kernel.name });
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, bindGroup);
  const tile = kernel.tile ?? KERNEL_SIZES.matmul.TILE;
  for (let i = 0; i < times; i++) pass.dispatchWorkgroups(Math.ceil(d.N / tile), Math.ceil(d.M / tile));
  pass.end();
  return enc.finish();
}

async function withErrorScope<T>(device: GPUDevice, what: string, body: () => Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  const result = await body();
  const validation = await device.popErrorScope();
  const oom = await device.popErrorScope();
  if (validation) throw new Error(`${what}: WebGPU validation error: ${validation.message}`);
  if (oom) throw new Error(`${what}: the GPU ran out of memory`);
  return result;
}

/** Element (m, n) of the strided product the kernel must produce, in float64. */
function reference(a: Float32Array, b: Float32Array, bias: Float32Array, c0: Float32Array, d: MatmulDims, m: number, n: number): number {
  let s = 0;
  for (let k = 0; k < d.K; k++) s += a[d.aOff + m * d.sam + k * d.sak] * b[d.bOff + k * d.sbk + n * d.sbn];
  if (d.biasOff !== undefined) s += bias[d.biasOff + n];
  if (d.accumulate) s += c0[d.cOff + m * d.ldc + n];
  return s;
}

/** Odd sizes, transposed operands, offsets, padded rows, bias and accumulate: everything the engine asks of matmul.wgsl. */
const CHECK_CASES: MatmulDims[] = [
  { M: 67, N: 45, K: 33, aOff: 5, sam: 33, sak: 1, bOff: 3, sbk: 45, sbn: 1, cOff: 7, ldc: 50 },
  { M: 67, N: 45, K: 33, aOff: 2, sam: 1, sak: 67, bOff: 1, sbk: 1, sbn: 33, cOff: 0, ldc: 45, biasOff: 4 },
  { M: 130, N: 1, K: 70, aOff: 0, sam: 70, sak: 1, bOff: 9, sbk: 1, sbn: 70, cOff: 3, ldc: 1, biasOff: 0, accumulate: true },
  { M: 1, N: 129, K: 200, aOff: 0, sam: 1, sak: 1, bOff: 0, sbk: 129, sbn: 1, cOff: 0, ldc: 129, accumulate: true },
  // whole 64×64 tiles (every store 8 wide) with bias and accumulate; K = 1 like an input projection of one feature
  { M: 128, N: 64, K: 1, aOff: 1, sam: 1, sak: 1, bOff: 2, sbk: 64, sbn: 1, cOff: 5, ldc: 70, biasOff: 3, accumulate: true },
  { M: 70, N: 72, K: 9, aOff: 0, sam: 9, sak: 1, bOff: 0, sbk: 1, sbn: 9, cOff: 0, ldc: 72, biasOff: 1 },
];

/** Runs the kernel on the check cases; throws with the first wrong element. */
export async function checkMatmulKernel(device: GPUDevice, kernel: MatmulKernel): Promise<void> {
  for (const [i, d] of CHECK_CASES.entries()) {
    const aLen = d.aOff + (d.M - 1) * d.sam + (d.K - 1) * d.sak + 1;
    const bLen = d.bOff + (d.K - 1) * d.sbk + (d.N - 1) * d.sbn + 1;
    const cLen = d.cOff + (d.M - 1) * d.ldc + d.N + 3;
    const a = randomFloats(aLen, 11 + i), b = randomFloats(bLen, 23 + i), bias = randomFloats(d.N + 8, 37 + i), c0 = randomFloats(cLen, 41 + i);
    const out = await withErrorScope(device, `${kernel.name} check ${i}`, async () => {
      const bufs = [storage(device, 'a', a), storage(device, 'b', b), storage(device, 'bias', bias), storage(device, 'c', c0), uniform(device, d)];
      try {
        device.queue.submit([encode(device, kernel, bufs, d, 1)]);
        return await readBack(device, bufs[3], cLen);
      } finally {
        bufs.forEach((x) => x.destroy());
      }
    });
    for (let idx = 0; idx < cLen; idx++) {
      const rel = idx - d.cOff;
      const m = Math.floor(rel / d.ldc), n = rel - m * d.ldc;
      const inside = rel >= 0 && m < d.M && n < d.N;
      const want = inside ? reference(a, b, bias, c0, d, m, n) : c0[idx];
      if (Math.abs(out[idx] - want) > 1e-4 * (1 + Math.abs(want))) {
        const where = inside ? `C(${m}, ${n})` : `element ${idx} outside C (must stay untouched)`;
        throw new Error(`${kernel.name} is wrong on check case ${i} (${JSON.stringify(d)}): ${where} = ${out[idx]}, expected ${want}`);
      }
    }
  }
}

/** A square product C = A·B (size×size, row-major, no bias) set up for one kernel, ready to be timed. */
export interface PreparedMatmul {
  kernel: string;
  size: number;
  /** Runs `times` products in one submit and waits for them; returns the elapsed milliseconds. */
  run(times: number): Promise<number>;
  /** C as the last run left it. */
  read(): Promise<Float32Array>;
  destroy(): void;
}

export async function prepareMatmul(device: GPUDevice, kernel: MatmulKernel, size: number): Promise<PreparedMatmul> {
  const d: MatmulDims = { M: size, N: size, K: size, aOff: 0, sam: size, sak: 1, bOff: 0, sbk: size, sbn: 1, cOff: 0, ldc: size };
  const n = size * size;
  return withErrorScope(device, `${kernel.name} ${size}`, async () => {
    const bufs = [
      storage(device, 'a', randomFloats(n, 1)),
      storage(device, 'b', randomFloats(n, 2)),
      storage(device, 'bias', new Float32Array(4)),
      storage(device, 'c', new Float32Array(n)),
      uniform(device, d),
    ];
    return {
      kernel: kernel.name,
      size,
      run: (times) =>
        withErrorScope(device, `${kernel.name} ${size}`, async () => {
          const work = encode(device, kernel, bufs, d, times);
          const t0 = performance.now();
          device.queue.submit([work]);
          await device.queue.onSubmittedWorkDone();
          return performance.now() - t0;
        }),
      read: () => readBack(device, bufs[3], n),
      destroy: () => bufs.forEach((x) => x.destroy()),
    };
  });
}

/** Median of a non-empty list. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface MatmulTiming {
  kernel: string;
  size: number;
  /** Median over the timed products, each submitted and awaited alone. */
  msPerProduct: number;
  gflops: number;
  /** C read back after the timed runs, to compare kernels with each other. */
  result: Float32Array;
}

/**
 * Times the kernels on one size, interleaved (A B A B …) so load from other processes hits them alike: `warmup`
 * untimed products each, then `steps` timed ones each; reports each kernel's median.
 */
export async function timeMatmuls(device: GPUDevice, kernels: MatmulKernel[], size: number, warmup: number, steps: number): Promise<MatmulTiming[]> {
  const prepared: PreparedMatmul[] = [];
  try {
    for (const k of kernels) prepared.push(await prepareMatmul(device, k, size));
    for (const p of prepared) if (warmup > 0) await p.run(warmup);
    const times: number[][] = prepared.map(() => []);
    for (let i = 0; i < steps; i++) for (const [j, p] of prepared.entries()) times[j].push(await p.run(1));
    const out: MatmulTiming[] = [];
    for (const [j, p] of prepared.entries()) {
      const ms = median(times[j]);
      out.push({ kernel: p.kernel, size, msPerProduct: ms, gflops: (2 * size ** 3) / (ms / 1000) / 1e9, result: await p.read() });
    }
    return out;
  } finally {
    prepared.forEach((p) => p.destroy());
  }
}
