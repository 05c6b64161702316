// recurrent_step_common: what the per-step recurrent kernels (lstm|gru|rnn_step_forward, lstm|gru|rnn_step_backward)
// are compiled with, after recurrent_common.wgsl (struct Dims, WG, ROWS, sigmoid, tanh_stable); shader_sources.ts puts
// both in front of each of them, since WGSL has no includes.
// The per-step design: where one workgroup per tile of batch rows would leave most of a GPU idle (a small batch), the
// planner dispatches a kernel once per time step, T dispatches in a row inside one compute pass. Successive dispatches
// of a pass are ordered (each sees what the ones before wrote), so step s reads the h_prev (forward) or dgates_next
// (backward) that step s-1 wrote with no barrier across workgroups, and the hidden units of a step are spread over
// ceil(H / UNITS) × ceil(B / ROWS) workgroups.
// A workgroup: WG invocations = UNITS hidden units × SLICES slices of the reduction (the k of h_prev·W_hh^T forward,
// the n of dgates_next·W_hh backward), each slice summing every SLICES-th term for ROWS batch rows; sum_slices adds the
// slices up in workgroup memory. UNITS is a power of two dividing WG (kernel_sizes.ts checks), so SLICES is one too.
// visit: uniform u32 in group 1, bound with a dynamic offset: the visit number s = 0 … T-1 of this dispatch (the forward
//       visits t = s, or t = T-1-s in reverse; the backward the opposite order). The planner writes all T values once,
//       minUniformBufferOffsetAlignment bytes apart, in one buffer shared by every layer, direction and pass; each
//       dispatch picks its own by offset, so one bind group serves all T dispatches and nothing is written per step.

override UNITS: u32;               // hidden units per workgroup
override SLICES: u32 = WG / UNITS; // invocations per hidden unit, each summing every SLICES-th term

// The batch rows a vec4f accumulator holds: ROWS (recurrent_common.wgsl) may be up to this.
const ROWS_MAX = 4u;

@group(1) @binding(0) var<uniform> visit: u32;

// The partial sums of the workgroup: SUMS_PER_ROW (recurrent_step_forward_common.wgsl: a sum per gate; _backward_: 1)
// × ROWS per invocation; sum q of invocation li at part[q * WG + li].
var<workgroup> part: array<f32, WG * SUMS_PER_ROW * ROWS>;

// Adds part[q·WG + li] over the SLICES invocations of each unit, for every q < count, leaving each sum at the unit's
// slice 0. `stride`: the distance in li from one slice of a unit to the next (1 where the slice is li's fastest-varying
// part, UNITS where the unit is). Every invocation must call it: it holds the workgroup barriers.
fn sum_slices(li: u32, slice: u32, stride: u32, count: u32) {
  workgroupBarrier();
  for (var half = SLICES / 2u; half > 0u; half /= 2u) {
    if (slice < half) {
      for (var q = 0u; q < count; q++) {
        part[q * WG + li] += part[q * WG + li + half * stride];
      }
    }
    workgroupBarrier();
  }
}

