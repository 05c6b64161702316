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
// d:       uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl (struct Dims, sigmoid, tanh_stable): kernels.ts puts it in front.

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> hs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dgatesH: array<f32>;
@group(0) @binding(6) var<storage, read_write> carry: array<f32>;
@group(0) @binding(7) var<uniform> d: Dims;

// sum over n < G of dgatesH[row][n] * W_hh[n][j] for four batch rows (their rows of dgatesH start at n0.x … n0.w),
// two partial sums per row: 8 independent add chains, and each loaded W_hh value feeds 4 multiply-adds.
fn recurrent_grad4(n0: vec4u, j: u32, G: u32) -> vec4f {
  let H = d.H;
  var a0 = vec4f(0.0);
  var a1 = vec4f(0.0);
  let main = G - G % 2u;
  var w = d.whhOff + j;
  for (var n = 0u; n < main; n += 2u) {
    a0 += vec4f(dgatesH[n0.x + n], dgatesH[n0.y + n], dgatesH[n0.z + n], dgatesH[n0.w + n]) * params[w];
    let m = n + 1u;
    a1 += vec4f(dgatesH[n0.x + m], dgatesH[n0.y + m], dgatesH[n0.z + m], dgatesH[n0.w + m]) * params[w + H];
    w += 2u * H;
  }
  if (main < G) {
    a0 += vec4f(dgatesH[n0.x + main], dgatesH[n0.y + main], dgatesH[n0.z + main], dgatesH[n0.w + main]) * params[w];
  }
  return a0 + a1;
}

// Rows the accumulators hold (a vec4f; see recurrent_grad4); ROWS (recurrent_common.wgsl) may be up to this.
const ROWS_MAX = 4u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let H = d.H;
  let G = 3u * H;
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
        // forward: hidden pre-activations_next = h_t W_hh^T + b_hh  =>  dh_t += dgatesH_next W_hh, for the ROWS rows
        // at once (rows past the batch read the last real row and write nothing)
        let n0 = (vec4u(tNext * d.B) + min(vec4u(bq) + vec4u(0u, 1u, 2u, 3u), vec4u(last))) * G;
        rec = recurrent_grad4(n0, j, G);
      }
      for (var q = 0u; q < ROWS; q++) {
        let b = bq + q;
        if (b > last) { break; }
        let row = t * d.B + b;
        var dht = dh[row * H + j];
        if (s > 0u) {
          // forward: h_next = ... + z ⊙ h_t
          dht += carry[b * H + j] + rec[q];
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
    }
    storageBarrier();
  }
}
