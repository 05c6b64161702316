// recurrent_step_backward_common: what the per-step backward kernels (lstm|gru|rnn_step_backward) share, compiled after
// recurrent_common.wgsl and recurrent_step_common.wgsl and before the kernel, which declares GATES (rows of W_hh per
// hidden unit), the binding params (weight_hh [GATES·H][H] row-major at whhOff), fn next_grad(i) -> f32 (element i of
// the gradient its previous visit wrote for the hidden pre-activations, [T][B][GATES·H]: dgates, GRU's dgatesH) and its
// cell's backward fn cell_backward(t, b, j, rec), which the entry point main below calls once per (unit, row).
// The invocations of a workgroup are li = slice·UNITS + u, the unit varying fastest, so neighbouring invocations read
// neighbouring j of one W_hh row n.

const SUMS_PER_ROW = 1u; // the recurrent part of dh, per batch row

// The item an invocation finishes at this visit: (t, batch row b, hidden unit j, 1), with t = T-1-visit, or t = visit
// in reverse (the forward's order turned around); one invocation per (unit, row) of the workgroup's tile; w = 0 for one
// without (it only helps sum, or its unit is past H or its row past the batch).
fn backward_item(wg: vec3u, li: u32) -> vec4u {
  let t = select(d.T - 1u - visit, visit, d.reverse == 1u);
  let b = wg.y * ROWS + li / UNITS;
  let j = wg.x * UNITS + li % UNITS;
  return vec4u(t, b, j, select(0u, 1u, li < UNITS * ROWS && j < d.H && b < d.B));
}

// The recurrent part of dh_t at this visit for the workgroup's UNITS units × ROWS rows: each invocation sums every
// SLICES-th n for four rows at once, then sum_slices adds the slices. Returns backward_item's sum (0 without an item).
// Every invocation must call it (it holds the workgroup barriers).
fn backward_sum(wg: vec3u, li: u32) -> f32 {
  let H = d.H;
  let G = GATES * H;
  let item = backward_item(wg, li);
  let slice = li / UNITS;
  let b0 = wg.y * ROWS;
  // a unit past H sums unit H-1's terms, rows past the batch the last row's; neither has an item
  let j = min(wg.x * UNITS + li % UNITS, H - 1u);
  var rec = vec4f(0.0);
  if (visit > 0u) {
    // forward: the hidden pre-activations at t_next hold h_t W_hh^T (forward_sums)
    //   =>  dh_t += d(hidden pre-activations at t_next) W_hh
    let tNext = select(item.x + 1u, item.x - 1u, d.reverse == 1u);
    let n0 = (vec4u(tNext * d.B) + min(vec4u(b0) + vec4u(0u, 1u, 2u, 3u), vec4u(d.B - 1u))) * G;
    for (var n = slice; n < G; n += SLICES) {
      rec += vec4f(next_grad(n0.x + n), next_grad(n0.y + n), next_grad(n0.z + n), next_grad(n0.w + n)) * params[d.whhOff + n * H + j];
    }
  }
  for (var r = 0u; r < ROWS; r++) { part[r * WG + li] = rec[r]; }
  sum_slices(li, slice, UNITS, ROWS);
  // the item's sum, at its unit's slice 0
  if (item.w == 0u) { return 0.0; }
  return part[(li / UNITS) * WG + li % UNITS];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let rec = backward_sum(wg, li);
  let item = backward_item(wg, li);
  if (item.w == 1u) { cell_backward(item.x, item.y, item.z, rec); }
}
