// The CPU engine's products and cell steps in WebAssembly SIMD (cpu_kernels.wat, compiled into cpu_kernels_wasm.ts):
// one instance per engine, every array the network uses laid out once in that instance's memory.
import { GATE_SLOTS, GATES, nextTime, prevBlock, type CellArrays } from '../cpu_cells';
import type { CpuAlloc, CpuKernels, Weight } from '../cpu_matmul';
import { CPU_KERNELS_WASM_BASE64, SIMD_PROBE_WASM_BASE64 } from './cpu_kernels_wasm';

/** cpu_kernels.wat's exports (pointers are byte addresses; see the .wat for each one's operands). */
interface KernelExports {
  gemm(M: number, N: number, K: number, A: number, aps: number, rsA: number, csA: number, B: number, bps: number, ldb: number, C: number, ldc: number, bias: number, accumulate: number): void;
  colsum(R: number, N: number, A: number, lda: number, out: number, tmp: number): void;
  pack(R: number, N: number, src: number, lds: number, dst: number, w: number): void;
  lstm_fwd(Bp: number, H: number, ai: number, z: number, cp: number, co: number, tc: number, g: number, ho: number, ldy: number): void;
  lstm_bwd(Bp: number, H: number, dy: number, ldy: number, dhr: number, g: number, tc: number, cp: number, carry: number, da: number, dhSq: number): void;
  gru_fwd(Bp: number, H: number, ai: number, z: number, hp: number, g: number, ho: number, ldy: number): void;
  gru_bwd(Bp: number, H: number, dy: number, ldy: number, dhr: number, carry: number, g: number, hp: number, dai: number, dah: number, dhSq: number): void;
  rnn_fwd(Bp: number, H: number, ai: number, z: number, g: number, ho: number, ldy: number): void;
  rnn_bwd(Bp: number, H: number, dy: number, ldy: number, dhr: number, g: number, da: number, dhSq: number): void;
}

/** Bytes 0 … 1023 are the kernels' scratch; arrays start after it, each at a 64-byte boundary. */
const SCRATCH_BYTES = 1024;
const ALIGN = 64;
/** Left free after the last array: a partial 4×8 tile reads whole vectors past the last column it keeps. */
const TAIL_BYTES = 64;
const PAGE = 65536;
/** 4 GiB, the most a 32-bit WebAssembly memory holds. */
const MAX_PAGES = 65536;
/** The most a WebAssembly memory holds (4 GiB); past it the CPU engine's plain-JS kernels take over, several times slower. */
export const WASM_MAX_BYTES = MAX_PAGES * PAGE;
/** Rows of a weight gradient's sum per gemm call (both operands packed, the chunk stays in cache). */
const TN_ROWS = 256;
/** Floats of the two packing buffers of a weight gradient's sum [N][K] over TN_ROWS rows at a time. */
const tnPackA = (N: number) => TN_ROWS * Math.ceil(N / 4) * 4;
const tnPackB = (K: number) => TN_ROWS * Math.ceil(K / 8) * 8;

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;
/** Floats of W's two packed copies: Wᵀ in panels [⌈rows/8⌉][cols][8] and W in [⌈cols/8⌉][rows][8]. */
const packedT = (rows: number, cols: number) => Math.ceil(rows / 8) * 8 * cols;
const packedW = (rows: number, cols: number) => Math.ceil(cols / 8) * 8 * rows;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Whether this runtime validates a module that uses SIMD (false where WebAssembly itself is missing). */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(decode(SIMD_PROBE_WASM_BASE64));
  } catch {
    return false;
  }
}

/** The compiled kernels, or why there are none; null until first asked. Compiled once per page / worker / process. */
let compiled: { module: WebAssembly.Module } | { error: string } | null = null;
let compiling: Promise<void> | null = null;

function compileAsync(): Promise<void> {
  compiling ??= WebAssembly.compile(decode(CPU_KERNELS_WASM_BASE64)).then(
    (module) => void (compiled = { module }),
    (e: unknown) => void (compiled = { error: `WebAssembly refused the kernels: ${(e as Error)?.message ?? e}` }),
  );
  return compiling;
}

/**
 * The kernels' module, compiled synchronously on first use (workers and Node allow it at this size), or why not:
 * no SIMD, or a compile refused (a Content-Security-Policy without 'wasm-unsafe-eval'). A runtime that refuses a
 * synchronous compile of this size (a RangeError; some browsers' main threads) starts an asynchronous one for the
 * engines built after it.
 */
function kernelModule(): WebAssembly.Module | string {
  if (!compiled) {
    if (!wasmSimdSupported()) compiled = { error: 'this runtime has no WebAssembly SIMD' };
    else if (compiling) return 'the WebAssembly kernels are still compiling';
    else {
      try {
        compiled = { module: new WebAssembly.Module(decode(CPU_KERNELS_WASM_BASE64)) };
      } catch (e) {
        if (e instanceof RangeError) {
          void compileAsync();
          return `a synchronous compile was refused (${e.message}); compiling in the background`;
        }
        compiled = { error: `WebAssembly refused the kernels: ${(e as Error)?.message ?? e}` };
      }
    }
  }
  return 'module' in compiled ? compiled.module : compiled.error;
}

