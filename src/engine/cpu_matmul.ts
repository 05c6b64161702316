// Blocked float32 matrix products for the fast CPU engine in plain JS (4×4 register blocks, sums in JS numbers), and
// the interface (CpuKernels) that these and the WebAssembly SIMD kernels (wasm/wasm_kernels.ts) both implement.
import type { CellArrays } from './cpu_cells';

// Matrices are row-major Float32Arrays addressed by (array, offset, row stride), so a product can read a slice of a
// wider buffer (one direction's columns of a bidirectional layer's output) without copying it.

/**
 * acc[r·4 + q] = Σ_k A[a0 + r·lda + k] · W[wq + k] for r, q < 4: four rows of A against four rows of W (given by their
 * offsets, so a caller can pick rows that are not adjacent, like one unit's four LSTM gate rows). The sums stay in
 * doubles (JS numbers): rounding each one to float32 with Math.fround measured about 20% slower.
 */
export function block4x4(
  acc: Float64Array, K: number, A: Float32Array, a0: number, lda: number,
  W: Float32Array, w0: number, w1: number, w2: number, w3: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
  for (let k = 0; k < K; k++) {
    const x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
    const y0 = W[w0 + k], y1 = W[w1 + k], y2 = W[w2 + k], y3 = W[w3 + k];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
  }
  acc[0] = s00; acc[1] = s01; acc[2] = s02; acc[3] = s03;
  acc[4] = s10; acc[5] = s11; acc[6] = s12; acc[7] = s13;
  acc[8] = s20; acc[9] = s21; acc[10] = s22; acc[11] = s23;
  acc[12] = s30; acc[13] = s31; acc[14] = s32; acc[15] = s33;
}

/** acc[r·4 + q] for q < 3: four rows of A against three rows of W (one GRU unit's r, z, n rows). */
export function block4x3(
  acc: Float64Array, K: number, A: Float32Array, a0: number, lda: number, W: Float32Array, w0: number, w1: number, w2: number,
): void {
  let s00 = 0, s01 = 0, s02 = 0, s10 = 0, s11 = 0, s12 = 0, s20 = 0, s21 = 0, s22 = 0, s30 = 0, s31 = 0, s32 = 0;
  const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
  for (let k = 0; k < K; k++) {
    const x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
    const y0 = W[w0 + k], y1 = W[w1 + k], y2 = W[w2 + k];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2;
  }
  acc[0] = s00; acc[1] = s01; acc[2] = s02;
  acc[4] = s10; acc[5] = s11; acc[6] = s12;
  acc[8] = s20; acc[9] = s21; acc[10] = s22;
  acc[12] = s30; acc[13] = s31; acc[14] = s32;
}

/** acc[r·4] for r < 4: four rows of A against one row of W (the columns left over when N is not a multiple of 4). */
export function block4x1(acc: Float64Array, K: number, A: Float32Array, a0: number, lda: number, W: Float32Array, w0: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
  for (let k = 0; k < K; k++) {
    const y = W[w0 + k];
    s0 += A[a0 + k] * y; s1 += A[a1 + k] * y; s2 += A[a2 + k] * y; s3 += A[a3 + k] * y;
  }
  acc[0] = s0; acc[4] = s1; acc[8] = s2; acc[12] = s3;
}

/**
 * C[m][n] (+)= bias[n] + Σ_k A[m][k] · W[n][k] for m < M, n < N: the product with W transposed (W holds one output
 * per row, as torch's weights do), so both operands are read along contiguous rows. accumulate adds to C.
 */
