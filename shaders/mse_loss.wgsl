// mse_loss: mean squared error of a batch, its gradient, and running sums for epoch means.
// pred:   [n] f32, read. Head output (layout matches target).
// truth:  [n] f32, read. The target values.
// dpred:  [n] f32, read_write. d loss / d pred = 2 (pred - target) / n.
// stats:  [8] f32, read_write. [0] last batch loss; training (mode 0): [1] += loss, [2] += 1;
//         evaluation (mode 1): [3] += sum of squared errors, [4] += n.
// d:      uniform Dims; dispatch exactly one workgroup.

struct Dims {
  n: u32, mode: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> pred: array<f32>;
@group(0) @binding(1) var<storage, read> truth: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpred: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  let scale = 2.0 / f32(d.n);
  var s = 0.0;
  for (var i = li; i < d.n; i += 256u) {
    let e = pred[i] - truth[i];
    s += e * e;
    dpred[i] = scale * e;
  }
  partial[li] = s;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w >>= 1u) {
    if (li < w) { partial[li] += partial[li + w]; }
    workgroupBarrier();
  }
  if (li == 0u) {
    let sse = partial[0];
    let loss = sse / f32(d.n);
    stats[0] = loss;
    if (d.mode == 0u) {
      stats[1] += loss;
      stats[2] += 1.0;
    } else {
      stats[3] += sse;
      stats[4] += f32(d.n);
    }
  }
}
