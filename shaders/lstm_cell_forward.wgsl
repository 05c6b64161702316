// lstm_cell_forward: the cell update of one batch row and hidden unit, shared by lstm_forward, lstm_forward_subgroup
// and lstm_step_forward (shader_sources.ts compiles it after recurrent_common.wgsl and in front of each; it reads xw and
// params and writes cs, hs and gates, their bindings, laid out as lstm_forward.wgsl describes).
// pre: the unit's four gate pre-activations (i, f, g, o) = x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh, summed in that order.
fn lstm_cell_forward(t: u32, b: u32, j: u32, prevRow: u32, curRow: u32, pre: vec4f) {
  let H = d.H;
  let g0 = (t * d.B + b) * 4u * H;
  let i = sigmoid(pre.x);
  let f = sigmoid(pre.y);
  let g = tanh_stable(pre.z);
  let o = sigmoid(pre.w);
  // c_t = f * c_prev + i * g ;  h_t = o * tanh(c_t)
  let c = f * cs[(prevRow + b) * H + j] + i * g;
  let cur = (curRow + b) * H + j;
  cs[cur] = c;
  hs[cur] = o * tanh_stable(c);
  gates[g0 + j] = i;
  gates[g0 + H + j] = f;
  gates[g0 + 2u * H + j] = g;
  gates[g0 + 3u * H + j] = o;
}

/** x_t W_ih^T of row b, unit j, gates i, f, g, o (xw, as lstm_forward.wgsl lays it out). */
fn lstm_input_part(t: u32, b: u32, j: u32) -> vec4f {
  let H = d.H;
  let g0 = (t * d.B + b) * 4u * H;
  return vec4f(xw[g0 + j], xw[g0 + H + j], xw[g0 + 2u * H + j], xw[g0 + 3u * H + j]);
}

/** b_ih + b_hh of unit j, gates i, f, g, o. */
fn lstm_gate_bias(j: u32) -> vec4f {
  let H = d.H;
  return vec4f(params[d.bihOff + j], params[d.bihOff + H + j], params[d.bihOff + 2u * H + j], params[d.bihOff + 3u * H + j])
    + vec4f(params[d.bhhOff + j], params[d.bhhOff + H + j], params[d.bhhOff + 2u * H + j], params[d.bhhOff + 3u * H + j]);
}
