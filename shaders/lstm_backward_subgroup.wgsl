// lstm_backward_subgroup: lstm_backward (same bindings, Dims, dispatch and results) for adapters with 4-lane
// subgroups, such as SwiftShader, where every load from storage costs about five multiply-adds. An invocation owns
// UNITS_MAX (4) hidden units j0 … j0+3 of ROWS_MAX (16) batch rows; the four lanes of a subgroup own neighbouring unit
// groups of the same rows, so the dgates_next values they all need are loaded once between them (lane l the value at
// n0 + l of each row) and handed round with subgroupBroadcast; each lane loads only its own units' W_hh values. Per 4 n
// a lane makes 16 loads of dgates and 16 of W_hh for 256 multiply-adds (lstm_backward: 24 for 32).
// Unit groups are padded to a multiple of 4 per row group, so a subgroup never straddles two row groups (the padding
// lanes compute clamped units and write nothing). Needs subgroups of 4 neighbouring invocations (local_invocation_index
// 4m … 4m+3, in any lane order): the engine checks that before choosing it (subgroup_support.ts). The broadcasts sit in
// control flow that is uniform across a subgroup by that layout, which the uniformity analysis cannot see, hence the
// diagnostic directive.
// Bindings and layouts as in lstm_backward.wgsl:
// dh:     [T][B][H] f32, read_write. In: d loss / d h_t from above. Out: the total d loss / d h_t.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff.
// gates:  [T][B][4H] f32, read. Activated gates i, f, g, o from the forward.
// cs:     [T+1][B][H] f32, read. Cell states from the forward.
// dgates: [T][B][4H] f32, read_write. d loss / d gate pre-activations at time t, order i, f, g, o.
// dc:     [B][H] f32, read_write scratch: d loss / d c carried to the previously processed step.
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// Compiled after recurrent_common.wgsl and lstm_cell_backward.wgsl, with the directives below moved in front of them
// (shader_sources.ts).
enable subgroups;
diagnostic(off, subgroup_uniformity);

@group(0) @binding(0) var<storage, read_write> dh: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read> gates: array<f32>;
@group(0) @binding(3) var<storage, read> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> dgates: array<f32>;
@group(0) @binding(5) var<storage, read_write> dc: array<f32>;
@group(0) @binding(6) var<uniform> d: Dims;

