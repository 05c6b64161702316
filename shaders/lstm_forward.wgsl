// lstm_forward: the recurrence of one LSTM layer and direction over all T steps in one dispatch. Each workgroup owns
// a tile of batch rows and loops over time; per step it forms all four gates (precomputed input product + recurrent
// product h_prev·W_hh^T + both biases), applies sigmoid/tanh and the cell update in the same invocation.
// Time-indexed layouts; `reverse` walks t = T-1 … 0 (the backward direction of a bidirectional layer).
// xw:     [T][B][4H] f32, read. x_t·W_ih^T for every step (no bias), gate order i, f, g, o.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff; bias_ih [4H] at bihOff; bias_hh [4H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; the zero initial state at row 0 (forward) or T (reverse),
//         cleared by the host and never written here. So h_prev(t) is at row t+reverse.
// cs:     [T+1][B][H] f32, read_write. The cell state, same rows as hs.
// gates:  [T][B][4H] f32, read_write. Activated gates i, f, g, o at time t, kept for backward and the gate probe.
// d:      uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups of 256.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
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
  for (var s = 0u; s < d.T; s++) {
    let t = select(s, d.T - 1u - s, d.reverse == 1u);
    for (var p = li; p < pairs; p += 256u) {
      let b = b0 + p / H;
      let j = p % H;
      let g0 = (t * d.B + b) * G;
      // gates_pre = x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh
      var si = xw[g0 + j] + params[d.bihOff + j] + params[d.bhhOff + j];
      var sf = xw[g0 + H + j] + params[d.bihOff + H + j] + params[d.bhhOff + H + j];
      var sg = xw[g0 + 2u * H + j] + params[d.bihOff + 2u * H + j] + params[d.bhhOff + 2u * H + j];
      var so = xw[g0 + 3u * H + j] + params[d.bihOff + 3u * H + j] + params[d.bhhOff + 3u * H + j];
      let prev = ((t + d.reverse) * d.B + b) * H;
      let wi = d.whhOff + j * H;
      let wf = wi + H * H;
      let wgg = wf + H * H;
      let wo = wgg + H * H;
      // two partial sums per gate: independent add chains (1.6x faster on SwiftShader than one chain)
      var si2 = 0.0; var sf2 = 0.0; var sg2 = 0.0; var so2 = 0.0;
      let mainK = H - H % 2u;
      for (var k = 0u; k < mainK; k += 2u) {
        let h0 = hs[prev + k];
        let h1 = hs[prev + k + 1u];
        si += h0 * params[wi + k];
        si2 += h1 * params[wi + k + 1u];
        sf += h0 * params[wf + k];
        sf2 += h1 * params[wf + k + 1u];
        sg += h0 * params[wgg + k];
        sg2 += h1 * params[wgg + k + 1u];
        so += h0 * params[wo + k];
        so2 += h1 * params[wo + k + 1u];
      }
      if (mainK < H) {
        let hk = hs[prev + mainK];
        si += hk * params[wi + mainK];
        sf += hk * params[wf + mainK];
        sg += hk * params[wgg + mainK];
        so += hk * params[wo + mainK];
      }
      si += si2;
      sf += sf2;
      sg += sg2;
      so += so2;
      let i = sigmoid(si);
      let f = sigmoid(sf);
      let g = tanh_stable(sg);
      let o = sigmoid(so);
      // c_t = f * c_prev + i * g ;  h_t = o * tanh(c_t)
      let c = f * cs[prev + j] + i * g;
      let cur = ((t + 1u - d.reverse) * d.B + b) * H + j;
      cs[cur] = c;
      hs[cur] = o * tanh_stable(c);
      gates[g0 + j] = i;
      gates[g0 + H + j] = f;
      gates[g0 + 2u * H + j] = g;
      gates[g0 + 3u * H + j] = o;
    }
    // h_t of this workgroup's rows is read by every invocation of the workgroup at the next step.
    storageBarrier();
  }
}