export function matmulNT(
  acc: Float64Array, M: number, N: number, K: number,
  A: Float32Array, aOff: number, lda: number, W: Float32Array, wOff: number, ldw: number,
  C: Float32Array, cOff: number, ldc: number, accumulate: boolean, bias: Float32Array | null = null, biasOff = 0,
): void {
  const M4 = M - (M % 4), N4 = N - (N % 4);
  for (let m = 0; m < M4; m += 4) {
    const a0 = aOff + m * lda;
    for (let n = 0; n < N4; n += 4) {
      const w0 = wOff + n * ldw;
      block4x4(acc, K, A, a0, lda, W, w0, w0 + ldw, w0 + 2 * ldw, w0 + 3 * ldw);
      const b0 = bias ? bias[biasOff + n] : 0, b1 = bias ? bias[biasOff + n + 1] : 0;
      const b2 = bias ? bias[biasOff + n + 2] : 0, b3 = bias ? bias[biasOff + n + 3] : 0;
      for (let r = 0, c = cOff + m * ldc + n; r < 4; r++, c += ldc) {
        const q = r * 4;
        if (accumulate) {
          C[c] += acc[q] + b0; C[c + 1] += acc[q + 1] + b1; C[c + 2] += acc[q + 2] + b2; C[c + 3] += acc[q + 3] + b3;
        } else {
          C[c] = acc[q] + b0; C[c + 1] = acc[q + 1] + b1; C[c + 2] = acc[q + 2] + b2; C[c + 3] = acc[q + 3] + b3;
        }
      }
    }
    for (let n = N4; n < N; n++) {
      block4x1(acc, K, A, a0, lda, W, wOff + n * ldw);
      const b = bias ? bias[biasOff + n] : 0;
      for (let r = 0, c = cOff + m * ldc + n; r < 4; r++, c += ldc) C[c] = (accumulate ? C[c] : 0) + acc[r * 4] + b;
    }
  }
  for (let m = M4; m < M; m++) {
    const a = aOff + m * lda, c = cOff + m * ldc;
    for (let n = 0; n < N; n++) {
      const w = wOff + n * ldw;
      let s = bias ? bias[biasOff + n] : 0;
      for (let k = 0; k < K; k++) s += A[a + k] * W[w + k];
      C[c + n] = accumulate ? C[c + n] + s : s;
    }
  }
}

/** Rows per chunk of matmulTN: a chunk of both operands stays in cache while every 4×4 block of C passes over it. */
const TN_ROWS = 128;

/**
 * C[n][k] = Σ_r A[r][n] · B[r][k] (overwrites C): a sum of outer products over R rows, as a weight gradient sums
 * d(pre-activation) ⊗ input over all T×B rows. Read row by row in chunks of TN_ROWS, 4×4 blocks of C in registers.
 */
export function matmulTN(
  R: number, N: number, K: number, A: Float32Array, aOff: number, lda: number,
  B: Float32Array, bOff: number, ldb: number, C: Float32Array, cOff: number, ldc: number,
): void {
  for (let n = 0; n < N; n++) C.fill(0, cOff + n * ldc, cOff + n * ldc + K);
  const N4 = N - (N % 4), K4 = K - (K % 4);
  for (let r0 = 0; r0 < R; r0 += TN_ROWS) {
    const r1 = Math.min(R, r0 + TN_ROWS);
    for (let n = 0; n < N4; n += 4) {
      for (let k = 0; k < K4; k += 4) {
        const c0 = cOff + n * ldc + k, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        let s00 = C[c0], s01 = C[c0 + 1], s02 = C[c0 + 2], s03 = C[c0 + 3];
        let s10 = C[c1], s11 = C[c1 + 1], s12 = C[c1 + 2], s13 = C[c1 + 3];
        let s20 = C[c2], s21 = C[c2 + 1], s22 = C[c2 + 2], s23 = C[c2 + 3];
        let s30 = C[c3], s31 = C[c3 + 1], s32 = C[c3 + 2], s33 = C[c3 + 3];
        let a = aOff + r0 * lda + n, b = bOff + r0 * ldb + k;
        for (let r = r0; r < r1; r++, a += lda, b += ldb) {
          const x0 = A[a], x1 = A[a + 1], x2 = A[a + 2], x3 = A[a + 3];
          const y0 = B[b], y1 = B[b + 1], y2 = B[b + 2], y3 = B[b + 3];
          s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
          s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
          s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
          s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
        }
        C[c0] = s00; C[c0 + 1] = s01; C[c0 + 2] = s02; C[c0 + 3] = s03;
        C[c1] = s10; C[c1 + 1] = s11; C[c1 + 2] = s12; C[c1 + 3] = s13;
        C[c2] = s20; C[c2 + 1] = s21; C[c2 + 2] = s22; C[c2 + 3] = s23;
        C[c3] = s30; C[c3 + 1] = s31; C[c3 + 2] = s32; C[c3 + 3] = s33;
      }
    }
    // The edges (rows n ≥ N4 or columns k ≥ K4 of C), one element at a time.
    for (let n = 0; n < N; n++) {
      for (let k = n < N4 ? K4 : 0; k < K; k++) {
        const c = cOff + n * ldc + k;
        let s = C[c];
        for (let r = r0, a = aOff + r0 * lda + n, b = bOff + r0 * ldb + k; r < r1; r++, a += lda, b += ldb) s += A[a] * B[b];
        C[c] = s;
      }
    }
  }
}

