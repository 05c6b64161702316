// rnn_forward: the recurrence of one tanh RNN layer and direction (torch.nn.RNN, nonlinearity='tanh') over all T
// steps in one dispatch: h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh).
// Time-indexed layouts as in lstm_forward; `reverse` walks t = T-1 … 0.
// xw:     [T][B][H] f32, read. x_t·W_ih^T (no bias).
// params: flat f32, read. weight_hh [H][H] at whhOff; bias_ih [H] at bihOff; bias_hh [H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; zero initial state at row 0 (forward) or T (reverse).
// gates:  [T][B][H] f32, read_write. h_t again at time t (the probe reads one layout for every cell).
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl (struct Dims, sigmoid, tanh_stable): kernels.ts puts it in front.

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

// Rows the accumulators hold (one vec4f each); ROWS (recurrent_common.wgsl, set from kernel_sizes.ts) may be up to
// this. Each loaded W_hh value feeds ROWS multiply-adds.
const ROWS_MAX = 4u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  let items = ((rows + ROWS - 1u) / ROWS) * H;
  for (var s = 0u; s < d.T; s++) {
    let t = select(s, d.T - 1u - s, d.reverse == 1u);
    let prevRow = (t + d.reverse) * d.B;
    for (var p = li; p < items; p += WG) {
      let j = p % H;
      let bq = b0 + (p / H) * ROWS;
      // rows past the end of the batch read the last real row and write nothing
      let hp = (vec4u(prevRow) + min(vec4u(bq) + vec4u(0u, 1u, 2u, 3u), vec4u(last))) * H;
      let w = d.whhOff + j * H;
      // h_prev W_hh^T for the ROWS rows, two partial sums (8 independent add chains)
      var a0 = vec4f(0.0);
      var a1 = vec4f(0.0);
      let mainK = H - H % 2u;
      for (var k = 0u; k < mainK; k += 2u) {
        a0 += vec4f(hs[hp.x + k], hs[hp.y + k], hs[hp.z + k], hs[hp.w + k]) * params[w + k];
        let m = k + 1u;
        a1 += vec4f(hs[hp.x + m], hs[hp.y + m], hs[hp.z + m], hs[hp.w + m]) * params[w + m];
      }
      if (mainK < H) {
        a0 += vec4f(hs[hp.x + mainK], hs[hp.y + mainK], hs[hp.z + mainK], hs[hp.w + mainK]) * params[w + mainK];
      }
      let acc = a0 + a1;
      let bias = params[d.bihOff + j] + params[d.bhhOff + j];
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last) { break; }
        let row = t * d.B + b;
        // h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh)
        let h = tanh_stable(xw[row * H + j] + bias + acc[r]);
        hs[((t + 1u - d.reverse) * d.B + b) * H + j] = h;
        gates[row * H + j] = h;
      }
    }
    storageBarrier();
  }
}
