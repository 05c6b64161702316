// One fused time step of an LSTM / GRU / RNN layer direction on the CPU in plain JS, forward and backward side by side
// (the fallback kernels; wasm/cpu_kernels.wat has the WebAssembly SIMD steps over the same CellArrays).
import type { CellKind } from './config';
import { block4x1, block4x3, block4x4, type Weight } from './cpu_matmul';

/**
 * One layer direction's arrays, time-major with Bp rows per step (the batch rounded up to a multiple of 4; the extra
 * rows run zero inputs and get zero gradients). Blocks of a padded array are indexed by time + 1: block 0 and block
 * T + 1 stay zero, so h_{t−1} of the forward direction is block t and h_{t+1} of the reverse one is block t + 2.
 */
export interface CellArrays {
  cell: CellKind;
  T: number;
  H: number;
  /** Rows per time step of the batch being run (a multiple of 4); the arrays are sized for the largest. */
  Bp: number;
  /** 0 = forward in time, 1 = reverse. */
  dir: number;
  /** weight_hh [G][H] and bias_hh [G] (views of the flat parameters), weight_hh transposed [H][G] (plain JS only). */
  whh: Float32Array;
  bhh: Float32Array;
  whhT: Float32Array;
  /** weight_hh with the kernels' copies (the WebAssembly steps' products read those). */
  hh: Weight;
  /** [Bp][G] scratch of the WebAssembly steps: h_{t−1}·W_hhᵀ + b_hh forward, d loss / d h_t through the recurrence backward. */
  z: Float32Array;
  /** [T][Bp][G]: x·W_ihᵀ + b_ih in the forward pass; overwritten by d loss / d (those pre-activations) in BPTT. */
  ai: Float32Array;
  /** [T][Bp][G]: d loss / d (h·W_hhᵀ + b_hh). GRU only (its n row differs from ai's); LSTM and RNN share ai. */
  dah: Float32Array;
  /** [T][Bp][GS·H]: LSTM i, f, g, o; GRU r, z, n, hn (hn = h_prev·W_hnᵀ + b_hn); RNN h. */
  gates: Float32Array;
  /** LSTM: c padded [T+2][Bp][H] and tanh(c_t) [T][Bp][H]. */
  c: Float32Array;
  tc: Float32Array;
  /** The layer's output, padded [T+2][Bp][ldy]; this direction's h are columns col … col + H − 1. */
  y: Float32Array;
  ldy: number;
  col: number;
  /** d loss / d (layer output) from above, [T][Bp][ldy] (same columns as y). */
  dy: Float32Array;
  /** [Bp][H] carried back a step: LSTM d loss / d c; GRU dh·z (the direct path h' = … + z·h). */
  carry: Float32Array;
  /** [T][Bp]: ‖d loss / d h_t‖² per row, the total (from above and through the recurrence). */
  dhSq: Float64Array;
  /** A 4×4 block of dot products (see block4x4). */
  acc: Float64Array;
}

/**
 * The forward step is the recurrent product [Bp×H]·[H×G] in 4×4 register blocks (four batch rows against one unit's
 * gate rows of W_hh) with the gate nonlinearities and the cell update fused into each block's epilogue; the backward
 * step is BPTT's [Bp×G]·[G×H] product (against W_hh transposed) fused with the gate derivatives of the step before.
 * Gate blocks per weight matrix (G = GATES · H rows) and stored gate slots per unit:
 */
export const GATES: Record<CellKind, number> = { lstm: 4, gru: 3, rnn: 1 };
export const GATE_SLOTS: Record<CellKind, number> = { lstm: 4, gru: 4, rnn: 1 };

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Block of the padded arrays holding the state the step at time t starts from. */
export const prevBlock = (a: CellArrays, t: number) => (a.dir === 0 ? t : t + 2);
/** Time of the step the forward sweep runs after time t (whose gradient reaches t through the recurrence). */
export const nextTime = (a: CellArrays, t: number) => (a.dir === 0 ? t + 1 : t - 1);

