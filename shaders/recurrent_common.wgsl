// recurrent_common: what every recurrent kernel (lstm|gru|rnn_forward, lstm|gru|rnn_backward) is compiled with;
// kernels.ts puts this file in front of each of them, since WGSL has no includes.
// Dims: the uniform of one layer direction, packed by network_plan.ts. T steps, B batch rows, H hidden units;
//       rowsPerGroup batch rows per workgroup (a multiple of the kernel's ROWS); whhOff, bihOff, bhhOff: offsets of
//       weight_hh, bias_ih, bias_hh in the flat parameter buffer; reverse = 1 for the backward direction; foldI > 0
//       where lstm_forward_subgroup forms x_t W_ih^T itself from the foldI-wide input (W_ih at wihOff) instead of
//       reading xw (the planner then skips the input projection); 0 for every other kernel.
// WG, ROWS: the kernel's sizes, set by kernels.ts from its entry of src/engine/kernel_sizes.ts (which the planner
//       sizes rowsPerGroup and the dispatch with). ROWS may not exceed the kernel's ROWS_MAX, the rows its vec4
//       accumulators hold: a const, since WGSL sizes registers only by consts; kernel_sizes.ts refuses a larger ROWS.

override WG: u32;   // invocations per workgroup
override ROWS: u32; // batch rows per invocation

struct Dims {
  T: u32, B: u32, H: u32, rowsPerGroup: u32,
  whhOff: u32, bihOff: u32, bhhOff: u32, reverse: u32,
  foldI: u32, wihOff: u32,
}

fn sigmoid(x: f32) -> f32 {
  // exp of a large positive argument overflows to +inf and gives 0: the right limit.
  return 1.0 / (1.0 + exp(-x));
}

fn tanh_stable(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.125) {
    // odd Taylor series: (1 - e)/(1 + e) below would lose digits to cancellation near 0
    let x2 = x * x;
    return x * (1.0 + x2 * (-1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (-17.0 / 315.0))));
  }
  // exp of a large negative argument underflows to 0 and gives ±1: the right limit.
  let e = exp(-2.0 * a);
  return sign(x) * (1.0 - e) / (1.0 + e);
}
