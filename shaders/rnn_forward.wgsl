// rnn_forward: the recurrence of one tanh RNN layer and direction (torch.nn.RNN, nonlinearity='tanh') over all T
// steps in one dispatch: h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh).
// Time-indexed layouts as in lstm_forward; `reverse` walks t = T-1 … 0.
// xw:     [T][B][H] f32, read. x_t·W_ih^T (no bias).
// params: flat f32, read. weight_hh [H][H] at whhOff; bias_ih [H] at bihOff; bias_hh [H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; zero initial state at row 0 (forward) or T (reverse).
// gates:  [T][B][H] f32, read_write. h_t again at time t (the probe reads one layout for every cell).
// d:      uniform Dims; dispatch ceil(B / rowsPerGroup) workgroups of 256.

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
}

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

fn tanh_stable(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    // odd Taylor series: (1 - e)/(1 + e) below would lose digits to cancellation near 0
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  let e = exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let pairs = rows * H;
  for (var s = 0u; s < d.T; s++) {
    let t = select(s, d.T - 1u - s, d.reverse == 1u);
    for (var p = li; p < pairs; p += 256u) {
      let b = b0 + p / H;
      let j = p % H;
      let row = t * d.B + b;
      let prev = ((t + d.reverse) * d.B + b) * H;
      var a = xw[row * H + j] + params[d.bihOff + j] + params[d.bhhOff + j];
      let w = d.whhOff + j * H;
      // four partial sums: independent add chains (faster on SwiftShader than one chain)
      var a1 = 0.0; var a2 = 0.0; var a3 = 0.0;
      let mainK = H - H % 4u;
      for (var k = 0u; k < mainK; k += 4u) {
        a += hs[prev + k] * params[w + k];
        a1 += hs[prev + k + 1u] * params[w + k + 1u];
        a2 += hs[prev + k + 2u] * params[w + k + 2u];
        a3 += hs[prev + k + 3u] * params[w + k + 3u];
      }
      for (var k = mainK; k < H; k++) {
        a += hs[prev + k] * params[w + k];
      }
      a += (a1 + a2) + a3;
      let h = tanh_stable(a);
      hs[((t + 1u - d.reverse) * d.B + b) * H + j] = h;
      gates[row * H + j] = h;
    }
    storageBarrier();
  }
}
