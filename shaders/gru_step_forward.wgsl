// gru_step_forward: time step s of one GRU layer and direction, every batch row, with torch.nn.GRU's equations; the
// per-step design (recurrent_step_common.wgsl) dispatches it T times in one compute pass, visit s at t = s (t = T-1-s
// in reverse). A workgroup owns UNITS hidden units × ROWS batch rows: forward_sums (recurrent_step_forward_common.wgsl)
// sums h_prev·W_hh^T for their three gates across the workgroup, then one invocation per (unit, row) applies the cell
// update.
// Same bindings 0-4, layouts and equations as gru_forward:
// xw:     [T][B][3H] f32, read. x_t·W_ih^T (no bias), gate order r, z, n.
// params: flat f32, read. weight_hh [3H][H] at whhOff; bias_ih [3H] at bihOff; bias_hh [3H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; zero initial state at row 0 (forward) or T (reverse).
//         h_prev(t), at row t+reverse, was written by the previous dispatch.
// gates:  [T][B][4H] f32, read_write. r, z, n and hn = h_prev W_hn^T + b_hn at time t (backward needs hn).
// d:      uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:  uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl and recurrent_step_forward_common.wgsl.

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

const GATES = 3u; // r, z, n

// The cell update of batch row b, hidden unit j at time t, given h_prev W_hh^T of its gates (`sums`, gate order).
fn cell_forward(t: u32, b: u32, j: u32, sums: vec4f) {
  let H = d.H;
  let row = t * d.B + b;
  let x0 = row * 3u * H;
  let hr = sums[0] + params[d.bhhOff + j];
  let hz = sums[1] + params[d.bhhOff + H + j];
  let hn = sums[2] + params[d.bhhOff + 2u * H + j];
  // r = σ(x W_ir + b_ir + h W_hr + b_hr); z likewise; n = tanh(x W_in + b_in + r ⊙ (h W_hn + b_hn))
  let r = sigmoid(xw[x0 + j] + params[d.bihOff + j] + hr);
  let z = sigmoid(xw[x0 + H + j] + params[d.bihOff + H + j] + hz);
  let n = tanh_stable(xw[x0 + 2u * H + j] + params[d.bihOff + 2u * H + j] + r * hn);
  // h' = (1 - z) n + z h_prev
  hs[((t + 1u - d.reverse) * d.B + b) * H + j] = (1.0 - z) * n + z * hs[((t + d.reverse) * d.B + b) * H + j];
  let g0 = row * 4u * H;
  gates[g0 + j] = r;
  gates[g0 + H + j] = z;
  gates[g0 + 2u * H + j] = n;
  gates[g0 + 3u * H + j] = hn;
}
