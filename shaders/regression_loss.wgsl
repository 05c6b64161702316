// regression_loss: mean-reduced MSE, MAE or Huber (delta 1, as torch.nn.HuberLoss) of a batch, its gradient, and
// running sums for epoch means. Exactly one workgroup.
// pred:  [n] f32, read. Head output (same layout as truth).
// truth: [n] f32, read. Targets.
// dpred: [n] f32, read_write. d loss / d pred.
// stats: f32, read_write. The batch loss, and by mode 0 (train), 1 (evaluate), 2 (probe: nothing) the running sums
//        of stats_slots.wgsl (put in front): train loss and steps; validation loss, elements, squared and absolute
//        errors.
// d:     uniform: n, mode, kind (0 MSE, 1 MAE, 2 Huber).

struct Dims {
  n: u32, mode: u32, kind: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

var<workgroup> sums: array<vec3f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) li: u32) {
  let inv = 1.0 / f32(d.n);
  var acc = vec3f(0.0);
  for (var i = li; i < d.n; i += WG) {
    let e = pred[i] - truth[i];
    let a = abs(e);
    var l = e * e;
    var g = 2.0 * e;
    if (d.kind == 1u) {
      l = a;
      g = sign(e);
    } else if (d.kind == 2u) {
      if (a < 1.0) { l = 0.5 * e * e; g = e; } else { l = a - 0.5; g = sign(e); }
    }
    dpred[i] = g * inv;
    acc += vec3f(l, e * e, a);
  }
  sums[li] = acc;
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let total = sums[0];
    let loss = total.x * inv;
    stats[STAT_BATCH_LOSS] = loss;
    if (d.mode == 0u) {
      stats[STAT_TRAIN_LOSS_SUM] += loss;
      stats[STAT_TRAIN_STEPS] += 1.0;
    } else if (d.mode == 1u) {
      stats[STAT_VAL_LOSS_SUM] += total.x;
      stats[STAT_VAL_COUNT] += f32(d.n);
      stats[STAT_VAL_SQ_ERR_SUM] += total.y;
      stats[STAT_VAL_ABS_ERR_SUM] += total.z;
    }
  }
}
