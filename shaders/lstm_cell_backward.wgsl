// lstm_cell_backward: the cell's backward of one batch row and hidden unit at one step, shared by lstm_backward,
// lstm_backward_subgroup and lstm_step_backward (shader_sources.ts compiles it after recurrent_common.wgsl and in front
// of each; it reads and writes dh, gates, cs, dgates and dc, their bindings, laid out as lstm_backward.wgsl describes).
// The cell's backward for batch row b, hidden unit j at time t (visit s of T), given the recurrent part of dh_t (`rec`).
fn lstm_cell_backward(s: u32, t: u32, b: u32, j: u32, rec: f32) {
  let H = d.H;
  let row = t * d.B + b;
  let g0 = row * 4u * H;
  let dht = dh[row * H + j] + rec;
  dh[row * H + j] = dht;
  let i = gates[g0 + j];
  let f = gates[g0 + H + j];
  let g = gates[g0 + 2u * H + j];
  let o = gates[g0 + 3u * H + j];
  let c = cs[((t + 1u - d.reverse) * d.B + b) * H + j];
  let cPrev = cs[((t + d.reverse) * d.B + b) * H + j];
  let tc = tanh_stable(c);
  // forward: h_t = o * tanh(c_t)  =>  dc_t = dh_t * o * (1 - tanh²(c_t)) + dc carried from t_next
  var dcNext = 0.0;
  if (s > 0u) { dcNext = dc[b * H + j]; }
  let dct = dht * o * (1.0 - tc * tc) + dcNext;
  // forward: c_t = f * c_prev + i * g, with i, f, o = sigmoid(.), g = tanh(.)
  dgates[g0 + j] = dct * g * i * (1.0 - i);
  dgates[g0 + H + j] = dct * cPrev * f * (1.0 - f);
  dgates[g0 + 2u * H + j] = dct * i * (1.0 - g * g);
  dgates[g0 + 3u * H + j] = dht * tc * o * (1.0 - o);
  // forward: c_t = f * c_prev + ...  =>  dc_prev = dc_t * f
  dc[b * H + j] = dct * f;
}
