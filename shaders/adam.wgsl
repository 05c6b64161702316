// adam: one torch.optim.Adam (L2 weight decay) or AdamW (decoupled weight decay) step over every parameter, in
// place, on gradients scaled by grad_norm's clip factor. Skips the step when grad_norm flagged a non-finite norm,
// so the weights stay those of the last good step.
// params: [n] f32, read_write. All parameters, flat.
// grads:  [n] f32, read. d loss / d params, same layout.
// m, v:   [n] f32, read_write. First and second moment estimates.
// stats:  f32, read. STAT_NON_FINITE flag, STAT_CLIP_SCALE (from grad_norm; slots in stats_slots.wgsl, put in front).
// d:      uniform Hyper: stepSize = lr / (1 - beta1^t); 1 - beta1 and 1 - beta2 come from float64 on the CPU
//         (1 - 0.999 in float32 is off by 1e-5 relative); invSqrtBc2 = 1 / sqrt(1 - beta2^t).

struct Hyper {
  n: u32, stride: u32, stepSize: f32, beta1: f32,
  beta2: f32, eps: f32, invSqrtBc2: f32, oneMinusBeta1: f32,
  oneMinusBeta2: f32, lr: f32, weightDecay: f32, decoupled: u32,
}

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read> stats: array<f32>;
@group(0) @binding(5) var<uniform> d: Hyper;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (stats[STAT_NON_FINITE] != 0.0) { return; }
  let scale = stats[STAT_CLIP_SCALE];
  for (var i = gid.x; i < d.n; i += d.stride) {
    var p = params[i];
    var g = grads[i] * scale;
    if (d.decoupled == 1u) {
      p *= 1.0 - d.lr * d.weightDecay;      // AdamW: p = p - lr * wd * p
    } else {
      g += d.weightDecay * p;               // Adam: g = g + wd * p
    }
    let mi = d.beta1 * m[i] + d.oneMinusBeta1 * g;
    let vi = d.beta2 * v[i] + d.oneMinusBeta2 * g * g;
    m[i] = mi;
    v[i] = vi;
    // torch: denom = sqrt(v) / sqrt(bias_correction2) + eps; p -= lr / bias_correction1 * m / denom
    params[i] = p - d.stepSize * mi / (sqrt(vi) * d.invSqrtBc2 + d.eps);
  }
}
