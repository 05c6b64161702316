// rnn_step_forward: time step s of one tanh RNN layer and direction (torch.nn.RNN, nonlinearity='tanh'), every batch
// row: h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh). The per-step design (recurrent_step_common.wgsl) dispatches
// it T times in one compute pass, visit s at t = s (t = T-1-s in reverse). A workgroup owns UNITS hidden units × ROWS
// batch rows: forward_sums (recurrent_step_forward_common.wgsl) sums h_prev·W_hh^T across the workgroup, then one
// invocation per (unit, row) applies the tanh.
// Same bindings 0-4, layouts and equations as rnn_forward:
// xw:     [T][B][H] f32, read. x_t·W_ih^T (no bias).
// params: flat f32, read. weight_hh [H][H] at whhOff; bias_ih [H] at bihOff; bias_hh [H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; zero initial state at row 0 (forward) or T (reverse).
//         h_prev(t), at row t+reverse, was written by the previous dispatch.
// gates:  [T][B][H] f32, read_write. h_t again at time t (the probe reads one layout for every cell).
// d:      uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:  uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl and recurrent_step_forward_common.wgsl.

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

const GATES = 1u; // the single pre-activation

// The cell update of batch row b, hidden unit j at time t, given h_prev W_hh^T of its gates (`sums`, gate order).
fn cell_forward(t: u32, b: u32, j: u32, sums: vec4f) {
  let H = d.H;
  let row = t * d.B + b;
  // h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh)
  let h = tanh_stable(xw[row * H + j] + params[d.bihOff + j] + params[d.bhhOff + j] + sums[0]);
  hs[((t + 1u - d.reverse) * d.B + b) * H + j] = h;
  gates[row * H + j] = h;
}
