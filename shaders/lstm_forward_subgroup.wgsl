// lstm_forward_subgroup: lstm_forward (same bindings, Dims, dispatch and results) for adapters with 4-lane subgroups,
// such as SwiftShader. There every load from storage costs about five multiply-adds (a gather, lane by lane), and in
// lstm_forward the four lanes of a subgroup (four neighbouring hidden units of the same rows) each load the same
// h_prev values. Here an invocation owns one hidden unit j of ROWS_MAX (16) batch rows; its subgroup's lanes load
// h_prev once between them, lane l the value at k0 + l of each row, and hand them round with subgroupBroadcast. Per 4 k
// a lane makes 16 loads of h_prev and 16 of W_hh for 256 multiply-adds (lstm_forward: 48 for 128).
// Units are padded to a multiple of 4 per row group, so a subgroup never straddles two row groups (the padding lanes
// compute a clamped unit and write nothing), and the k past H of the last group of 4 is passed as zero. Needs subgroups
// of 4 neighbouring invocations (local_invocation_index 4m … 4m+3, in any lane order): the engine checks that before
// choosing it (subgroup_support.ts). The broadcasts sit in control flow that is uniform
// across a subgroup by that layout, which the uniformity analysis cannot see, hence the diagnostic directive.
// Bindings and layouts as in lstm_forward.wgsl:
// xw:     [T][B][4H] f32, read. x_t·W_ih^T for every step (no bias), gate order i, f, g, o.
// params: flat f32, read. weight_hh [4H][H] row-major at whhOff; bias_ih [4H] at bihOff; bias_hh [4H] at bhhOff.
// hs:     [T+1][B][H] f32, read_write. h_t at row t+1-reverse; h_prev(t) at row t+reverse (zeros, cleared by the host).
// cs:     [T+1][B][H] f32, read_write. The cell state, same rows as hs.
// gates:  [T][B][4H] f32, read_write. Activated gates i, f, g, o at time t.
// d:      uniform Dims; rowsPerGroup is a multiple of ROWS; dispatch ceil(B / rowsPerGroup) workgroups of WG.
// x:      [T][B][foldI] f32, read: the layer's input, read instead of xw when d.foldI > 0 (a narrow first layer:
//         forming x_t W_ih^T here costs foldI + 4·foldI loads a row, and saves the input projection's product and
//         the 4 loads of xw). W_ih [4H][foldI] row-major at wihOff. Bound but unread when foldI = 0.
// Compiled after recurrent_common.wgsl and lstm_cell_forward.wgsl, with the enable and diagnostic directives below moved
// in front of them (shader_sources.ts).
enable subgroups;
diagnostic(off, subgroup_uniformity);

@group(0) @binding(0) var<storage, read> xw: array<f32>;
@group(0) @binding(1) var<storage, read> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> hs: array<f32>;
@group(0) @binding(3) var<storage, read_write> cs: array<f32>;
@group(0) @binding(4) var<storage, read_write> gates: array<f32>;
@group(0) @binding(5) var<uniform> d: Dims;
@group(0) @binding(6) var<storage, read> x: array<f32>;

// Rows the accumulators hold: sixteen vec4f, one per row, its four gates.
const ROWS_MAX = 16u;

/** x_t W_ih^T of row b, unit j, gates i, f, g, o: from xw, or formed here from x when the input is folded in (summed
 *  from 0 over i ascending, as the matmul that writes xw sums over k). */
