// embedding_backward: d loss / d embedding.weight, deterministic: one invocation per (distinct id, unit) sums that
// id's rows in a fixed order (no float atomics, so the same run gives the same bits). Rows of ids absent from the
// batch are zeroed by the host before this runs.
// index:  u32, read. [0] U = distinct ids in the batch; [1 .. 1+U) the ids; [1+U .. 2+2U) start of each id's rows in
//         the row list (U+1 entries); then the row list (T·B entries, rows grouped by id, ascending).
// dEmb:   [T][B][E] f32, read. d loss / d embedding output (the first layer's input gradient).
// grads:  flat f32, read_write. embedding.weight grad [V][E] at embOff.
// d:      uniform: E, embOff. Dispatch (min(T·B, 65535), ceil(E / WG)).

struct Dims {
  E: u32, embOff: u32, pad0: u32, pad1: u32,
}

@group(0) @binding(0) var<storage, read> index: array<u32>;
@group(0) @binding(1) var<storage, read> dEmb: array<f32>;
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
@group(0) @binding(3) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(num_workgroups) groups: vec3u) {
  let U = index[0];
  let e = wg.y * WG + lid.x;
  if (e >= d.E) { return; }
  for (var u = wg.x; u < U; u += groups.x) {
    let id = index[1u + u];
    let start = index[1u + U + u];
    let end = index[2u + U + u];
    let rowsAt = 2u + 2u * U;
    var s = 0.0;
    for (var k = start; k < end; k++) {
      s += dEmb[index[rowsAt + k] * d.E + e];
    }
    grads[d.embOff + id * d.E + e] = s;
  }
}
