// matmul_subgroup: matmul_direct (same bindings, Dims, TILE and dispatch grid: C = A·B (+ bias[n]) (+ C) on strided
// views, no workgroup memory, no barriers) for adapters with 4-lane subgroups, such as SwiftShader, where every load
// from storage costs about five multiply-adds. A subgroup computes a 16×16 block of C: each lane 16 rows × its own 4
// columns. The 16 values of A a k needs are the same for the four lanes, so each lane loads 4 of them (rows
// 4q + lane) and subgroupBroadcast hands them round; each lane loads its own 4 values of B. Per k: 8 loads for 64
// multiply-adds (matmul_direct: 16).
// a:    f32 storage, read. Element (m, k) at aOff + m*sam + k*sak.
// b:    f32 storage, read. Element (k, n) at bOff + k*sbk + n*sbn.
// bias: f32 storage, read. bias[n] at biasOff + n; read only when flags & 1.
// c:    f32 storage, read_write. Element (m, n) at cOff + m*ldc + n; added to when flags & 2.
// d:    uniform Dims (as matmul.wgsl). A workgroup of SIDE² invocations (16 subgroups, 4 × 4 of 16×16 blocks) covers
//       a TILE×TILE tile of C, (TILE / SUBTILE)² subgroups of BLOCK² outputs per invocation, as the other kernels;
//       kernel_sizes.ts keeps TILE a multiple of SUBTILE.
// Needs subgroups of 4 neighbouring invocations (local_invocation_index 4m … 4m+3, in any lane order), which the
// engine checks before choosing it (subgroup_support.ts); a subgroup leaves or stays as a whole, so the broadcasts run
// in control flow uniform across it, which the uniformity analysis cannot see: hence the diagnostic directive.
// Compiled after matmul_common.wgsl (struct Dims, the bindings above, store4), with the directives below moved in
// front of it (shader_sources.ts).
enable subgroups;
diagnostic(off, subgroup_uniformity);

// The block of C a subgroup computes is SUBTILE × SUBTILE (16 rows, 4 lanes × 4 columns); TILE must be a multiple.
const SUBTILE = 16u;

/** Writes C(m, n .. n+3): straight-line when all 4 columns lie inside N, else through store4's tests. */
fn store_row(m: u32, n: u32, v: vec4f) {
  if (m >= d.M) { return; }
  if (n + 4u > d.N) {
    store4(m, n, v);
    return;
  }
  var x = v;
  if ((d.flags & 1u) != 0u) {
    let o = d.biasOff + n;
    x += vec4f(bias[o], bias[o + 1u], bias[o + 2u], bias[o + 3u]);
  }
  let ci = d.cOff + m * d.ldc + n;
  if ((d.flags & 2u) != 0u) { x += vec4f(c[ci], c[ci + 1u], c[ci + 2u], c[ci + 3u]); }
  c[ci] = x.x; c[ci + 1u] = x.y; c[ci + 2u] = x.z; c[ci + 3u] = x.w;
}

@compute @workgroup_size(SIDE * SIDE)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32, @builtin(subgroup_invocation_id) lane: u32) {
  let sg = li / 4u;
  let perSide = TILE / SUBTILE;
  let mr = wg.y * TILE + (sg / perSide) * SUBTILE;
  let n0 = wg.x * TILE + (sg % perSide) * SUBTILE;
  // the whole subgroup leaves together (no barriers below)
  if (mr >= d.M || n0 >= d.N) { return; }
  let nc = n0 + 4u * lane;
  // rows past M and columns past N read the last real one (clamped) and are never written
  let rows = min(vec4u(mr + lane) + vec4u(0u, 4u, 8u, 12u), vec4u(d.M - 1u));
  let cols = min(vec4u(nc) + vec4u(0u, 1u, 2u, 3u), vec4u(d.N - 1u));
  var pa = vec4u(d.aOff) + rows * d.sam;
  var pb = vec4u(d.bOff) + cols * d.sbn;
  // cR = C(mr + R, nc .. nc+3)
  var c0 = vec4f(0.0); var c1 = vec4f(0.0); var c2 = vec4f(0.0); var c3 = vec4f(0.0);
  var c4 = vec4f(0.0); var c5 = vec4f(0.0); var c6 = vec4f(0.0); var c7 = vec4f(0.0);
  var c8 = vec4f(0.0); var c9 = vec4f(0.0); var c10 = vec4f(0.0); var c11 = vec4f(0.0);
  var c12 = vec4f(0.0); var c13 = vec4f(0.0); var c14 = vec4f(0.0); var c15 = vec4f(0.0);
  for (var k = 0u; k < d.K; k++) {
    // va = A(mr + lane + 4q, k) for q = 0..3; xL, from lane L, holds A(mr + L + 4q, k)
    let va = vec4f(a[pa.x], a[pa.y], a[pa.z], a[pa.w]);
    let vb = vec4f(b[pb.x], b[pb.y], b[pb.z], b[pb.w]);
    let x0 = subgroupBroadcast(va, 0u);
    let x1 = subgroupBroadcast(va, 1u);
    let x2 = subgroupBroadcast(va, 2u);
    let x3 = subgroupBroadcast(va, 3u);
    c0 += x0.x * vb;
    c1 += x1.x * vb;
    c2 += x2.x * vb;
    c3 += x3.x * vb;
    c4 += x0.y * vb;
    c5 += x1.y * vb;
    c6 += x2.y * vb;
    c7 += x3.y * vb;
    c8 += x0.z * vb;
    c9 += x1.z * vb;
    c10 += x2.z * vb;
    c11 += x3.z * vb;
    c12 += x0.w * vb;
    c13 += x1.w * vb;
    c14 += x2.w * vb;
    c15 += x3.w * vb;
    pa += vec4u(d.sak);
    pb += vec4u(d.sbk);
  }
  store_row(mr + 0u, nc, c0);
  store_row(mr + 1u, nc, c1);
  store_row(mr + 2u, nc, c2);
  store_row(mr + 3u, nc, c3);
  store_row(mr + 4u, nc, c4);
  store_row(mr + 5u, nc, c5);
  store_row(mr + 6u, nc, c6);
  store_row(mr + 7u, nc, c7);
  store_row(mr + 8u, nc, c8);
  store_row(mr + 9u, nc, c9);
  store_row(mr + 10u, nc, c10);
  store_row(mr + 11u, nc, c11);
  store_row(mr + 12u, nc, c12);
  store_row(mr + 13u, nc, c13);
  store_row(mr + 14u, nc, c14);
  store_row(mr + 15u, nc, c15);
}
