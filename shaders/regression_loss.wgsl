// regression_loss: mean-reduced MSE, MAE or Huber (delta 1, as torch.nn.HuberLoss) of a batch, its gradient, and
// running sums for epoch means. Exactly one workgroup.
// pred:  [n] f32, read. Head output (same layout as truth).
// truth: [n] f32, read. Targets.
// dpred: [n] f32, read_write. d loss / d pred.
// stats: [16+] f32, read_write. [0] batch loss. mode 0 (train): [1] += loss, [2] += 1. mode 1 (evaluate):
//        [3] += sum of element losses, [4] += n, [9] += sum of squared errors, [10] += sum of absolute errors.
//        mode 2 (probe): nothing accumulated.
// d:     uniform: n, mode, kind (0 MSE, 1 MAE, 2 Huber).

struct Dims {
  n: u32, mode: u32, kind: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

var<workgroup> sums: array<vec3f, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let inv = 1.0 / f32(d.n);
  var acc = vec3f(0.0);
  for (var i = li; i < d.n; i += 256u) {
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
  for (var w = 128u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let total = sums[0];
    let loss = total.x * inv;
    stats[0] = loss;
    if (d.mode == 0u) {
      stats[1] += loss;
      stats[2] += 1.0;
    } else if (d.mode == 1u) {
      stats[3] += total.x;
      stats[4] += f32(d.n);
      stats[9] += total.y;
      stats[10] += total.z;
    }
  }
}