/** Resolves once the kernels are compiled or refused (so engines built after it get them without a synchronous compile). */
export async function prepareWasmKernels(): Promise<void> {
  if (compiled || !wasmSimdSupported()) return;
  await compileAsync();
}

/** Sums the bytes of the arrays a network asks for, to size the memory before any of them exists (returns empty arrays). */
export class ArenaPlan implements CpuAlloc {
  bytes = SCRATCH_BYTES;
  f32(n: number): Float32Array {
    this.bytes += align(4 * n);
    return new Float32Array(0);
  }
  f64(n: number): Float64Array {
    this.bytes += align(8 * n);
    return new Float64Array(0);
  }
  weight(w: Float32Array, rows: number, cols: number): Weight {
    this.f32(packedT(rows, cols));
    this.f32(packedW(rows, cols));
    return { w, rows, cols };
  }
  sumRoom(N: number, K: number): void {
    this.f32(tnPackA(N));
    this.f32(tnPackB(K));
  }
}

interface WasmWeight extends Weight {
  /** Wᵀ as gemm's B in panels [⌈rows/8⌉][cols][8] (zeros past the last row), for mulWT. */
  readonly t: Float32Array;
  /** W as gemm's B in panels [⌈cols/8⌉][rows][8], for mulW. */
  readonly p: Float32Array;
}

/**
 * CpuKernels on cpu_kernels.wat. The memory is sized once for all the arrays the network asks for (ArenaPlan first)
 * and cannot grow (maximum = initial), so the typed-array views made here stay valid for the engine's life; every
 * call checks that an operand is a view of this memory. The weights' packed copies live here too, refreshed after each
 * optimizer step; activations, gates and gradients are allocated once for the largest batch.
 */
export class WasmKernels implements CpuKernels {
  readonly name = 'wasm-simd' as const;
  private readonly x: KernelExports;
  private readonly heap: ArrayBuffer;
  private top = SCRATCH_BYTES;
  private readonly end: number;
  /** matmulTN's packed chunks of A (panels of 4 columns) and B (panels of 8), sized by sumRoom. */
  private packA: Float32Array = new Float32Array(0);
  private packB: Float32Array = new Float32Array(0);

  private constructor(module: WebAssembly.Module, bytes: number) {
    const pages = Math.ceil((bytes + TAIL_BYTES) / PAGE);
    if (pages > MAX_PAGES) throw new Error(`the model needs ${(bytes / 2 ** 30).toFixed(1)} GiB, more than a WebAssembly memory holds`);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.x = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    this.heap = memory.buffer;
    this.end = pages * PAGE - TAIL_BYTES;
  }

  /** Kernels with room for `bytes` (an ArenaPlan's count), or why they can't be had here. */
  static create(bytes: number): WasmKernels | string {
    const module = kernelModule();
    if (typeof module === 'string') return module;
    try {
      return new WasmKernels(module, bytes);
    } catch (e) {
      return `no WebAssembly instance: ${(e as Error)?.message ?? e}`;
    }
  }

  private take(bytes: number): number {
    const at = this.top;
    this.top += align(bytes);
    if (this.top > this.end) throw new Error('WasmKernels: more arrays asked for than the plan counted');
    return at;
  }

  f32(n: number): Float32Array {
    return new Float32Array(this.heap, this.take(4 * n), n);
  }

  f64(n: number): Float64Array {
    return new Float64Array(this.heap, this.take(8 * n), n);
  }

  weight(w: Float32Array, rows: number, cols: number): WasmWeight {
    return { w, rows, cols, t: this.f32(packedT(rows, cols)), p: this.f32(packedW(rows, cols)) };
  }

  sumRoom(N: number, K: number): void {
    this.packA = this.f32(tnPackA(N));
    this.packB = this.f32(tnPackB(K));
  }

  refresh(W: Weight): void {
    const { w, rows, cols, t, p } = W as WasmWeight;
    // t[(n / 8)·8·cols + k·8 + n mod 8] = W[n][k]
    for (let n = 0; n < rows; n++) {
      const base = (n >> 3) * 8 * cols + (n & 7), row = n * cols;
      for (let k = 0; k < cols; k++) t[base + 8 * k] = w[row + k];
    }
    // p[(c / 8)·8·rows + r·8 + c mod 8] = W[r][c]
    for (let r = 0; r < rows; r++) {
      const row = r * cols;
      for (let c = 0; c < cols; c++) p[(c >> 3) * 8 * rows + 8 * r + (c & 7)] = w[row + c];
    }
  }

  /** Byte address of element off of a view of this memory. */
  private at(a: Float32Array | Float64Array, off: number): number {
    if (a.buffer !== this.heap) throw new Error('WasmKernels: an operand is not in this engine’s WebAssembly memory');
    return a.byteOffset + off * a.BYTES_PER_ELEMENT;
  }

