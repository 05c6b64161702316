// lstm_backward: backpropagation through time for one LSTM layer and direction, all T steps in one dispatch, in the
// opposite order of lstm_forward. Each workgroup owns a tile of batch rows; per step an invocation owns UNITS hidden
// units j of ROWS batch rows: it adds the recurrent gradient dgates_next·W_hh to dh_t and turns (dh_t, dc_t) into
// pre-activation gate gradients, fused with the sigmoid/tanh derivatives. Layouts as in lstm_forward (time-indexed; h_t at row t+1-reverse of hs/cs; h_prev(t) at row t+reverse).
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t arriving from above (head or next layer). Out: the total
//         d loss / d h_t including the recurrent part (read by the gradient-flow probe).
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff.
// gates:  [T][B][4H] f32, read. Activated gates i, f, g, o from lstm_forward.
// cs:     [T+1][B][H] f32, read. Cell states from lstm_forward.
// dgates: [T][B][4H] f32, read_write. d loss / d gate pre-activations at time t, order i, f, g, o.
// dc:     [B][H] f32, read_write scratch: d loss / d c carried to the previously processed step.
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl (struct Dims, sigmoid, tanh_stable) and lstm_cell_backward.wgsl (the cell's
// backward): shader_sources.ts puts them in front.

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;
@group(0) @binding(6) var<uniform> d: Dims;

// Hidden units per invocation (set from kernel_sizes.ts like ROWS): each loaded dgates value feeds UNITS multiply-adds,
// each loaded W_hh value ROWS. kernel_sizes.ts keeps ROWS a divisor of lstm_forward's, so rowsPerGroup (sized for the
// forward) is a multiple of it. The accumulators hold ROWS_MAX rows (a vec4f) of UNITS_MAX units (two of them).
override UNITS: u32;
const ROWS_MAX = 4u;
const UNITS_MAX = 2u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let G = 4u * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  let unitGroups = (H + UNITS - 1u) / UNITS;
  let items = ((rows + ROWS - 1u) / ROWS) * unitGroups;
  for (var s = 0u; s < d.T; s++) {
    // forward processed t_next right after t; backward visits them in the opposite order
    let t = select(d.T - 1u - s, s, d.reverse == 1u);
    let tNext = select(t + 1u, t - 1u, d.reverse == 1u);
    for (var p = li; p < items; p += WG) {
      let j0 = (p % unitGroups) * UNITS;
      let j1 = min(j0 + 1u, H - 1u);
      let bq = b0 + (p / unitGroups) * ROWS;
      // forward: gates_pre_next += h_t W_hh^T  =>  dh_t += dgates_next W_hh, for ROWS rows and UNITS units at once.
      // Rows past the end of the batch read the last real row, a unit past H the last unit; neither is written.
      var rec0 = vec4f(0.0);
      var rec1 = vec4f(0.0);
      if (s > 0u) {
        let n0 = (vec4u(tNext * d.B) + min(vec4u(bq, bq + 1u, bq + 2u, bq + 3u), vec4u(last))) * G;
        var a0 = vec4f(0.0); var a1 = vec4f(0.0); var c0 = vec4f(0.0); var c1 = vec4f(0.0);
        var w = d.whhOff;
        for (var n = 0u; n < G; n += 2u) {
          let dg = vec4f(dgates[n0.x + n], dgates[n0.y + n], dgates[n0.z + n], dgates[n0.w + n]);
          a0 += dg * params[w + j0];
          c0 += dg * params[w + j1];
          let m = n + 1u;
          let dg1 = vec4f(dgates[n0.x + m], dgates[n0.y + m], dgates[n0.z + m], dgates[n0.w + m]);
          a1 += dg1 * params[w + H + j0];
          c1 += dg1 * params[w + H + j1];
          w += 2u * H;
        }
        rec0 = a0 + a1;
        rec1 = c0 + c1;
      }
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last) { break; }
        lstm_cell_backward(s, t, b, j0, rec0[r]);
        if (UNITS > 1u && j0 + 1u < H) { lstm_cell_backward(s, t, b, j0 + 1u, rec1[r]); }
      }
    }
    // dgates_t of this workgroup's rows is read by every invocation of the workgroup at the next visited step.
    storageBarrier();
  }
}
