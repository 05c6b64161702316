// gru_step_backward: visit s of backpropagation through time for one GRU layer and direction, every batch row; the
// per-step design (recurrent_step_common.wgsl) dispatches it T times in one compute pass, in the opposite order of
// gru_step_forward (visit s at t = T-1-s, or t = s in reverse). A workgroup owns UNITS hidden units × ROWS batch rows:
// backward_sum (recurrent_step_backward_common.wgsl) sums the recurrent gradient dgatesH_next·W_hh across the
// workgroup (dgatesH_next written by the previous dispatch), then one invocation per (unit, row) finishes dh_t and its
// gate gradients. Two gate-gradient sets come out because the reset gate sits inside the n gate: the input side (for
// W_ih, b_ih and the layer input) and the hidden side (for W_hh, b_hh and the recurrence).
// Same bindings 0-7 and layouts as gru_backward:
// dh:      [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: total d loss / d h_t (for the probe).
// params:  flat f32, read. weight_hh [3H][H] at whhOff.
// gates:   [T][B][4H] f32, read. r, z, n, hn from the forward.
// hs:      [T+1][B][H] f32, read. Hidden states from the forward.
// dgates:  [T][B][3H] f32, read_write. d loss / d (x W_ih^T + b_ih) per gate r, z, n.
// dgatesH: [T][B][3H] f32, read_write. d loss / d (h W_hh^T + b_hh) per gate r, z, n.
// carry:   [B][H] f32, read_write scratch: the direct path d loss / d h_prev = dh_t ⊙ z, for the next visit.
// d:       uniform Dims (rowsPerGroup unused); dispatch ceil(H / UNITS) × ceil(B / ROWS) workgroups of WG.
// visit:   uniform u32 in group 1 (recurrent_step_common.wgsl): the visit number s, by dynamic offset.
// Compiled after recurrent_common.wgsl, recurrent_step_common.wgsl and recurrent_step_backward_common.wgsl.

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> hs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dgatesH: array<f32>;
@group(0) @binding(6) var<storage, read_write> carry: array<f32>;
@group(0) @binding(7) var<uniform> d: Dims;

const GATES = 3u; // r, z, n

// forward: hr, hz, hn at t_next = h_t W_h{r,z,n}^T + b_h{r,z,n}: the recurrence carries dgatesH_next back
fn next_grad(i: u32) -> f32 { return dgatesH[i]; }

// The cell's backward for batch row b, hidden unit j at time t, given the recurrent part of dh_t (`rec`).
fn cell_backward(t: u32, b: u32, j: u32, rec: f32) {
  let H = d.H;
  let row = t * d.B + b;
  var dht = dh[row * H + j];
  if (visit > 0u) {
    // forward: h_next = (1 - z_next) n_next + z_next h_t  =>  dh_t += dh_next ⊙ z_next (carried) + the recurrent part
    dht += carry[b * H + j] + rec;
  }
  dh[row * H + j] = dht;
  let g0 = row * 4u * H;
  let r = gates[g0 + j];
  let z = gates[g0 + H + j];
  let n = gates[g0 + 2u * H + j];
  let hn = gates[g0 + 3u * H + j];
  let hPrev = hs[((t + d.reverse) * d.B + b) * H + j];
  // forward: h' = (1 - z) n + z h_prev
  let dnPre = dht * (1.0 - z) * (1.0 - n * n);          // through n = tanh(x W_in + b_in + r ⊙ hn)
  let dzPre = dht * (hPrev - n) * z * (1.0 - z);        // through z = σ(.)
  let drPre = dnPre * hn * r * (1.0 - r);               // n's argument holds r ⊙ hn, r = σ(.)
  let o = row * 3u * H;
  dgates[o + j] = drPre;
  dgates[o + H + j] = dzPre;
  dgates[o + 2u * H + j] = dnPre;
  dgatesH[o + j] = drPre;
  dgatesH[o + H + j] = dzPre;
  // forward: n = tanh(x W_in + b_in + r ⊙ hn), hn = h W_hn^T + b_hn  =>  d hn = dnPre ⊙ r
  dgatesH[o + 2u * H + j] = dnPre * r;
  // forward: h' = (1 - z) n + z h_prev  =>  d h_prev (direct) = dh' ⊙ z
  carry[b * H + j] = dht * z;
}
