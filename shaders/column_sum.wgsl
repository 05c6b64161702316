// column_sum: out[n] = sum over rows m of input(m, n); the bias gradients (sum of gate gradients over all T×B rows).
// input: f32 storage, read. Element (m, n) at inOff + m*ld + n.
// out:   f32 storage, read_write. out[outOff + n]; when copies == 2 also written to out[outOff2 + n]
//        (bias_ih and bias_hh of an LSTM receive the same gradient).
// d:     uniform Dims; one invocation per column, dispatch ceil(N / WG).

struct Dims {
  M: u32, N: u32, inOff: u32, ld: u32,
  outOff: u32, outOff2: u32, copies: u32, pad0: u32,
}

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> d: Dims;

override WG: u32; // invocations per workgroup, set from src/engine/kernel_sizes.ts

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let n = gid.x;
  if (n >= d.N) { return; }
  var s = 0.0;
  for (var m = 0u; m < d.M; m++) {
    s += input[d.inOff + m * d.ld + n];
  }
  out[d.outOff + n] = s;
  if (d.copies == 2u) { out[d.outOff2 + n] = s; }
}
