// lstm_step_forward: time step s of one LSTM layer and direction, every batch row; the per-step design
// (recurrent_step_common.wgsl) dispatches it T times in one compute pass, visit s at t = s (t = T-1-s in reverse).
// A workgroup owns UNITS hidden units × ROWS batch rows: forward_sums (recurrent_step_forward_common.wgsl) sums
// h_prev·W_hh^T for their four gates across the workgroup, then one invocation per (unit, row) applies the cell update.
// Same bindings 0-5, layouts and equations as lstm_forward:
// xw:     [T][B][4H] f32, read. x_t·W_ih^T for every step (no bias), gate order i, f, g, o.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff; bias_ih [4H] at bihOff; bias_hh [4H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; the zero initial state at row 0 (forward) or T (reverse),
//         cleared by the host and never written here. h_prev(t), at row t+reverse, was written by the previous dispatch.
// cs:     [T+1][B][H] f32, read_write. The cell state, same rows as hs.
// gates:  [T][B][4H] f32, read_write. Activated gates i, f, g, o at time t, kept for backward and the gate probe.
// d:      uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:  uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl, recurrent_step_forward_common.wgsl and
// lstm_cell_forward.wgsl (the cell update).

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> gates: array<f32>;
@group(0) @binding(5) var<uniform> d: Dims;

const GATES = 4u; // i, f, g, o

// The cell update of batch row b, hidden unit j at time t, given h_prev W_hh^T of its gates (`sums`, gate order).
fn cell_forward(t: u32, b: u32, j: u32, sums: vec4f) {
  // gates_pre = x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh
  lstm_cell_forward(t, b, j, (t + d.reverse) * d.B, (t + 1u - d.reverse) * d.B, lstm_input_part(t, b, j) + lstm_gate_bias(j) + sums);
}
