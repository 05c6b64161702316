// cross_entropy_loss: softmax cross-entropy over R rows of C logits (torch.nn.CrossEntropyLoss, mean over rows), its
// gradient, accuracy, and running sums. Exactly one workgroup; one invocation per row at a time.
// pred:  [R][C] f32, read. Logits.
// truth: [R] f32, read. Class ids stored as floats (exact below 2^24).
// dpred: [R][C] f32, read_write. d loss / d logits = (softmax - onehot) / R.
// stats: f32, read_write. The batch loss, and by mode 0 (train), 1 (evaluate), 2 (probe: nothing) the running sums
//        of stats_slots.wgsl (put in front): train loss and steps; validation loss, rows, rows whose arg-max is right.
// d:     uniform: R, mode, C.

struct Dims {
  R: u32, mode: u32, C: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

var<workgroup> sums: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  let invR = 1.0 / f32(d.R);
  var acc = vec2f(0.0);
  for (var r = li; r < d.R; r += WG) {
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
  for (var w = WG / 2u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let loss = sums[0].x * invR;
    stats[STAT_BATCH_LOSS] = loss;
    if (d.mode == 0u) {
      stats[STAT_TRAIN_LOSS_SUM] += loss;
      stats[STAT_TRAIN_STEPS] += 1.0;
    } else if (d.mode == 1u) {
      stats[STAT_VAL_LOSS_SUM] += sums[0].x;
      stats[STAT_VAL_COUNT] += f32(d.R);
      stats[STAT_VAL_CORRECT] += sums[0].y;
    }
  }
}