fn input_part(t: u32, b: u32, j: u32) -> vec4f {
  if (d.foldI == 0u) { return lstm_input_part(t, b, j); }
  let I = d.foldI;
  let xr = (t * d.B + b) * I;
  let wi = d.wihOff + j * I;
  let HI = d.H * I;
  var part = vec4f(0.0);
  for (var i = 0u; i < I; i++) {
    part += x[xr + i] * vec4f(params[wi + i], params[wi + HI + i], params[wi + 2u * HI + i], params[wi + 3u * HI + i]);
  }
  return part;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let H = d.H;
  let G = 4u * H;
  let HH = H * H;
  let b0 = wg.x * d.rowsPerGroup;
  let rows = min(d.rowsPerGroup, d.B - b0);
  let last = b0 + rows - 1u;
  // units per row group, padded to a multiple of the subgroup's 4 lanes
  let units = ((H + 3u) / 4u) * 4u;
  let items = ((rows + ROWS - 1u) / ROWS) * units;
  for (var s = 0u; s < d.T; s++) {
    let t = select(s, d.T - 1u - s, d.reverse == 1u);
    let prevRow = (t + d.reverse) * d.B;
    let curRow = (t + 1u - d.reverse) * d.B;
    for (var p = li; p < items; p += WG) {
      let j = p % units;
      // a unit past H (the padding) reads the last unit and writes nothing
      let jc = min(j, H - 1u);
      let bq = b0 + (p / units) * ROWS;
      // h_prev(row, k) of the 16 rows sits at hA.x + k …; rows past the batch read the last real row
      let r0 = vec4u(bq) + vec4u(0u, 1u, 2u, 3u);
      let hA = (vec4u(prevRow) + min(r0, vec4u(last))) * H;
      let hB = (vec4u(prevRow) + min(r0 + 4u, vec4u(last))) * H;
      let hC = (vec4u(prevRow) + min(r0 + 8u, vec4u(last))) * H;
      let hD = (vec4u(prevRow) + min(r0 + 12u, vec4u(last))) * H;
      let w0 = d.whhOff + jc * H;
      // aR = the recurrent part of gates_pre (i, f, g, o) of row bq + R: h_prev W_hh^T
      var a0 = vec4f(0.0); var a1 = vec4f(0.0); var a2 = vec4f(0.0); var a3 = vec4f(0.0);
      var a4 = vec4f(0.0); var a5 = vec4f(0.0); var a6 = vec4f(0.0); var a7 = vec4f(0.0);
      var a8 = vec4f(0.0); var a9 = vec4f(0.0); var a10 = vec4f(0.0); var a11 = vec4f(0.0);
      var a12 = vec4f(0.0); var a13 = vec4f(0.0); var a14 = vec4f(0.0); var a15 = vec4f(0.0);
      for (var k0 = 0u; k0 < H; k0 += 4u) {
        // lane l loads h_prev(row, k0 + l); past H (when H is not a multiple of 4) it reads k = H-1 and passes a zero
        let kl = min(k0 + lane, H - 1u);
        let m = select(0.0, 1.0, k0 + lane < H);
        let vA = vec4f(hs[hA.x + kl], hs[hA.y + kl], hs[hA.z + kl], hs[hA.w + kl]) * m;
        let vB = vec4f(hs[hB.x + kl], hs[hB.y + kl], hs[hB.z + kl], hs[hB.w + kl]) * m;
        let vC = vec4f(hs[hC.x + kl], hs[hC.y + kl], hs[hC.z + kl], hs[hC.w + kl]) * m;
        let vD = vec4f(hs[hD.x + kl], hs[hD.y + kl], hs[hD.z + kl], hs[hD.w + kl]) * m;
        {
          let k = w0 + min(k0 + 0u, H - 1u);
          let w = vec4f(params[k], params[k + HH], params[k + 2u * HH], params[k + 3u * HH]);
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
          let k = w0 + min(k0 + 1u, H - 1u);
          let w = vec4f(params[k], params[k + HH], params[k + 2u * HH], params[k + 3u * HH]);
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
          let k = w0 + min(k0 + 2u, H - 1u);
          let w = vec4f(params[k], params[k + HH], params[k + 2u * HH], params[k + 3u * HH]);
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
          let k = w0 + min(k0 + 3u, H - 1u);
          let w = vec4f(params[k], params[k + HH], params[k + 2u * HH], params[k + 3u * HH]);
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
      let acc = array<vec4f, ROWS_MAX>(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15);
      let bias = lstm_gate_bias(jc);
      for (var r = 0u; r < ROWS; r++) {
        let b = bq + r;
        if (b > last || j >= H) { break; }
        // gates_pre = x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh
        lstm_cell_forward(t, b, j, prevRow, curRow, input_part(t, b, j) + bias + acc[r]);
      }
    }
    // h_t of this workgroup's rows is read by every invocation of the workgroup at the next step.
    storageBarrier();
  }
}
