// gru_forward: the recurrence of one GRU layer and direction over all T steps in one dispatch, with torch.nn.GRU's
// equations (the reset gate multiplies W_hn h + b_hn):
//   r = σ(x W_ir^T + b_ir + h W_hr^T + b_hr)   z = σ(x W_iz^T + b_iz + h W_hz^T + b_hz)
//   n = tanh(x W_in^T + b_in + r ⊙ (h W_hn^T + b_hn))   h' = (1 - z) ⊙ n + z ⊙ h
// Time-indexed layouts as in lstm_forward; `reverse` walks t = T-1 … 0.
// xw:     [T][B][3H] f32, read. x_t·W_ih^T (no bias), gate order r, z, n.
// params: flat f32, read. weight_hh [3H][H] at whhOff; bias_ih [3H] at bihOff; bias_hh [3H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; zero initial state at row 0 (forward) or T (reverse).
// gates:  [T][B][4H] f32, read_write. r, z, n and hn = h_prev W_hn^T + b_hn at time t (backward needs hn).
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
      let wr = d.whhOff + j * H;
      let wz = wr + H * H;
      let wn = wz + H * H;
      // hidden pre-activations h_prev W_hh^T for the ROWS rows at once (12 independent add chains)
      var ar = vec4f(0.0); var az = vec4f(0.0); var an = vec4f(0.0);
      for (var k = 0u; k < H; k++) {
        let h = vec4f(hs[hp.x + k], hs[hp.y + k], hs[hp.z + k], hs[hp.w + k]);
        ar += h * params[wr + k];
        az += h * params[wz + k];
        an += h * params[wn + k];
      }
      for (var q = 0u; q < ROWS; q++) {
        let b = bq + q;
        if (b > last) { break; }
        let row = t * d.B + b;
        let x0 = row * 3u * H;
        let prev = (prevRow + b) * H;
        let hr = ar[q] + params[d.bhhOff + j];
        let hz = az[q] + params[d.bhhOff + H + j];
        let hn = an[q] + params[d.bhhOff + 2u * H + j];
        // r = σ(x W_ir + b_ir + h W_hr + b_hr); z likewise; n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
        let r = sigmoid(xw[x0 + j] + params[d.bihOff + j] + hr);
        let z = sigmoid(xw[x0 + H + j] + params[d.bihOff + H + j] + hz);
        let n = tanh_stable(xw[x0 + 2u * H + j] + params[d.bihOff + 2u * H + j] + r * hn);
        // h' = (1 - z) n + z h_prev
        hs[((t + 1u - d.reverse) * d.B + b) * H + j] = (1.0 - z) * n + z * hs[prev + j];
        let g0 = row * 4u * H;
        gates[g0 + j] = r;
        gates[g0 + H + j] = z;
        gates[g0 + 2u * H + j] = n;
        gates[g0 + 3u * H + j] = hn;
      }
    }
    storageBarrier();
  }
}
