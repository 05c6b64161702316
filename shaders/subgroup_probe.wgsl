// subgroup_probe: checks, once per device, the subgroup layout that lstm_forward_subgroup and lstm_backward_subgroup
// rely on: every subgroup has 4 lanes, all active, and they are the neighbouring invocations 4m … 4m+3 of
// local_invocation_index (in any lane order), at the workgroup size those kernels use. subgroup_support.ts reads it.
// ok: [2][WG] u32, read_write. 1 where invocation (workgroup, local index) saw that layout, else 0.
// Dispatch 2 workgroups of WG.
enable subgroups;

override WG: u32;

@group(0) @binding(0) var<storage, read_write> ok: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32, @builtin(subgroup_size) size: u32,
        @builtin(subgroup_invocation_id) lane: u32) {
  let lo = subgroupMin(li);
  let hi = subgroupMax(li);
  let lanes = subgroupOr(1u << min(lane, 31u));
  let good = size == 4u && lanes == 15u && lo == (li & ~3u) && hi == (li | 3u);
  ok[wg.x * WG + li] = select(0u, 1u, good);
}
