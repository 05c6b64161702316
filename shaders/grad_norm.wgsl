// grad_norm: the global 2-norm of every gradient (as torch.nn.utils.clip_grad_norm_ returns it), the clip factor the
// optimizer applies, and a sticky flag when the norm is not finite. Two entry points, run in order:
//   partial: `groups` workgroups (about one per 16 Ki gradients, as few as can be: on CPU adapters every workgroup
//            with barriers has a fixed cost, measured in the README, "Where the time goes"), each sums the squares of
//            a strided share of grads into stats[STAT_NORM_PARTIALS + workgroup];
//   finish:  one workgroup sums the `groups` partials.
// grads: [n] f32, read. Every gradient, flat.
// stats: f32, read_write; slots in stats_slots.wgsl (put in front). Out: STAT_GRAD_NORM, STAT_NON_FINITE = 1 once any
//        norm was NaN or infinite (cleared by the host), STAT_CLIP_SCALE = min(1, maxNorm / (norm + 1e-6)) when
//        maxNorm > 0, else 1; 0 when not finite.
// d:     uniform: n, maxNorm (f32; 0 = no clipping), groups (the partial dispatch's workgroup count, at most
//        STAT_COUNT - STAT_NORM_PARTIALS and at most WG).

struct Dims {
  n: u32, maxNorm: f32, groups: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> grads: array<f32>;
@group(0) @binding(1) var<storage, read_write> stats: array<f32>;
@group(0) @binding(2) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

var<workgroup> sums: array<f32, WG>;

fn tree_sum(li: u32) {
  workgroupBarrier();
  for (var w = WG / 2u; w > 0u; w >>= 1u) {
    if (li < w) { sums[li] += sums[li + w]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn partial(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  for (var i = wg.x * WG + li; i < d.n; i += d.groups * WG) {
    let g = grads[i];
    s += g * g;
  }
  sums[li] = s;
  tree_sum(li);
  if (li == 0u) { stats[STAT_NORM_PARTIALS + wg.x] = sums[0]; }
}

@compute @workgroup_size(WG)
fn finish(@builtin(local_invocation_index) li: u32) {
  var s = 0.0;
  if (li < d.groups) { s = stats[STAT_NORM_PARTIALS + li]; }
  sums[li] = s;
  tree_sum(li);
  if (li == 0u) {
    let norm = sqrt(sums[0]);
    stats[STAT_GRAD_NORM] = norm;
    // exponent bits all ones: infinity or NaN (checked on the bits so no fast-math assumption can drop it)
    if ((bitcast<u32>(norm) & 0x7f800000u) == 0x7f800000u) {
      stats[STAT_NON_FINITE] = 1.0;
      stats[STAT_CLIP_SCALE] = 0.0;
    } else if (d.maxNorm > 0.0) {
      stats[STAT_CLIP_SCALE] = min(1.0, d.maxNorm / (norm + 1e-6));
    } else {
      stats[STAT_CLIP_SCALE] = 1.0;
    }
  }
}
