// lstm_forward: the recurrence of one LSTM layer over all T steps in one dispatch. Each workgroup owns a tile of
// batch rows and loops over time; per step it forms all four gates (precomputed input product + recurrent product
// h_{t-1}·W_hh^T + both biases), applies sigmoid/tanh and the cell update in the same invocation.
// xw:     [T][B][4H] f32, read. x_t·W_ih^T for every step (no bias), gate order i, f, g, o.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff; bias_ih [4H] at bihOff; bias_hh [4H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. hs[t] = h_{t-1}; hs[0] is h_{-1} = 0 and is never written.
// cs:     [T+1][B][H] f32, read_write. cs[t] = c_{t-1}; cs[0] = 0.
// gates:  [T][B][4H] f32, read_write. Activated gates i, f, g, o, kept for the backward pass and the gate probe.
// d:      uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> gates: array<f32>;
@group(0) @binding(5) var<uniform> d: Dims;

fn sigmoid(x: f32) -> f32 {
  // exp of a large positive argument overflows to +inf and gives 0: the right limit.
  return 1.0 / (1.0 + exp(-x));
}

fn tanh_stable(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    // odd Taylor series: (1 - e)/(1 + e) below would lose digits to cancellation near 0
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  // exp of a large negative argument underflows to 0 and gives ±1: the right limit.
  let e = exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let G = 4u * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let pairs = rows * H;
  for (var t = 0u; t < d.T; t++) {
    for (var p = li; p < pairs; p += 256u) {
      let b = b0 + p / H;
      let j = p % H;
      let row = t * d.B + b;
      let g0 = row * G;
      // gates_pre = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh
      var si = xw[g0 + j] + params[d.bihOff + j] + params[d.bhhOff + j];
      var sf = xw[g0 + H + j] + params[d.bihOff + H + j] + params[d.bhhOff + H + j];
      var sg = xw[g0 + 2u * H + j] + params[d.bihOff + 2u * H + j] + params[d.bhhOff + 2u * H + j];
      var so = xw[g0 + 3u * H + j] + params[d.bihOff + 3u * H + j] + params[d.bhhOff + 3u * H + j];
      let hPrev = row * H;
      let wi = d.whhOff + j * H;
      let wf = wi + H * H;
      let wgg = wf + H * H;
      let wo = wgg + H * H;
      for (var k = 0u; k < H; k++) {
        let hk = hs[hPrev + k];
        si += hk * params[wi + k];
        sf += hk * params[wf + k];
        sg += hk * params[wgg + k];
        so += hk * params[wo + k];
      }
      let i = sigmoid(si);
      let f = sigmoid(sf);
      let g = tanh_stable(sg);
      let o = sigmoid(so);
      // c_t = f * c_{t-1} + i * g ;  h_t = o * tanh(c_t)
      let c = f * cs[hPrev + j] + i * g;
      let next = (row + d.B) * H + j;
      cs[next] = c;
      hs[next] = o * tanh_stable(c);
      gates[g0 + j] = i;
      gates[g0 + H + j] = f;
      gates[g0 + 2u * H + j] = g;
      gates[g0 + 3u * H + j] = o;
    }
    // h_t of this workgroup's rows is read by every invocation of the workgroup at step t+1.
    storageBarrier();
  }
}
