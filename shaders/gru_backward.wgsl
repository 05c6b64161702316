// gru_backward: backpropagation through time for one GRU layer and direction, all T steps in one dispatch, in the
// opposite order of gru_forward. Two gate-gradient sets come out because the reset gate sits inside the n gate:
// the input side (for W_ih, b_ih and the layer input) and the hidden side (for W_hh, b_hh and the recurrence).
// Layouts as in gru_forward.
// dh:      [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: total d loss / d h_t (for the probe).
// params:  flat f32, read. weight_hh [3H][H] at whhOff.
// gates:   [T][B][4H] f32, read. r, z, n, hn from gru_forward.
// hs:      [T+1][B][H] f32, read. Hidden states from gru_forward.
// dgates:  [T][B][3H] f32, read_write. d loss / d (x W_ih^T + b_ih) per gate r, z, n.
// dgatesH: [T][B][3H] f32, read_write. d loss / d (h W_hh^T + b_hh) per gate r, z, n.
// carry:   [B][H] f32, read_write scratch: the direct path d loss / d h_prev = dh_t ⊙ z.
// d:       uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups of 256.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
}

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> hs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dgatesH: array<f32>;
@group(0) @binding(6) var<storage, read_write> carry: array<f32>;
@group(0) @binding(7) var<uniform> d: Dims;

// sum over n of dgatesH[n0 + n] * W_hh[n][j], with eight independent partial sums: the adds of one long chain
// wait on each other, and splitting it ran this loop 1.6x faster on SwiftShader.
fn recurrent_grad(n0: u32, j: u32, G: u32, H: u32) -> f32 {
  var a0 = 0.0; var a1 = 0.0; var a2 = 0.0; var a3 = 0.0;
  var a4 = 0.0; var a5 = 0.0; var a6 = 0.0; var a7 = 0.0;
  let main = G - G % 8u;
  var w = d.whhOff + j;
  for (var n = 0u; n < main; n += 8u) {
    a0 += dgatesH[n0 + n] * params[w];
    a1 += dgatesH[n0 + n + 1u] * params[w + H];
    a2 += dgatesH[n0 + n + 2u] * params[w + 2u * H];
    a3 += dgatesH[n0 + n + 3u] * params[w + 3u * H];
    a4 += dgatesH[n0 + n + 4u] * params[w + 4u * H];
    a5 += dgatesH[n0 + n + 5u] * params[w + 5u * H];
    a6 += dgatesH[n0 + n + 6u] * params[w + 6u * H];
    a7 += dgatesH[n0 + n + 7u] * params[w + 7u * H];
    w += 8u * H;
  }
  for (var n = main; n < G; n++) {
    a0 += dgatesH[n0 + n] * params[d.whhOff + n * H + j];
  }
  return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let G = 3u * H;
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
        // forward: h_next = ... + z ⊙ h_t  and  hidden pre-activations_next = h_t W_hh^T + b_hh
        dht += carry[b * H + j];
        let n0 = (tNext * d.B + b) * G;
        dht += recurrent_grad(n0, j, G, H);
      }
      dh[row * H + j] = dht;
      let g0 = row * 4u * H;
      let r = gates[g0 + j];
      let z = gates[g0 + H + j];
      let n = gates[g0 + 2u * H + j];
      let hn = gates[g0 + 3u * H + j];
      let hPrev = hs[((t + d.reverse) * d.B + b) * H + j];
      // forward: h' = (1 - z) n + z h_prev
      let dnPre = dht * (1.0 - z) * (1.0 - n * n);          // through n = tanh(.)
      let dzPre = dht * (hPrev - n) * z * (1.0 - z);        // through z = σ(.)
      let drPre = dnPre * hn * r * (1.0 - r);               // n's argument holds r ⊙ hn
      let o = row * G;
      dgates[o + j] = drPre;
      dgates[o + H + j] = dzPre;
      dgates[o + 2u * H + j] = dnPre;
      dgatesH[o + j] = drPre;
      dgatesH[o + H + j] = dzPre;
      dgatesH[o + 2u * H + j] = dnPre * r;
      carry[b * H + j] = dht * z;
    }
    storageBarrier();
  }
}
