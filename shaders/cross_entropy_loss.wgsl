// cross_entropy_loss: softmax cross-entropy over R rows of C logits (torch.nn.CrossEntropyLoss, mean over rows), its
// gradient, accuracy, and running sums. Exactly one workgroup; one invocation per row at a time.
// pred:  [R][C] f32, read. Logits.
// truth: [R] f32, read. Class ids stored as floats (exact below 2^24).
// dpred: [R][C] f32, read_write. d loss / d logits = (softmax - onehot) / R.
// stats: [16+] f32, read_write. [0] batch loss. mode 0 (train): [1] += loss, [2] += 1. mode 1 (evaluate):
//        [3] += sum of row losses, [4] += R, [5] += rows whose arg-max is the target. mode 2 (probe): nothing.
// d:     uniform: R, mode, C.

struct Dims {
  R: u32, mode: u32, C: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

var<workgroup> sums: array<vec2f, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let invR = 1.0 / f32(d.R);
  var acc = vec2f(0.0);
  for (var r = li; r < d.R; r += 256u) {
    let base = r * d.C;
    var best = pred[base];
    var arg = 0u;
    for (var c = 1u; c < d.C; c++) {
      let z = pred[base + c];
      if (z > best) { best = z; arg = c; }
    }
    var total = 0.0;
    for (var c = 0u; c < d.C; c++) { total += exp(pred[base + c] - best); }
    let y = u32(truth[r]);
    // loss_r = logsumexp(z) - z_y
    acc.x += log(total) + best - pred[base + y];
    if (arg == y) { acc.y += 1.0; }
    for (var c = 0u; c < d.C; c++) {
      var g = exp(pred[base + c] - best) / total;
      if (c == y) { g -= 1.0; }
      dpred[base + c] = g * invR;
    }
  }
  sums[li] = acc;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let loss = sums[0].x * invR;
    stats[0] = loss;
    if (d.mode == 0u) {
      stats[1] += loss;
      stats[2] += 1.0;
    } else if (d.mode == 1u) {
      stats[3] += sums[0].x;
      stats[4] += f32(d.R);
      stats[5] += sums[0].y;
    }
  }
}
