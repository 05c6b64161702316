// rnn_step_backward: visit s of backpropagation through time for one tanh RNN layer and direction, every batch row;
// the per-step design (recurrent_step_common.wgsl) dispatches it T times in one compute pass, in the opposite order of
// rnn_step_forward (visit s at t = T-1-s, or t = s in reverse). A workgroup owns UNITS hidden units × ROWS batch rows:
// backward_sum (recurrent_step_backward_common.wgsl) sums the recurrent gradient dpre_next·W_hh across the workgroup
// (dpre_next written by the previous dispatch), then one invocation per (unit, row) adds it to dh_t and takes it
// through the tanh.
// Same bindings 0-4 and layouts as rnn_backward:
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: total d loss / d h_t (for the probe).
// params: flat f32, read. weight_hh [H][H] at whhOff.
// gates:  [T][B][H] f32, read. h_t from the forward.
// dgates: [T][B][H] f32, read_write. d loss / d pre-activation at time t.
// d:      uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:  uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl and recurrent_step_backward_common.wgsl.

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

const GATES = 1u; // the single pre-activation

// forward: pre(t_next) = x W_ih^T + b_ih + h_t W_hh^T + b_hh: the recurrence carries dpre_next back
fn next_grad(i: u32) -> f32 { return dgates[i]; }

// The cell's backward for batch row b, hidden unit j at time t, given the recurrent part of dh_t (`rec`).
fn cell_backward(t: u32, b: u32, j: u32, rec: f32) {
  let H = d.H;
  let row = t * d.B + b;
  let dht = dh[row * H + j] + rec;
  dh[row * H + j] = dht;
  // forward: h_t = tanh(pre_t)  =>  dpre_t = dh_t (1 - h_t²)
  let h = gates[row * H + j];
  dgates[row * H + j] = dht * (1.0 - h * h);
}
