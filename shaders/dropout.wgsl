// dropout: seeded inverted dropout between stacked layers (training only). The mask is a hash of (step seed, salt,
// element index), so backward recomputes the forward's mask and src/engine/dropout_mask.ts reproduces it on the CPU.
// Entry `apply` copies a layer output view into the next layer's input with the mask; `apply_in_place` multiplies a
// gradient by the same mask.
// input:  f32, read. n elements from inOff ([T][B][H] time-indexed h_t of one layer direction).
// output: f32, read_write. n elements from outOff.
// d:      uniform Dims: n, inOff, outOff, salt (2·layer + direction + 1), p (f32), scale = 1 / (1 - p) (f32).
// step:   uniform: the step seed, changed by the host every training step.

struct Dims {
  n: u32, inOff: u32, outOff: u32, salt: u32,
  p: f32, scale: f32, pad0: u32, pad1: u32,
}

struct Step {
  seed: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> output: array<f32>;
@group(0) @binding(2) var<uniform> d: Dims;
@group(0) @binding(3) var<uniform> step: Step;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn keep(i: u32) -> f32 {
  let u = f32(pcg(i ^ pcg(step.seed + d.salt * 0x9e3779b9u)) >> 8u) / 16777216.0;
  return select(0.0, d.scale, u >= d.p);
}

@compute @workgroup_size(WG)
fn apply(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < d.n; i += groups.x * WG) {
    output[d.outOff + i] = input[d.inOff + i] * keep(i);
  }
}

@compute @workgroup_size(WG)
fn apply_in_place(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  for (var i = gid.x; i < d.n; i += groups.x * WG) {
    output[d.outOff + i] *= keep(i);
  }
}
