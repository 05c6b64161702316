// matmul_direct: C = A·B (+ bias[n]) (+ C) on strided views, like matmul.wgsl, but each invocation reads its operands
// straight from storage: no workgroup memory, no barriers. For CPU adapters (SwiftShader), where a workgroup that
// declares workgroup memory and waits on barriers has a fixed cost before any work (the figure: README, "Where the time
// goes"), so the small products of a training step ran 2–5× faster this way. kernels.ts picks it by adapter.
// a:    f32 storage, read. Element (m, k) at aOff + m*sam + k*sak.
// b:    f32 storage, read. Element (k, n) at bOff + k*sbk + n*sbn.
// bias: f32 storage, read. bias[n] at biasOff + n; read only when flags & 1.
// c:    f32 storage, read_write. Element (m, n) at cOff + m*ldc + n; added to when flags & 2.
// d:    uniform Dims (as matmul.wgsl). One workgroup of SIDE×SIDE invocations covers a TILE×TILE tile of C, each
//       invocation a BLOCK×BLOCK (8×8) block: per k, 8 loads of A and 8 of B for 64 multiply-adds.
// Compiled after matmul_common.wgsl (struct Dims, the bindings above, store4): kernels.ts puts it in front.

/** Writes C(m, n .. n+7) when all 8 columns lie inside N (the common case: straight-line, no per-element tests). */
fn store8(m: u32, n: u32, v0: vec4f, v1: vec4f) {
  if (m >= d.M) { return; }
  var x0 = v0;
  var x1 = v1;
  if ((d.flags & 1u) != 0u) {
    let o = d.biasOff + n;
    x0 += vec4f(bias[o], bias[o + 1u], bias[o + 2u], bias[o + 3u]);
    x1 += vec4f(bias[o + 4u], bias[o + 5u], bias[o + 6u], bias[o + 7u]);
  }
  let ci = d.cOff + m * d.ldc + n;
  if ((d.flags & 2u) != 0u) {
    x0 += vec4f(c[ci], c[ci + 1u], c[ci + 2u], c[ci + 3u]);
    x1 += vec4f(c[ci + 4u], c[ci + 5u], c[ci + 6u], c[ci + 7u]);
  }
  c[ci] = x0.x; c[ci + 1u] = x0.y; c[ci + 2u] = x0.z; c[ci + 3u] = x0.w;
  c[ci + 4u] = x1.x; c[ci + 5u] = x1.y; c[ci + 6u] = x1.z; c[ci + 7u] = x1.w;
}

@compute @workgroup_size(SIDE, SIDE)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let mr = wg.y * TILE + lid.y * BLOCK;
  let nc = wg.x * TILE + lid.x * BLOCK;
  // no barriers below, so invocations outside C may leave at once
  if (mr >= d.M || nc >= d.N) { return; }
  // rows past M and columns past N read the last real one (clamped) and are never written
  let rows = min(vec4u(mr) + vec4u(0u, 1u, 2u, 3u), vec4u(d.M - 1u));
  let rows2 = min(vec4u(mr) + vec4u(4u, 5u, 6u, 7u), vec4u(d.M - 1u));
  let cols = min(vec4u(nc) + vec4u(0u, 1u, 2u, 3u), vec4u(d.N - 1u));
  let cols2 = min(vec4u(nc) + vec4u(4u, 5u, 6u, 7u), vec4u(d.N - 1u));
  var pa = vec4u(d.aOff) + rows * d.sam;
  var pa2 = vec4u(d.aOff) + rows2 * d.sam;
  var pb = vec4u(d.bOff) + cols * d.sbn;
  var pb2 = vec4u(d.bOff) + cols2 * d.sbn;
  // accR_h = C(mr + R, nc + 4h .. +3)
  var acc0_0 = vec4f(0.0); var acc0_1 = vec4f(0.0); var acc1_0 = vec4f(0.0); var acc1_1 = vec4f(0.0); var acc2_0 = vec4f(0.0); var acc2_1 = vec4f(0.0); var acc3_0 = vec4f(0.0); var acc3_1 = vec4f(0.0);
  var acc4_0 = vec4f(0.0); var acc4_1 = vec4f(0.0); var acc5_0 = vec4f(0.0); var acc5_1 = vec4f(0.0); var acc6_0 = vec4f(0.0); var acc6_1 = vec4f(0.0); var acc7_0 = vec4f(0.0); var acc7_1 = vec4f(0.0);
  for (var k = 0u; k < d.K; k++) {
    let b0 = vec4f(b[pb.x], b[pb.y], b[pb.z], b[pb.w]);
    let b1 = vec4f(b[pb2.x], b[pb2.y], b[pb2.z], b[pb2.w]);
    let a0 = vec4f(a[pa.x], a[pa.y], a[pa.z], a[pa.w]);
    let a1 = vec4f(a[pa2.x], a[pa2.y], a[pa2.z], a[pa2.w]);
    acc0_0 += a0.x * b0;
    acc0_1 += a0.x * b1;
    acc1_0 += a0.y * b0;
    acc1_1 += a0.y * b1;
    acc2_0 += a0.z * b0;
    acc2_1 += a0.z * b1;
    acc3_0 += a0.w * b0;
    acc3_1 += a0.w * b1;
    acc4_0 += a1.x * b0;
    acc4_1 += a1.x * b1;
    acc5_0 += a1.y * b0;
    acc5_1 += a1.y * b1;
    acc6_0 += a1.z * b0;
    acc6_1 += a1.z * b1;
    acc7_0 += a1.w * b0;
    acc7_1 += a1.w * b1;
    pa += vec4u(d.sak);
    pa2 += vec4u(d.sak);
    pb += vec4u(d.sbk);
    pb2 += vec4u(d.sbk);
  }
  if (nc + 8u <= d.N) {
    store8(mr + 0u, nc, acc0_0, acc0_1);
    store8(mr + 1u, nc, acc1_0, acc1_1);
    store8(mr + 2u, nc, acc2_0, acc2_1);
    store8(mr + 3u, nc, acc3_0, acc3_1);
    store8(mr + 4u, nc, acc4_0, acc4_1);
    store8(mr + 5u, nc, acc5_0, acc5_1);
    store8(mr + 6u, nc, acc6_0, acc6_1);
    store8(mr + 7u, nc, acc7_0, acc7_1);
    return;
  }
  store4(mr + 0u, nc, acc0_0);
  store4(mr + 0u, nc + 4u, acc0_1);
  store4(mr + 1u, nc, acc1_0);
  store4(mr + 1u, nc + 4u, acc1_1);
  store4(mr + 2u, nc, acc2_0);
  store4(mr + 2u, nc + 4u, acc2_1);
  store4(mr + 3u, nc, acc3_0);
  store4(mr + 3u, nc + 4u, acc3_1);
  store4(mr + 4u, nc, acc4_0);
  store4(mr + 4u, nc + 4u, acc4_1);
  store4(mr + 5u, nc, acc5_0);
  store4(mr + 5u, nc + 4u, acc5_1);
  store4(mr + 6u, nc, acc6_0);
  store4(mr + 6u, nc + 4u, acc6_1);
  store4(mr + 7u, nc, acc7_0);
  store4(mr + 7u, nc + 4u, acc7_1);
}