/** out[n] = Σ_r A[r][n] over R rows (a bias gradient), in doubles until the one store per column. */
export function columnSums(R: number, N: number, A: Float32Array, aOff: number, lda: number, out: Float32Array, outOff: number, sums: Float64Array): void {
  sums.fill(0, 0, N);
  for (let r = 0, a = aOff; r < R; r++, a += lda) for (let n = 0; n < N; n++) sums[n] += A[a + n];
  for (let n = 0; n < N; n++) out[outOff + n] = sums[n];
}

/** dst[w][r] = src[r][w] for an R×W block (the transposed weight copies the backward products read along rows). */
export function transpose(R: number, W: number, src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number): void {
  for (let r = 0; r < R; r++) for (let w = 0; w < W; w++) dst[dstOff + w * R + r] = src[srcOff + r * W + w];
}

/** Which implementation runs an engine's products and cell steps. */
export type KernelsName = 'wasm-simd' | 'js';

/**
 * A weight matrix W [rows][cols] (w: a view of the flat parameters) together with the copies the kernels' products
 * read (plain JS: Wᵀ; WebAssembly: Wᵀ and W packed in 8-column panels). refresh() after every change of w.
 */
export interface Weight {
  readonly w: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Where a network's arrays live: plain typed arrays, or views of one WebAssembly memory. */
export interface CpuAlloc {
  f32(n: number): Float32Array;
  f64(n: number): Float64Array;
  weight(w: Float32Array, rows: number, cols: number): Weight;
  /** Room for matmulTN sums as wide as C [N][K] (the WebAssembly kernels pack their operands there). */
  sumRoom(N: number, K: number): void;
}

/**
 * The products and cell steps of the CPU engine's network. Arrays passed in come from the same object's f32/f64
 * (the WebAssembly kernels address them in their memory). Offsets and strides are in elements.
 */
export interface CpuKernels extends CpuAlloc {
  readonly name: KernelsName;
  /** Recomputes W's copies from W.w. */
  refresh(W: Weight): void;
  /** C[m][n] (+)= bias[n] + Σ_k A[m][k]·W[n][k] for m < M, n < W.rows, k < W.cols: the product with Wᵀ. */
  mulWT(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean, bias?: Float32Array | null): void;
  /** C[m][n] (+)= Σ_k A[m][k]·W[k][n] for m < M, n < W.cols, k < W.rows: the product with W (backward passes). */
  mulW(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean): void;
  /** C[n][k] = Σ_r A[r][n]·B[r][k] over R rows (a weight gradient; overwrites C). */
  matmulTN(R: number, N: number, K: number, A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number, C: Float32Array, cOff: number, ldc: number): void;
  /** out[n] = Σ_r A[r][n] over R rows (a bias gradient), summed in doubles; sums: N doubles of scratch. */
  columnSums(R: number, N: number, A: Float32Array, aOff: number, lda: number, out: Float32Array, outOff: number, sums: Float64Array): void;
  /** The cell step at time t of one layer direction (see cpu_cells.ts). */
  forwardStep(a: CellArrays, t: number): void;
  /** BPTT at time t; first: the backward sweep's first step (nothing comes after it). */
  backwardStep(a: CellArrays, t: number, first: boolean): void;
}