/** Runs the step at time t (the forward sweep calls it in its time order). */
export function forwardStep(a: CellArrays, t: number): void {
  if (a.cell === 'lstm') lstmForward(a, t);
  else if (a.cell === 'gru') gruForward(a, t);
  else rnnForward(a, t);
}

/** BPTT at time t (the backward sweep calls it in reverse of the forward sweep's order); first: the sweep's first. */
export function backwardStep(a: CellArrays, t: number, first: boolean): void {
  if (a.cell === 'lstm') lstmBackward(a, t, first);
  else if (a.cell === 'gru') gruBackward(a, t, first);
  else rnnBackward(a, t, first);
}

/**
 * a.acc[r·4 + q] = (d loss / d h_t through the recurrence)[b + r][k + q] = Σ_n dah[tn][b + r][n] · W_hh[n][k + q]
 * for q < width (4, or 1 at the edge): the backward's product, against W_hh transposed so both read along rows.
 * Zero on the sweep's first step, which nothing comes after.
 */
function recurrentGrad(a: CellArrays, t: number, b: number, k: number, width: number, first: boolean): void {
  const { H, Bp, whhT, dah, acc } = a, G = GATES[a.cell] * H;
  if (first) {
    acc.fill(0);
    return;
  }
  const rows = (nextTime(a, t) * Bp + b) * G, w = k * G;
  if (width === 4) block4x4(acc, G, dah, rows, G, whhT, w, w + G, w + 2 * G, w + 3 * G);
  else block4x1(acc, G, dah, rows, G, whhT, w);
}

// ---------- LSTM: i, f, g, o ----------

function lstmForward(a: CellArrays, t: number): void {
  const { H, Bp, whh, bhh, ai, gates, c, tc, y, ldy, col, acc } = a;
  const G = 4 * H, HH = H * H;
  const hp = prevBlock(a, t) * Bp * ldy + col, ho = (t + 1) * Bp * ldy + col;
  const cp = prevBlock(a, t) * Bp * H, co = (t + 1) * Bp * H;
  for (let b = 0; b < Bp; b += 4) {
    for (let j = 0; j < H; j++) {
      // acc[r·4 + q] = h_{t−1}[b + r] · W_hh[q·H + j] for the four gate rows of unit j
      const w = j * H;
      block4x4(acc, H, y, hp + b * ldy, ldy, whh, w, w + HH, w + 2 * HH, w + 3 * HH);
      for (let r = 0; r < 4; r++) {
        const row = b + r, q = r * 4, g = (t * Bp + row) * G + j, u = row * H + j;
        const ig = sigmoid(ai[g] + bhh[j] + acc[q]); //                   i = σ(a_i)
        const fg = sigmoid(ai[g + H] + bhh[H + j] + acc[q + 1]); //       f = σ(a_f)
        const gg = Math.tanh(ai[g + 2 * H] + bhh[2 * H + j] + acc[q + 2]); // g = tanh(a_g)
        const og = sigmoid(ai[g + 3 * H] + bhh[3 * H + j] + acc[q + 3]); // o = σ(a_o)
        gates[g] = ig; gates[g + H] = fg; gates[g + 2 * H] = gg; gates[g + 3 * H] = og;
        const cNew = fg * c[cp + u] + ig * gg; //                         c_t = f·c_{t−1} + i·g
        c[co + u] = cNew;
        const tcv = Math.tanh(cNew);
        tc[t * Bp * H + u] = tcv;
        y[ho + row * ldy + j] = og * tcv; //                              h_t = o·tanh(c_t)
      }
    }
  }
}