// Hidden units per invocation; the accumulators hold ROWS_MAX rows of UNITS_MAX units (a vec4f per row).
override UNITS: u32;
const ROWS_MAX = 16u;
const UNITS_MAX = 4u;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let H = d.H;
  let G = 4u * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  // unit groups per row group, padded to a multiple of the subgroup's 4 lanes
  let unitGroups = ((H + 4u * UNITS - 1u) / (4u * UNITS)) * 4u;
  let items = ((rows + ROWS - 1u) / ROWS) * unitGroups;
  for (var s = 0u; s < d.T; s++) {
    // forward processed t_next right after t; backward visits them in the opposite order
    let t = select(d.T - 1u - s, s, d.reverse == 1u);
    let tNext = select(t + 1u, t - 1u, d.reverse == 1u);
    for (var p = li; p < items; p += WG) {
      let j0 = (p % unitGroups) * UNITS;
      // units past H (the padding) read the last unit and write nothing
      let ju = min(vec4u(j0) + vec4u(0u, 1u, 2u, 3u), vec4u(H - 1u));
      let bq = b0 + (p / unitGroups) * ROWS;
      // forward: gates_pre_next += h_t W_hh^T  =>  dh_t += dgates_next W_hh; aR = that sum for row bq + R, units ju
      var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
      var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
      var a8 = vec4f(0.0); var a9 = vec4f(0.0); var a10 = vec4f(0.0); var a11 = vec4f(0.0);
      var a12 = vec4f(0.0); var a13 = vec4f(0.0); var a14 = vec4f(0.0); var a15 = vec4f(0.0);
      if (s > 0u) {
        // dgates_next(row, n0 + lane) of the 16 rows sits at nA.x + n0 …; rows past the batch read the last real row
        let r0 = vec4u(bq) + vec4u(0u, 1u, 2u, 3u);
        let nA = (vec4u(tNext * d.B) + min(r0, vec4u(last))) * G + lane;
        let nB = (vec4u(tNext * d.B) + min(r0 + 4u, vec4u(last))) * G + lane;
        let nC = (vec4u(tNext * d.B) + min(r0 + 8u, vec4u(last))) * G + lane;
        let nD = (vec4u(tNext * d.B) + min(r0 + 12u, vec4u(last))) * G + lane;
        for (var n0 = 0u; n0 < G; n0 += 4u) {
          let vA = vec4f(dgates[nA.x + n0], dgates[nA.y + n0], dgates[nA.z + n0], dgates[nA.w + n0]);
          let vB = vec4f(dgates[nB.x + n0], dgates[nB.y + n0], dgates[nB.z + n0], dgates[nB.w + n0]);
          let vC = vec4f(dgates[nC.x + n0], dgates[nC.y + n0], dgates[nC.z + n0], dgates[nC.w + n0]);
          let vD = vec4f(dgates[nD.x + n0], dgates[nD.y + n0], dgates[nD.z + n0], dgates[nD.w + n0]);
          {
            let wr = d.whhOff + (n0 + 0u) * H;
            let w = vec4f(params[wr + ju.x], params[wr + ju.y], params[wr + ju.z], params[wr + ju.w]);
            // dgates_next(row, n0 + 0), loaded by lane 0
            let xA = subgroupBroadcast(vA, 0u);
            let xB = subgroupBroadcast(vB, 0u);
            let xC = subgroupBroadcast(vC, 0u);
            let xD = subgroupBroadcast(vD, 0u);
            a0 += xA.x * w; a1 += xA.y * w; a2 += xA.z * w; a3 += xA.w * w;
            a4 += xB.x * w; a5 += xB.y * w; a6 += xB.z * w; a7 += xB.w * w;
            a8 += xC.x * w; a9 += xC.y * w; a10 += xC.z * w; a11 += xC.w * w;
            a12 += xD.x * w; a13 += xD.y * w; a14 += xD.z * w; a15 += xD.w * w;
          }
          {
            let wr = d.whhOff + (n0 + 1u) * H;
            let w = vec4f(params[wr + ju.x], params[wr + ju.y], params[wr + ju.z], params[wr + ju.w]);
            // dgates_next(row, n0 + 1), loaded by lane 1
            let xA = subgroupBroadcast(vA, 1u);
            let xB = subgroupBroadcast(vB, 1u);
            let xC = subgroupBroadcast(vC, 1u);
            let xD = subgroupBroadcast(vD, 1u);
            a0 += xA.x * w; a1 += xA.y * w; a2 += xA.z * w; a3 += xA.w * w;
            a4 += xB.x * w; a5 += xB.y * w; a6 += xB.z * w; a7 += xB.w * w;
            a8 += xC.x * w; a9 += xC.y * w; a10 += xC.z * w; a11 += xC.w * w;
            a12 += xD.x * w; a13 += xD.y * w; a14 += xD.z * w; a15 += xD.w * w;
          }
          {
            let wr = d.whhOff + (n0 + 2u) * H;
            let w = vec4f(params[wr + ju.x], params[wr + ju.y], params[wr + ju.z], params[wr + ju.w]);
            // dgates_next(row, n0 + 2), loaded by lane 2
            let xA = subgroupBroadcast(vA, 2u);
            let xB = subgroupBroadcast(vB, 2u);
            let xC = subgroupBroadcast(vC, 2u);
            let xD = subgroupBroadcast(vD, 2u);
            a0 += xA.x * w; a1 += xA.y * w; a2 += xA.z * w; a3 += xA.w * w;
            a4 += xB.x * w; a5 += xB.y * w; a6 += xB.z * w; a7 += xB.w * w;
            a8 += xC.x * w; a9 += xC.y * w; a10 += xC.z * w; a11 += xC.w * w;
            a12 += xD.x * w; a13 += xD.y * w; a14 += xD.z * w; a15 += xD.w * w;
          }
          {
            let wr = d.whhOff + (n0 + 3u) * H;
            let w = vec4f(params[wr + ju.x], params[wr + ju.y], params[wr + ju.z], params[wr + ju.w]);
            // dgates_next(row, n0 + 3), loaded by lane 3
            let xA = subgroupBroadcast(vA, 3u);
            let xB = subgroupBroadcast(vB, 3u);
            let xC = subgroupBroadcast(vC, 3u);
            let xD = subgroupBroadcast(vD, 3u);
            a0 += xA.x * w; a1 += xA.y * w; a2 += xA.z * w; a3 += xA.w * w;
            a4 += xB.x * w; a5 += xB.y * w; a6 += xB.z * w; a7 += xB.w * w;
            a8 += xC.x * w; a9 += xC.y * w; a10 += xC.z * w; a11 += xC.w * w;
            a12 += xD.x * w; a13 += xD.y * w; a14 += xD.z * w; a15 += xD.w * w;
          }
        }
      }
      let acc = array<vec4f, ROWS_MAX>(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last) { break; }
        let rec = acc[r];
        for (var u = 0u; u < UNITS; u++) {
          if (j0 + u >= H) { break; }
          lstm_cell_backward(s, t, b, j0 + u, rec[u]);
        }
      }
    }
    // dgates_t of this workgroup's rows is read by every invocation of the workgroup at the next visited step.
    storageBarrier();
  }
}
