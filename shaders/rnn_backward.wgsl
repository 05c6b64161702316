// rnn_backward: backpropagation through time for one tanh RNN layer and direction, all T steps in one dispatch, in
// the opposite order of rnn_forward.
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: total d loss / d h_t (for the probe).
// params: flat f32, read. weight_hh [H][H] at whhOff.
// gates:  [T][B][H] f32, read. h_t from rnn_forward.
// dgates: [T][B][H] f32, read_write. d loss / d pre-activation at time t.
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl (struct Dims, sigmoid, tanh_stable): kernels.ts puts it in front.

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

// sum over n < G of dgates[row][n] * W_hh[n][j] for four batch rows (their rows of dgates start at n0.x … n0.w),
// two partial sums per row: 8 independent add chains, and each loaded W_hh value feeds 4 multiply-adds.
fn recurrent_grad4(n0: vec4u, j: u32, G: u32) -> vec4f {
  let H = d.H;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  let main = G - G % 2u;
  var w = d.whhOff + j;
  for (var n = 0u; n < main; n += 2u) {
    a0 += vec4f(dgates[n0.x + n], dgates[n0.y + n], dgates[n0.z + n], dgates[n0.w + n]) * params[w];
    let m = n + 1u;
    a1 += vec4f(dgates[n0.x + m], dgates[n0.y + m], dgates[n0.z + m], dgates[n0.w + m]) * params[w + H];
    w += 2u * H;
  }
  if (main < G) {
    a0 += vec4f(dgates[n0.x + main], dgates[n0.y + main], dgates[n0.z + main], dgates[n0.w + main]) * params[w];
  }
  return a0 + a1;
}

// Rows the accumulators hold (a vec4f; see recurrent_grad4); ROWS (recurrent_common.wgsl) may be up to this.
const ROWS_MAX = 4u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  let items = ((rows + ROWS - 1u) / ROWS) * H;
  for (var s = 0u; s < d.T; s++) {
    let t = select(d.T - 1u - s, s, d.reverse == 1u);
    let tNext = select(t + 1u, t - 1u, d.reverse == 1u);
    for (var p = li; p < items; p += WG) {
      let j = p % H;
      let bq = b0 + (p / H) * ROWS;
      var rec = vec4f(0.0);
      if (s > 0u) {
        // forward: pre_next = ... + h_t W_hh^T  =>  dh_t += dpre_next W_hh, for the ROWS rows at once (rows past the
        // batch read the last real row and write nothing)
        let n0 = (vec4u(tNext * d.B) + min(vec4u(bq) + vec4u(0u, 1u, 2u, 3u), vec4u(last))) * H;
        rec = recurrent_grad4(n0, j, H);
      }
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last) { break; }
        let row = t * d.B + b;
        let dht = dh[row * H + j] + rec[r];
        dh[row * H + j] = dht;
        // forward: h_t = tanh(pre_t)
        let h = gates[row * H + j];
        dgates[row * H + j] = dht * (1.0 - h * h);
      }
    }
    storageBarrier();
  }
}
