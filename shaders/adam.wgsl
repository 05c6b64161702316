// adam: one torch.optim.Adam step (no weight decay) over every parameter, in place.
// params: [n] f32, read_write. All parameters, flat.
// grads:  [n] f32, read. d loss / d params, same layout.
// m, v:   [n] f32, read_write. First and second moment estimates.
// d:      uniform: n, grid stride, stepSize = lr / (1 - beta1^t), beta1, beta2, their complements 1 - beta (computed in
//         float64 on the CPU: 1 - 0.999 in float32 is off by 1e-5 relative), eps, invSqrtBc2 = 1 / sqrt(1 - beta2^t).

struct Hyper {
  n: u32, stride: u32, stepSize: f32, beta1: f32,
  beta2: f32, eps: f32, invSqrtBc2: f32, oneMinusBeta1: f32,
  oneMinusBeta2: f32, pad0: f32, pad1: f32, pad2: f32,
}

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<uniform> d: Hyper;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  for (var i = gid.x; i < d.n; i += d.stride) {
    let g = grads[i];
    let mi = d.beta1 * m[i] + d.oneMinusBeta1 * g;
    let vi = d.beta2 * v[i] + d.oneMinusBeta2 * g * g;
    m[i] = mi;
    v[i] = vi;
    // torch: denom = sqrt(v) / sqrt(bias_correction2) + eps; p -= lr / bias_correction1 * m / denom
    params[i] -= d.stepSize * mi / (sqrt(vi) * d.invSqrtBc2 + d.eps);
  }
}
