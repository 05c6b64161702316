// embedding_forward: token ids to vectors (torch.nn.Embedding), feeding the first recurrent layer.
// ids:    [T][B] u32, read. Time-major token ids, each < V (checked on the CPU).
// params: flat f32, read. embedding.weight [V][E] at embOff.
// out:    [T][B][E] f32, read_write.
// d:      uniform: rows = T·B, E, embOff.

struct Dims {
  rows: u32, E: u32, embOff: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> ids: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let total = d.rows * d.E;
  for (var i = gid.x; i < total; i += groups.x * WG) {
    let row = i / d.E;
    let e = i % d.E;
    out[i] = params[d.embOff + ids[row] * d.E + e];
  }
}
