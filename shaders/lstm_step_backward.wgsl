// lstm_step_backward: visit s of backpropagation through time for one LSTM layer and direction, every batch row; the
// per-step design (recurrent_step_common.wgsl) dispatches it T times in one compute pass, in the opposite order of
// lstm_step_forward (visit s at t = T-1-s, or t = s in reverse). A workgroup owns UNITS hidden units × ROWS batch rows:
// backward_sum (recurrent_step_backward_common.wgsl) sums the recurrent gradient dgates_next·W_hh across the workgroup
// (dgates_next written by the previous dispatch), then one invocation per (unit, row) adds it to dh_t and turns
// (dh_t, dc_t) into pre-activation gate gradients, fused with the sigmoid/tanh derivatives.
// Same bindings 0-6 and layouts as lstm_backward (time-indexed; c_t at row t+1-reverse of cs, c_prev(t) at row t+reverse):
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t arriving from above (head or next layer). Out: the total
//         d loss / d h_t including the recurrent part (read by the gradient-flow probe).
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff.
// gates:  [T][B][4H] f32, read. Activated gates i, f, g, o from the forward.
// cs:     [T+1][B][H] f32, read. Cell states from the forward.
// dgates: [T][B][4H] f32, read_write. d loss / d gate pre-activations at time t, order i, f, g, o.
// dc:     [B][H] f32, read_write scratch: d loss / d c carried from the previous visit, by the same (unit, row).
// d:      uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:  uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl, recurrent_step_backward_common.wgsl and
// lstm_cell_backward.wgsl (the cell's backward).

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;
@group(0) @binding(6) var<uniform> d: Dims;

const GATES = 4u; // i, f, g, o

// forward: gates_pre(t_next) = x W_ih^T + b_ih + h_t W_hh^T + b_hh: the recurrence carries dgates_next back
fn next_grad(i: u32) -> f32 { return dgates[i]; }

// The cell's backward for batch row b, hidden unit j at time t, given the recurrent part of dh_t (`rec`).
fn cell_backward(t: u32, b: u32, j: u32, rec: f32) {
  lstm_cell_backward(visit, t, b, j, rec);
}
