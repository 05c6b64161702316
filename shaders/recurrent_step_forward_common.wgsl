// recurrent_step_forward_common: what the per-step forward kernels (lstm|gru|rnn_step_forward) share, compiled after
// recurrent_common.wgsl and recurrent_step_common.wgsl and before the kernel, which declares GATES (its gates: rows of
// W_hh per hidden unit, gate g's row of unit j at g·H + j), the bindings read here, hs ([T+1][B][H], h_t at row
// t+1-reverse, h_prev(t) at row t+reverse) and params (weight_hh [GATES·H][H] row-major at whhOff), and its cell update
// fn cell_forward(t, b, j, sums), which the entry point main below calls once per (unit, row) of the tile.
// The invocations of a workgroup are li = u·SLICES + slice, the slice varying fastest, so neighbouring invocations
// read neighbouring k of one W_hh row and of h_prev.

const SUMS_PER_ROW = GATES; // a sum per gate and batch row

// The item an invocation finishes at this visit: (t, batch row b, hidden unit j, 1), one invocation per (unit, row) of
// the workgroup's tile; w = 0 for one without (it only helps sum, or its unit is past H or its row past the batch).
fn forward_item(wg: vec3u, li: u32) -> vec4u {
  let t = select(visit, d.T - 1u - visit, d.reverse == 1u);
  let b = wg.y * ROWS + li % ROWS;
  let j = wg.x * UNITS + li / ROWS;
  return vec4u(t, b, j, select(0u, 1u, li < UNITS * ROWS && j < d.H && b < d.B));
}

// The recurrent part of the gate pre-activations at this visit, h_prev W_hh^T, for the workgroup's UNITS units × ROWS
// rows: each invocation sums every SLICES-th k of one unit's GATES rows of W_hh for four rows at once, then sum_slices
// adds the slices. Returns the sums of forward_item's (unit, row), one per gate in gate order (zeros without an item).
// Every invocation must call it (it holds the workgroup barriers).
fn forward_sums(wg: vec3u, li: u32) -> vec4f {
  let H = d.H;
  let item = forward_item(wg, li);
  let slice = li % SLICES;
  let b0 = wg.y * ROWS;
  // a unit past H sums unit H-1's terms, rows past the batch the last row's; neither has an item
  let j = min(wg.x * UNITS + li / SLICES, H - 1u);
  let hp = (vec4u((item.x + d.reverse) * d.B) + min(vec4u(b0) + vec4u(0u, 1u, 2u, 3u), vec4u(d.B - 1u))) * H;
  let w = d.whhOff + j * H;
  var acc: array<vec4f, GATES>;
  for (var k = slice; k < H; k += SLICES) {
    let h = vec4f(hs[hp.x + k], hs[hp.y + k], hs[hp.z + k], hs[hp.w + k]);
    for (var g = 0u; g < GATES; g++) { acc[g] += h * params[w + g * H * H + k]; }
  }
  for (var g = 0u; g < GATES; g++) {
    for (var r = 0u; r < ROWS; r++) { part[(g * ROWS + r) * WG + li] = acc[g][r]; }
  }
  sum_slices(li, slice, 1u, GATES * ROWS);
  // the item's sums, at its unit's slice 0
  var sums = vec4f(0.0);
  if (item.w == 1u) {
    for (var g = 0u; g < GATES; g++) { sums[g] = part[(g * ROWS + li % ROWS) * WG + (li / ROWS) * SLICES]; }
  }
  return sums;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(local_invocation_index) li: u32) {
  let sums = forward_sums(wg, li);
  let item = forward_item(wg, li);
  if (item.w == 1u) { cell_forward(item.x, item.y, item.z, sums); }
}