  mulWT(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean, bias: Float32Array | null = null): void {
    const { rows, cols, t } = W as WasmWeight;
    this.x.gemm(M, rows, cols, this.at(A, aOff), 4 * lda, lda, 1, this.at(t, 0), 8 * cols, 8, this.at(C, cOff), ldc, bias ? this.at(bias, 0) : 0, accumulate ? 1 : 0);
  }

  mulW(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean): void {
    const { rows, cols, p } = W as WasmWeight;
    this.x.gemm(M, cols, rows, this.at(A, aOff), 4 * lda, lda, 1, this.at(p, 0), 8 * rows, 8, this.at(C, cOff), ldc, 0, accumulate ? 1 : 0);
  }

  matmulTN(R: number, N: number, K: number, A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number, C: Float32Array, cOff: number, ldc: number): void {
    if (this.packA.length < tnPackA(N) || this.packB.length < tnPackB(K)) throw new Error('WasmKernels: matmulTN wider than sumRoom made room for');
    // TN_ROWS rows at a time: A's chunk packed in panels of 4 columns (gemm's rows), B's in panels of 8, then
    // gemm with A(i, p) = A[p][i] (aps 4·rows, rsA 1, csA 4) and B(p, j) = B[p][j] (bps 8·rows, ldb 8)
    const x = this.x, pa = this.at(this.packA, 0), pb = this.at(this.packB, 0), c = this.at(C, cOff);
    for (let r0 = 0; r0 < R; r0 += TN_ROWS) {
      const rc = Math.min(TN_ROWS, R - r0);
      x.pack(rc, N, this.at(A, aOff + r0 * lda), lda, pa, 4);
      x.pack(rc, K, this.at(B, bOff + r0 * ldb), ldb, pb, 8);
      x.gemm(N, K, rc, pa, 4 * rc, 1, 4, pb, 8 * rc, 8, c, ldc, 0, r0 > 0 ? 1 : 0);
    }
  }

  columnSums(R: number, N: number, A: Float32Array, aOff: number, lda: number, out: Float32Array, outOff: number, sums: Float64Array): void {
    this.x.colsum(R, N, this.at(A, aOff), lda, this.at(out, outOff), this.at(sums, 0));
  }

  forwardStep(a: CellArrays, t: number): void {
    const { H, Bp, ldy, col } = a, G = GATES[a.cell] * H, GS = GATE_SLOTS[a.cell] * H, x = this.x;
    const pb = prevBlock(a, t), hp = pb * Bp * ldy + col, ho = (t + 1) * Bp * ldy + col;
    // z = h_{t−1}·W_hhᵀ + b_hh [Bp][G]
    this.mulWT(Bp, a.y, hp, ldy, a.hh, a.z, 0, G, false, a.bhh);
    const ai = this.at(a.ai, t * Bp * G), z = this.at(a.z, 0), gates = this.at(a.gates, t * Bp * GS);
    if (a.cell === 'lstm') x.lstm_fwd(Bp, H, ai, z, this.at(a.c, pb * Bp * H), this.at(a.c, (t + 1) * Bp * H), this.at(a.tc, t * Bp * H), gates, this.at(a.y, ho), ldy);
    else if (a.cell === 'gru') x.gru_fwd(Bp, H, ai, z, this.at(a.y, hp), gates, this.at(a.y, ho), ldy);
    else x.rnn_fwd(Bp, H, ai, z, gates, this.at(a.y, ho), ldy);
  }

  backwardStep(a: CellArrays, t: number, first: boolean): void {
    const { H, Bp, ldy, col } = a, G = GATES[a.cell] * H, GS = GATE_SLOTS[a.cell] * H, x = this.x, rt = t * Bp;
    // z = d loss / d h_t through the recurrence [Bp][H]: d a_h of the step after · W_hh (nothing after the first)
    if (first) a.z.fill(0, 0, Bp * H);
    else this.mulW(Bp, a.dah, nextTime(a, t) * Bp * G, G, a.hh, a.z, 0, H, false);
    const dy = this.at(a.dy, rt * ldy + col), z = this.at(a.z, 0), gates = this.at(a.gates, rt * GS), dhSq = this.at(a.dhSq, rt);
    const carry = this.at(a.carry, 0), da = this.at(a.ai, rt * G);
    if (a.cell === 'lstm') x.lstm_bwd(Bp, H, dy, ldy, z, gates, this.at(a.tc, rt * H), this.at(a.c, prevBlock(a, t) * Bp * H), carry, da, dhSq);
    else if (a.cell === 'gru') x.gru_bwd(Bp, H, dy, ldy, z, carry, gates, this.at(a.y, prevBlock(a, t) * Bp * ldy + col), da, this.at(a.dah, rt * G), dhSq);
    else x.rnn_bwd(Bp, H, dy, ldy, z, gates, da, dhSq);
  }
}
