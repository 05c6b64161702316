// cross_entropy_loss: softmax cross-entropy over R rows of C logits (torch.nn.CrossEntropyLoss(weight=w), the
// weighted mean over rows), its gradient, accuracy, and running sums. Exactly one workgroup; one invocation per row at
// a time. Without class weights w is all 1, so Σw = R exactly and every number is the unweighted mean's, bit for bit.
// pred:    [R][C] f32, read. Logits.
// truth:   [R] f32, read. Class ids stored as floats (exact below 2^24).
// dpred:   [R][C] f32, read_write. d loss / d logits = w[y_r] (softmax - onehot) / Σ_r w[y_r].
// stats:   f32, read_write. The batch loss, and by mode 0 (train), 1 (evaluate), 2 (probe: nothing) the running sums
//          of stats_slots.wgsl (put in front): train loss and steps; validation weighted loss sum, rows, rows whose
//          arg-max is right, and weight sum.
// weights: [C] f32, read. The class weights w (all 1.0 for an unweighted loss).
// d:       uniform: R, mode, C.

struct Dims {
  R: u32, mode: u32, C: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

var<workgroup> sums: array<vec2f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  // first pass: Σ_r w[y_r], the weighted mean's denominator (R without weights)
  var wacc = 0.0;
  for (var r = li; r < d.R; r += WG) { wacc += weights[u32(truth[r])]; }
  sums[li] = vec2f(wacc, 0.0);
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  let weightSum = sums[0].x;
  workgroupBarrier(); // every invocation has read sums[0] before the second pass reuses sums
  // Σw is 0 only for rows all of a class absent from training (weight 0): they then weigh nothing, not NaN.
  let invW = select(0.0, 1.0 / weightSum, weightSum > 0.0);
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
    let wy = weights[y];
    // loss_r = w[y] (logsumexp(z) - z_y)
    acc.x += wy * (log(total) + best - pred[base + y]);
    if (arg == y) { acc.y += 1.0; }
    let scale = wy * invW;
    for (var c = 0u; c < d.C; c++) {
      var g = exp(pred[base + c] - best) / total;
      if (c == y) { g -= 1.0; }
      dpred[base + c] = g * scale;
    }
  }
  sums[li] = acc;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let loss = sums[0].x * invW;
    stats[STAT_BATCH_LOSS] = loss;
    if (d.mode == 0u) {
      stats[STAT_TRAIN_LOSS_SUM] += loss;
      stats[STAT_TRAIN_STEPS] += 1.0;
    } else if (d.mode == 1u) {
      stats[STAT_VAL_LOSS_SUM] += sums[0].x;
      stats[STAT_VAL_COUNT] += f32(d.R);
      stats[STAT_VAL_CORRECT] += sums[0].y;
      stats[STAT_VAL_WEIGHT_SUM] += weightSum;
    }
  }
}
