// lstm_backward: backpropagation through time for one LSTM layer and direction, all T steps in one dispatch, in the
// opposite order of lstm_forward. Each workgroup owns a tile of batch rows; per step it adds the recurrent gradient
// dgates_next·W_hh to dh_t and turns (dh_t, dc_t) into pre-activation gate gradients, fused with the sigmoid/tanh
// derivatives. Layouts as in lstm_forward (time-indexed; h_t at row t+1-reverse of hs/cs; h_prev(t) at row t+reverse).
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t arriving from above (head or next layer). Out: the total
//         d loss / d h_t including the recurrent part (read by the gradient-flow probe).
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff.
// gates:  [T][B][4H] f32, read. Activated gates i, f, g, o from lstm_forward.
// cs:     [T+1][B][H] f32, read. Cell states from lstm_forward.
// dgates: [T][B][4H] f32, read_write. d loss / d gate pre-activations at time t, order i, f, g, o.
// dc:     [B][H] f32, read_write scratch: d loss / d c carried to the previously processed step.
// d:      uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups of 256.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
}

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;
@group(0) @binding(6) var<uniform> d: Dims;

fn tanh_stable(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let e = exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}

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
  let G = 4u * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let pairs = rows * H;
  for (var s = 0u; s < d.T; s++) {
    // forward processed t_next right after t; backward visits them in the opposite order
    let t = select(d.T - 1u - s, s, d.reverse == 1u);
    let tNext = select(t + 1u, t - 1u, d.reverse == 1u);
    for (var p = li; p < pairs; p += 256u) {
      let b = b0 + p / H;
      let j = p % H;
      let row = t * d.B + b;
      let g0 = row * G;
      var dht = dh[row * H + j];
      if (s > 0u) {
        // forward: gates_pre_next += h_t W_hh^T  =>  dh_t += dgates_next W_hh
        let n0 = (tNext * d.B + b) * G;
        dht += recurrent_grad(n0, j, G, H);
      }
      dh[row * H + j] = dht;
      let i = gates[g0 + j];
      let f = gates[g0 + H + j];
      let g = gates[g0 + 2u * H + j];
      let o = gates[g0 + 3u * H + j];
      let c = cs[((t + 1u - d.reverse) * d.B + b) * H + j];
      let cPrev = cs[((t + d.reverse) * d.B + b) * H + j];
      let tc = tanh_stable(c);
      // forward: h_t = o * tanh(c_t)  =>  dc_t = dh_t * o * (1 - tanh²(c_t)) + dc carried from t_next
      var dcNext = 0.0;
      if (s > 0u) { dcNext = dc[b * H + j]; }
      let dct = dht * o * (1.0 - tc * tc) + dcNext;
      // forward: c_t = f * c_prev + i * g, with i, f, o = sigmoid(.), g = tanh(.)
      dgates[g0 + j] = dct * g * i * (1.0 - i);
      dgates[g0 + H + j] = dct * cPrev * f * (1.0 - f);
      dgates[g0 + 2u * H + j] = dct * i * (1.0 - g * g);
      dgates[g0 + 3u * H + j] = dht * tc * o * (1.0 - o);
      // forward: c_t = f * c_prev + ...  =>  dc_prev = dc_t * f
      dc[b * H + j] = dct * f;
    }
    // dgates_t of this workgroup's rows is read by every invocation of the workgroup at the next visited step.
    storageBarrier();
  }
}
