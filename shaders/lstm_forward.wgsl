// lstm_forward: the recurrence of one LSTM layer and direction over all T steps in one dispatch. Each workgroup owns
// a tile of batch rows and loops over time; per step an invocation owns one hidden unit j of ROWS batch rows and
// forms their four gates (precomputed input product + recurrent product h_prev·W_hh^T + both biases), then applies
// sigmoid/tanh and the cell update. Each loaded W_hh value feeds ROWS multiply-adds: the loads, not the arithmetic,
// bound this loop.
// Time-indexed layouts; `reverse` walks t = T-1 … 0 (the backward direction of a bidirectional layer).
// xw:     [T][B][4H] f32, read. x_t·W_ih^T for every step (no bias), gate order i, f, g, o.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff; bias_ih [4H] at bihOff; bias_hh [4H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; the zero initial state at row 0 (forward) or T (reverse),
//         cleared by the host and never written here. So h_prev(t) is at row t+reverse.
// cs:     [T+1][B][H] f32, read_write. The cell state, same rows as hs.
// gates:  [T][B][4H] f32, read_write. Activated gates i, f, g, o at time t, kept for backward and the gate probe.
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl (struct Dims, sigmoid, tanh_stable) and lstm_cell_forward.wgsl (the cell update):
// shader_sources.ts puts them in front.

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> gates: array<f32>;
@group(0) @binding(5) var<uniform> d: Dims;

// Rows the accumulators hold (two vec4f per gate); ROWS (recurrent_common.wgsl) may be up to this.
const ROWS_MAX = 8u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let G = 4u * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  let items = ((rows + ROWS - 1u) / ROWS) * H;
  for (var s = 0u; s < d.T; s++) {
    let t = select(s, d.T - 1u - s, d.reverse == 1u);
    let prevRow = (t + d.reverse) * d.B;
    let curRow = (t + 1u - d.reverse) * d.B;
    for (var p = li; p < items; p += WG) {
      let j = p % H;
      let bq = b0 + (p / H) * ROWS;
      // rows past the end of the batch read the last real row and write nothing
      let hp = (vec4u(prevRow) + min(vec4u(bq) + vec4u(0u, 1u, 2u, 3u), vec4u(last))) * H;
      let hq = (vec4u(prevRow) + min(vec4u(bq) + vec4u(4u, 5u, 6u, 7u), vec4u(last))) * H;
      let wi = d.whhOff + j * H;
      let wf = wi + H * H;
      let wgg = wf + H * H;
      let wo = wgg + H * H;
      // recurrent part of gates_pre, h_prev W_hh^T, for the ROWS rows at once (32 independent add chains)
      var ri = vec4f(0.0); var rf = vec4f(0.0); var rg = vec4f(0.0); var ro = vec4f(0.0);
      var si = vec4f(0.0); var sf = vec4f(0.0); var sg = vec4f(0.0); var so = vec4f(0.0);
      for (var k = 0u; k < H; k++) {
        let h = vec4f(hs[hp.x + k], hs[hp.y + k], hs[hp.z + k], hs[hp.w + k]);
        let h2 = vec4f(hs[hq.x + k], hs[hq.y + k], hs[hq.z + k], hs[hq.w + k]);
        let vi = params[wi + k];
        let vf = params[wf + k];
        let vg = params[wgg + k];
        let vo = params[wo + k];
        ri += h * vi; si += h2 * vi;
        rf += h * vf; sf += h2 * vf;
        rg += h * vg; sg += h2 * vg;
        ro += h * vo; so += h2 * vo;
      }
      let bias = lstm_gate_bias(j);
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last) { break; }
        let q = r % 4u;
        let rec = select(vec4f(si[q], sf[q], sg[q], so[q]), vec4f(ri[q], rf[q], rg[q], ro[q]), r < 4u);
        // gates_pre = x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh
        lstm_cell_forward(t, b, j, prevRow, curRow, lstm_input_part(t, b, j) + bias + rec);
      }
    }
    // h_t of this workgroup's rows is read by every invocation of the workgroup at the next step.
    storageBarrier();
  }
}
