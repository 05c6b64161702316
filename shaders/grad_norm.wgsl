// grad_norm: the global 2-norm of every gradient (as torch.nn.utils.clip_grad_norm_ returns it), the clip factor the
// optimizer applies, and a sticky flag when the norm is not finite. Two entry points, run in order:
//   partial: `groups` workgroups (1 to 64, about one per 16 Ki gradients: on CPU adapters every workgroup with
//            barriers costs ~0.3 ms), each sums the squares of a strided share of grads into stats[16 + workgroup];
//   finish:  one workgroup sums the `groups` partials.
// grads: [n] f32, read. Every gradient, flat.
// stats: [80] f32, read_write. Out: [6] norm, [7] 1 once any norm was NaN or infinite (cleared by the host),
//        [8] factor = min(1, maxNorm / (norm + 1e-6)) when maxNorm > 0, else 1; 0 when not finite.
// d:     uniform: n, maxNorm (f32; 0 = no clipping), groups (the partial dispatch's workgroup count, ≤ 64).

struct Dims {
  n: u32, maxNorm: f32, groups: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> grads: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<f32>;
@group(0) @binding(2) var<uniform> d: Dims;

var<workgroup> sums: array<f32, 256>;

fn tree_sum(li: u32) {
  workgroupBarrier();
  for (var w = 128u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(256)
fn partial(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = wg.x * 256u + li; i < d.n; i += d.groups * 256u) {
    let g = grads[i];
    s += g * g;
  }
  sums[li] = s;
  tree_sum(li);
  if (li == 0u) { stats[16u + wg.x] = sums[0]; }
}

@compute @workgroup_size(256)
fn finish(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  if (li < d.groups) { s = stats[16u + li]; }
  sums[li] = s;
  tree_sum(li);
  if (li == 0u) {
    let norm = sqrt(sums[0]);
    stats[6] = norm;
    // exponent bits all ones: infinity or NaN (checked on the bits so no fast-math assumption can drop it)
    if ((bitcast<u32>(norm) & 0x7f800000u) == 0x7f800000u) {
      stats[7] = 1.0;
      stats[8] = 0.0;
    } else if (d.maxNorm > 0.0) {
      stats[8] = min(1.0, d.maxNorm / (norm + 1e-6));
    } else {
      stats[8] = 1.0;
    }
  }
}
