// sgd: one torch.optim.SGD step (momentum, no dampening, not Nesterov; L2 weight decay) over every parameter, in
// place, on gradients scaled by grad_norm's clip factor; skipped when grad_norm flagged a non-finite norm.
// params:   [n] f32, read_write. All parameters, flat.
// grads:    [n] f32, read.
// velocity: [n] f32, read_write. The momentum buffer (set to the gradient on the first step, as torch does).
// stats:    f32, read. STAT_NON_FINITE flag, STAT_CLIP_SCALE (slots in stats_slots.wgsl, put in front).
// d:        uniform: n, grid stride, lr, momentum, weightDecay, first (1 on the first step).

struct Hyper {
  n: u32, stride: u32, lr: f32, momentum: f32,
  weightDecay: f32, first: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<uniform> d: Hyper;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (stats[STAT_NON_FINITE] != 0.0) { return; }
  let scale = stats[STAT_CLIP_SCALE];
  for (var i = gid.x; i < d.n; i += d.stride) {
    let p = params[i];
    var g = grads[i] * scale + d.weightDecay * p;
    if (d.momentum > 0.0) {
      var b = g;
      if (d.first == 0u) { b = d.momentum * velocity[i] + g; }
      velocity[i] = b;
      g = b;
    }
    params[i] = p - d.lr * g;
  }
}