function lstmBackward(a: CellArrays, t: number, first: boolean): void {
  const { H, Bp, ai, gates, c, tc, dy, ldy, col, carry, dhSq, acc } = a;
  const G = 4 * H, H4 = H - (H % 4);
  const cp = prevBlock(a, t) * Bp * H;
  for (let b = 0; b < Bp; b += 4) {
    for (let k = 0; k < H; ) {
      const width = k < H4 ? 4 : 1;
      recurrentGrad(a, t, b, k, width, first);
      for (let r = 0; r < 4; r++) {
        for (let q = 0; q < width; q++) {
          const row = b + r, j = k + q, rt = t * Bp + row, g = rt * G + j, u = row * H + j;
          // dh: from above, plus through acc = h_{t−1}[b + r] · W_hh[q·H + j] of the step after
          const dh = dy[rt * ldy + col + j] + acc[r * 4 + q];
          dhSq[rt] += dh * dh;
          const ig = gates[g], fg = gates[g + H], gg = gates[g + 2 * H], og = gates[g + 3 * H], tcv = tc[t * Bp * H + u];
          const dc = dh * og * (1 - tcv * tcv) + carry[u]; // h_t = o·tanh(c_t), and c_{t+1} = f·c_t + i·g (carry)
          ai[g] = dc * gg * ig * (1 - ig); //                 c_t = f·c_{t−1} + i·g; i = σ(a_i)
          ai[g + H] = dc * c[cp + u] * fg * (1 - fg); //      c_t = f·c_{t−1} + i·g; f = σ(a_f)
          ai[g + 2 * H] = dc * ig * (1 - gg * gg); //         c_t = f·c_{t−1} + i·g; g = tanh(a_g)
          ai[g + 3 * H] = dh * tcv * og * (1 - og); //        h_t = o·tanh(c_t); o = σ(a_o)
          carry[u] = dc * fg; //                              c_t = f·c_{t−1} + i·g, for the step before
        }
      }
      k += width;
    }
  }
}

// ---------- GRU: r, z, n with n = tanh(a_n + r·(W_hn h + b_hn)) ----------

function gruForward(a: CellArrays, t: number): void {
  const { H, Bp, whh, bhh, ai, gates, y, ldy, col, acc } = a;
  const G = 3 * H, GS = 4 * H, HH = H * H;
  const hp = prevBlock(a, t) * Bp * ldy + col, ho = (t + 1) * Bp * ldy + col;
  for (let b = 0; b < Bp; b += 4) {
    for (let j = 0; j < H; j++) {
      // acc[r·4 + q] = h_{t−1}[b + r] · W_hh[q·H + j] for the r, z, n rows of unit j
      const w = j * H;
      block4x3(acc, H, y, hp + b * ldy, ldy, whh, w, w + HH, w + 2 * HH);
      for (let r = 0; r < 4; r++) {
        const row = b + r, q = r * 4, i = (t * Bp + row) * G + j, g = (t * Bp + row) * GS + j;
        const rg = sigmoid(ai[i] + bhh[j] + acc[q]); //            r = σ(a_r)
        const z = sigmoid(ai[i + H] + bhh[H + j] + acc[q + 1]); //  z = σ(a_z)
        const hn = acc[q + 2] + bhh[2 * H + j]; //                 hn = W_hn h_{t−1} + b_hn
        const n = Math.tanh(ai[i + 2 * H] + rg * hn); //           n = tanh(a_in + r·hn)
        gates[g] = rg; gates[g + H] = z; gates[g + 2 * H] = n; gates[g + 3 * H] = hn;
        y[ho + row * ldy + j] = (1 - z) * n + z * y[hp + row * ldy + j]; // h_t = (1 − z)·n + z·h_{t−1}
      }
    }
  }
}

