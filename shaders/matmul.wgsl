// matmul: C = A·B (+ bias[n]) (+ C), on strided views so transposed operands cost nothing; 8×8 register tile per invocation.
// a:    f32 storage, read. Element (m, k) at aOff + m*sam + k*sak.
// b:    f32 storage, read. Element (k, n) at bOff + k*sbk + n*sbn.
// bias: f32 storage, read. bias[n] at biasOff + n; read only when flags & 1.
// c:    f32 storage, read_write. Element (m, n) at cOff + m*ldc + n; added to when flags & 2.
// d:    uniform Dims. One workgroup of SIDE×SIDE invocations computes a TILE×TILE tile of C; each invocation a
//       BLOCK×BLOCK (8×8) block, reading its operands as vec4 from workgroup memory: 4 vec4 loads per 64
//       multiply-adds. TILE, SIDE, BLOCK: matmul_common.wgsl.
// Compiled after matmul_common.wgsl (struct Dims, the bindings above, store4): kernels.ts puts it in front.

const KT: u32 = 16u; // k values staged per pass
override V: u32 = TILE / 4u; // vec4s per tile row
override INVOCATIONS: u32 = SIDE * SIDE;

var<workgroup> tileA: array<vec4f, KT * V>; // [KT][V]: tileA[kk*V + i] = A(m0+4i .. m0+4i+3, k0+kk)
var<workgroup> tileB: array<vec4f, KT * V>; // [KT][V]: tileB[kk*V + j] = B(k0+kk, n0+4j .. n0+4j+3)

fn loadA(m: u32, k: u32) -> f32 {
  if (m < d.M && k < d.K) { return a[d.aOff + m * d.sam + k * d.sak]; }
  return 0.0;
}

fn loadB(k: u32, n: u32) -> f32 {
  if (n < d.N && k < d.K) { return b[d.bOff + k * d.sbk + n * d.sbn]; }
  return 0.0;
}

@compute @workgroup_size(SIDE, SIDE)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let m0 = wg.y * TILE;
  let n0 = wg.x * TILE;
  // acc[2r + h] = C(m0 + BLOCK*lid.y + r, n0 + BLOCK*lid.x + 4h .. +3)
  var acc: array<vec4f, BLOCK * BLOCK / 4u>;
  for (var k0 = 0u; k0 < d.K; k0 += KT) {
    for (var e = li; e < KT * V; e += INVOCATIONS) {
      let kk = e / V;
      let x = (e % V) * 4u;
      let k = k0 + kk;
      tileA[e] = vec4f(loadA(m0 + x, k), loadA(m0 + x + 1u, k), loadA(m0 + x + 2u, k), loadA(m0 + x + 3u, k));
      tileB[e] = vec4f(loadB(k, n0 + x), loadB(k, n0 + x + 1u), loadB(k, n0 + x + 2u), loadB(k, n0 + x + 3u));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      let a0 = tileA[kk * V + lid.y * (BLOCK / 4u)];
      let a1 = tileA[kk * V + lid.y * (BLOCK / 4u) + 1u];
      let b0 = tileB[kk * V + lid.x * (BLOCK / 4u)];
      let b1 = tileB[kk * V + lid.x * (BLOCK / 4u) + 1u];
      acc[0] += a0.x * b0;
      acc[1] += a0.x * b1;
      acc[2] += a0.y * b0;
      acc[3] += a0.y * b1;
      acc[4] += a0.z * b0;
      acc[5] += a0.z * b1;
      acc[6] += a0.w * b0;
      acc[7] += a0.w * b1;
      acc[8] += a1.x * b0;
      acc[9] += a1.x * b1;
      acc[10] += a1.y * b0;
      acc[11] += a1.y * b1;
      acc[12] += a1.z * b0;
      acc[13] += a1.z * b1;
      acc[14] += a1.w * b0;
      acc[15] += a1.w * b1;
    }
    workgroupBarrier();
  }
  let mr = m0 + lid.y * BLOCK;
  let nc = n0 + lid.x * BLOCK;
  for (var r = 0u; r < BLOCK; r++) {
    store4(mr + r, nc, acc[r * 2u]);
    store4(mr + r, nc + 4u, acc[r * 2u + 1u]);
  }
}
