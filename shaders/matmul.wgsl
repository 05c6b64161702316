// matmul: C = A·B (+ bias[n]) (+ C), on strided views so transposed operands cost nothing.
// a:    f32 storage, read. Element (m, k) at aOff + m*sam + k*sak.
// b:    f32 storage, read. Element (k, n) at bOff + k*sbk + n*sbn.
// bias: f32 storage, read. bias[n] at biasOff + n; read only when flags & 1.
// c:    f32 storage, read_write. Element (m, n) at cOff + m*ldc + n; added to when flags & 2.
// d:    uniform Dims. One workgroup computes a 64×64 tile of C; each invocation a 4×4 register tile.

struct Dims {
  M: u32, N: u32, K: u32, flags: u32,
  aOff: u32, sam: u32, sak: u32, bOff: u32,
  sbk: u32, sbn: u32, cOff: u32, ldc: u32,
  biasOff: u32, pad0: u32, pad1: u32, pad2: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> d: Dims;

const TILE: u32 = 64u;
const KT: u32 = 16u;

var<workgroup> tileA: array<f32, 1024>; // [KT][TILE]: tileA[kk*TILE + mm] = A(m0+mm, k0+kk)
var<workgroup> tileB: array<f32, 1024>; // [KT][TILE]: tileB[kk*TILE + nn] = B(k0+kk, n0+nn)

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let m0 = wg.y * TILE;
  let n0 = wg.x * TILE;
  var acc: array<vec4f, 4>;
  for (var k0 = 0u; k0 < d.K; k0 += KT) {
    for (var e = li; e < KT * TILE; e += 256u) {
      let kk = e / TILE;
      let xx = e % TILE;
      let k = k0 + kk;
      var av = 0.0;
      let m = m0 + xx;
      if (m < d.M && k < d.K) { av = a[d.aOff + m * d.sam + k * d.sak]; }
      tileA[e] = av;
      var bv = 0.0;
      let n = n0 + xx;
      if (n < d.N && k < d.K) { bv = b[d.bOff + k * d.sbk + n * d.sbn]; }
      tileB[e] = bv;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < KT; kk++) {
      let ar = kk * TILE + lid.y * 4u;
      let bc = kk * TILE + lid.x * 4u;
      let bv = vec4f(tileB[bc], tileB[bc + 1u], tileB[bc + 2u], tileB[bc + 3u]);
      acc[0] += tileA[ar] * bv;
      acc[1] += tileA[ar + 1u] * bv;
      acc[2] += tileA[ar + 2u] * bv;
      acc[3] += tileA[ar + 3u] * bv;
    }
    workgroupBarrier();
  }
  for (var r = 0u; r < 4u; r++) {
    let m = m0 + lid.y * 4u + r;
    if (m >= d.M) { break; }
    for (var q = 0u; q < 4u; q++) {
      let n = n0 + lid.x * 4u + q;
      if (n >= d.N) { break; }
      var v = acc[r][q];
      if ((d.flags & 1u) != 0u) { v += bias[d.biasOff + n]; }
      let ci = d.cOff + m * d.ldc + n;
      if ((d.flags & 2u) != 0u) { v += c[ci]; }
      c[ci] = v;
    }
  }
}