function gruBackward(a: CellArrays, t: number, first: boolean): void {
  const { H, Bp, ai, dah, gates, y, dy, ldy, col, carry, dhSq, acc } = a;
  const G = 3 * H, GS = 4 * H, H4 = H - (H % 4);
  const hp = prevBlock(a, t) * Bp * ldy + col;
  for (let b = 0; b < Bp; b += 4) {
    for (let k = 0; k < H; ) {
      const width = k < H4 ? 4 : 1;
      recurrentGrad(a, t, b, k, width, first);
      for (let r = 0; r < 4; r++) {
        for (let q = 0; q < width; q++) {
          const row = b + r, j = k + q, rt = t * Bp + row, i = rt * G + j, g = rt * GS + j, u = row * H + j;
          // dh: from above, through acc (the gates' h_{t−1}·W_hh of the step after) and through carry, the
          // direct path of the step after: h_t = (1 − z)·n + z·h_{t−1}
          const dh = dy[rt * ldy + col + j] + acc[r * 4 + q] + carry[u];
          dhSq[rt] += dh * dh;
          const rg = gates[g], z = gates[g + H], n = gates[g + 2 * H], hn = gates[g + 3 * H];
          const dan = dh * (1 - z) * (1 - n * n); //                       h_t = (1 − z)·n + z·h_{t−1}; n = tanh(a_in + r·hn)
          const daz = dh * (y[hp + row * ldy + j] - n) * z * (1 - z); //  h_t = (1 − z)·n + z·h_{t−1}; z = σ(a_z)
          const dar = dan * hn * rg * (1 - rg); //                         n = tanh(a_in + r·hn); r = σ(a_r)
          ai[i] = dar; ai[i + H] = daz; ai[i + 2 * H] = dan;
          dah[i] = dar; dah[i + H] = daz; dah[i + 2 * H] = dan * rg; //   n = tanh(a_in + r·hn); hn = W_hn h_{t−1} + b_hn
          carry[u] = dh * z; //                                            h_t = (1 − z)·n + z·h_{t−1}, for the step before
        }
      }
      k += width;
    }
  }
}

// ---------- RNN: h = tanh(a) ----------

function rnnForward(a: CellArrays, t: number): void {
  const { H, Bp, whh, bhh, ai, gates, y, ldy, col, acc } = a;
  const H4 = H - (H % 4);
  const hp = prevBlock(a, t) * Bp * ldy + col, ho = (t + 1) * Bp * ldy + col;
  for (let b = 0; b < Bp; b += 4) {
    for (let j = 0; j < H; ) {
      // acc[r·4 + q] = h_{t−1}[b + r] · W_hh[j + q]
      const width = j < H4 ? 4 : 1, w = j * H;
      if (width === 4) block4x4(acc, H, y, hp + b * ldy, ldy, whh, w, w + H, w + 2 * H, w + 3 * H);
      else block4x1(acc, H, y, hp + b * ldy, ldy, whh, w);
      for (let r = 0; r < 4; r++) {
        for (let q = 0; q < width; q++) {
          const row = b + r, g = (t * Bp + row) * H + j + q;
          const v = Math.tanh(ai[g] + bhh[j + q] + acc[r * 4 + q]); // h_t = tanh(a_i + W_hh h_{t−1} + b_hh)
          gates[g] = v;
          y[ho + row * ldy + j + q] = v;
        }
      }
      j += width;
    }
  }
}

function rnnBackward(a: CellArrays, t: number, first: boolean): void {
  const { H, Bp, ai, gates, dy, ldy, col, dhSq, acc } = a;
  const H4 = H - (H % 4);
  for (let b = 0; b < Bp; b += 4) {
    for (let k = 0; k < H; ) {
      const width = k < H4 ? 4 : 1;
      recurrentGrad(a, t, b, k, width, first);
      for (let r = 0; r < 4; r++) {
        for (let q = 0; q < width; q++) {
          const row = b + r, rt = t * Bp + row, g = rt * H + k + q;
          const dh = dy[rt * ldy + col + k + q] + acc[r * 4 + q]; // from above, and W_hh h_{t−1} of the step after
          dhSq[rt] += dh * dh;
          const v = gates[g];
          ai[g] = dh * (1 - v * v); // h_t = tanh(a_i + W_hh h_{t−1} + b_hh)
        }
      }
      k += width;
    }
  }
}
