// rnn_backward: backpropagation through time for one tanh RNN layer and direction, all T steps in one dispatch, in
// the opposite order of rnn_forward.
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: total d loss / d h_t (for the probe).
// params: flat f32, read. weight_hh [H][H] at whhOff.
// gates:  [T][B][H] f32, read. h_t from rnn_forward.
// dgates: [T][B][H] f32, read_write. d loss / d pre-activation at time t.
// d:      uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups of 256.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
}

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

// sum over n of dgates[n0 + n] * W_hh[n][j], with eight independent partial sums: the adds of one long chain
// wait on each other, and splitting it ran this loop 1.6x faster on SwiftShader.
fn recurrent_grad(n0: u32, j: u32, G: u32, H: u32) -> f32 {
  var a0 = 0.0; var a1 = 0.0; var a2 = 0.0; var a3 = 0.0;
  var a4 = 0.0; var a5 = 0.0; var a6 = 0.0; var a7 = 0.0;
  let main = G - G % 8u;
  var w = d.whhOff + j;
  for (var n = 0u; n < main; n += 8u) {
    a0 += dgates[n0 + n] * params[w];
    a1 += dgates[n0 + n + 1u] * params[w + H];
    a2 += dgates[n0 + n + 2u] * params[w + 2u * H];
    a3 += dgates[n0 + n + 3u] * params[w + 3u * H];
    a4 += dgates[n0 + n + 4u] * params[w + 4u * H];
    a5 += dgates[n0 + n + 5u] * params[w + 5u * H];
    a6 += dgates[n0 + n + 6u] * params[w + 6u * H];
    a7 += dgates[n0 + n + 7u] * params[w + 7u * H];
    w += 8u * H;
  }
  for (var n = main; n < G; n++) {
    a0 += dgates[n0 + n] * params[d.whhOff + n * H + j];
  }
  return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let pairs = rows * H;
  for (var s = 0u; s < d.T; s++) {
    let t = select(d.T - 1u - s, s, d.reverse == 1u);
    let tNext = select(t + 1u, t - 1u, d.reverse == 1u);
    for (var p = li; p < pairs; p += 256u) {
      let b = b0 + p / H;
      let j = p % H;
      let row = t * d.B + b;
      var dht = dh[row * H + j];
      if (s > 0u) {
        // forward: pre_next = ... + h_t W_hh^T  =>  dh_t += dpre_next W_hh
        let n0 = (tNext * d.B + b) * H;
        dht += recurrent_grad(n0, j, H, H);
      }
      dh[row * H + j] = dht;
      // forward: h_t = tanh(pre_t)
      let h = gates[row * H + j];
      dgates[row * H + j] = dht * (1.0 - h * h);
    }
    storageBarrier();
  }
}
