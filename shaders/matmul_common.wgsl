// matmul_common: what both matmul kernels (matmul, matmul_direct) are compiled with; kernels.ts puts this file in front
// of each, since WGSL has no includes. Bindings and layouts as documented at the top of matmul.wgsl.
// Sizes: a workgroup computes a TILE×TILE tile of C. TILE is set by kernels.ts from src/engine/kernel_sizes.ts, which
// the planner sizes the dispatch grid (ceil(N / TILE), ceil(M / TILE)) with. Each invocation computes a BLOCK×BLOCK
// block of the tile in registers, written out for BLOCK = 8: a const, since WGSL sizes registers only by consts;
// kernel_sizes.ts keeps TILE a multiple of it.

override TILE: u32;
const BLOCK = 8u;
override SIDE: u32 = TILE / BLOCK; // invocations along each side of a workgroup

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

/** Writes C(m, n .. n+3), skipping what lies outside M×N, with the optional bias and accumulate. */
fn store4(m: u32, n: u32, v: vec4f) {
  if (m >= d.M) { return; }
  for (var q = 0u; q < 4u; q++) {
    let nn = n + q;
    if (nn >= d.N) { return; }
    var x = v[q];
    if ((d.flags & 1u) != 0u) { x += bias[d.biasOff + nn]; }
    let ci = d.cOff + m * d.ldc + nn;
    if ((d.flags & 2u) != 0u) { x += c[ci]; }
    c[ci] = x;
  }
}
