// Float64 plain-loop reference of the LSTM model (stack + linear head + MSE + Adam): the test oracle.
// Layouts follow torch.nn.LSTM (batch_first=True): x[b][t][i], weights [4H][in] with gate rows i, f, g, o.

export type ParamMap = Map<string, Float64Array>;

export interface ReferenceSpec {
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  outputSize: number;
  /** Head on the last step only (forecast) or on every step (sequence to sequence). */
  headOn: 'last_step' | 'every_step';
}

export interface LayerCache {
  /** Layer input, time-major [T][B][in]. */
  input: Float64Array;
  /** h_{t-1} for t = 0..T: [T+1][B][H], row 0 is h_{-1} = 0. */
  h: Float64Array;
  /** c_{t-1} for t = 0..T: [T+1][B][H], row 0 is c_{-1} = 0. */
  c: Float64Array;
  /** Activated gates [T][B][4H], order i, f, g, o. */
  gates: Float64Array;
}

export interface ForwardResult {
  layers: LayerCache[];
  /** Top layer output, batch-first [B][T][H] as torch returns it. */
  outputs: Float64Array;
  /** Head output: [B][O] for last_step, [B][T][O] for every_step. */
  prediction: Float64Array;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

export function lstmForward(spec: ReferenceSpec, p: ParamMap, x: Float64Array, B: number, T: number): ForwardResult {
  const H = spec.hiddenSize;
  const layers: LayerCache[] = [];
  // time-major input for layer 0
  let input = new Float64Array(T * B * spec.inputSize);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let i = 0; i < spec.inputSize; i++) input[(t * B + b) * spec.inputSize + i] = x[(b * T + t) * spec.inputSize + i];
  let inSize = spec.inputSize;
  for (let l = 0; l < spec.numLayers; l++) {
    const wih = p.get(`weight_ih_l${l}`)!, whh = p.get(`weight_hh_l${l}`)!;
    const bih = p.get(`bias_ih_l${l}`)!, bhh = p.get(`bias_hh_l${l}`)!;
    const h = new Float64Array((T + 1) * B * H);
    const c = new Float64Array((T + 1) * B * H);
    const gates = new Float64Array(T * B * 4 * H);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const row = t * B + b;
        for (let n = 0; n < 4 * H; n++) {
          let s = bih[n] + bhh[n];
          for (let k = 0; k < inSize; k++) s += wih[n * inSize + k] * input[row * inSize + k];
          for (let k = 0; k < H; k++) s += whh[n * H + k] * h[row * H + k];
          gates[row * 4 * H + n] = n >= 2 * H && n < 3 * H ? Math.tanh(s) : sigmoid(s);
        }
        for (let j = 0; j < H; j++) {
          const g = row * 4 * H;
          const ig = gates[g + j], fg = gates[g + H + j], gg = gates[g + 2 * H + j], og = gates[g + 3 * H + j];
          const cNew = fg * c[row * H + j] + ig * gg;
          c[(row + B) * H + j] = cNew;
          h[(row + B) * H + j] = og * Math.tanh(cNew);
        }
      }
    }
    layers.push({ input, h, c, gates });
    input = h.slice(B * H);
    inSize = H;
  }
  const top = layers[layers.length - 1].h;
  const outputs = new Float64Array(B * T * H);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let j = 0; j < H; j++) outputs[(b * T + t) * H + j] = top[((t + 1) * B + b) * H + j];
  const hw = p.get('head.weight')!, hb = p.get('head.bias')!;
  const O = spec.outputSize;
  const steps = spec.headOn === 'last_step' ? [T - 1] : [...Array(T).keys()];
  const prediction = new Float64Array(B * steps.length * O);
  for (let b = 0; b < B; b++)
    steps.forEach((t, s) => {
      for (let o = 0; o < O; o++) {
        let v = hb[o];
        for (let j = 0; j < H; j++) v += hw[o * H + j] * outputs[(b * T + t) * H + j];
        prediction[(b * steps.length + s) * O + o] = v;
      }
    });
  return { layers, outputs, prediction };
}

/** Mean squared error over all elements, and d loss / d prediction. */
export function mseLoss(prediction: Float64Array, target: ArrayLike<number>): { loss: number; dPrediction: Float64Array } {
  const n = prediction.length;
  let sum = 0;
  const dPrediction = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = prediction[i] - target[i];
    sum += d * d;
    dPrediction[i] = (2 * d) / n;
  }
  return { loss: sum / n, dPrediction };
}

/** Backpropagation through time: gradients of every parameter and of the input x ([B][T][I]). */
export function lstmBackward(
  spec: ReferenceSpec,
  p: ParamMap,
  fwd: ForwardResult,
  dPrediction: Float64Array,
  B: number,
  T: number,
): { grads: ParamMap; dx: Float64Array } {
  const H = spec.hiddenSize, O = spec.outputSize;
  const grads: ParamMap = new Map();
  const hw = p.get('head.weight')!;
  const top = fwd.layers[spec.numLayers - 1].h;
  // head: prediction[b][s][o] = sum_j hw[o][j] * h_top[t_s][b][j] + hb[o]
  const dhw = new Float64Array(O * H), dhb = new Float64Array(O);
  let dOut = new Float64Array(T * B * H); // d loss / d h_t of the current layer, time-major
  const steps = spec.headOn === 'last_step' ? [T - 1] : [...Array(T).keys()];
  for (let b = 0; b < B; b++)
    steps.forEach((t, s) => {
      for (let o = 0; o < O; o++) {
        const d = dPrediction[(b * steps.length + s) * O + o];
        dhb[o] += d;
        for (let j = 0; j < H; j++) {
          dhw[o * H + j] += d * top[((t + 1) * B + b) * H + j];
          dOut[(t * B + b) * H + j] += d * hw[o * H + j];
        }
      }
    });
  grads.set('head.weight', dhw);
  grads.set('head.bias', dhb);
  let dInput = new Float64Array(0);
  for (let l = spec.numLayers - 1; l >= 0; l--) {
    const inSize = l === 0 ? spec.inputSize : H;
    const { input, h, c, gates } = fwd.layers[l];
    const wih = p.get(`weight_ih_l${l}`)!, whh = p.get(`weight_hh_l${l}`)!;
    const dwih = new Float64Array(4 * H * inSize), dwhh = new Float64Array(4 * H * H), db = new Float64Array(4 * H);
    dInput = new Float64Array(T * B * inSize);
    const dhNext = new Float64Array(B * H); // d loss / d h_{t} through the recurrence
    const dcNext = new Float64Array(B * H);
    const dG = new Float64Array(4 * H);
    for (let t = T - 1; t >= 0; t--) {
      const dhRec = new Float64Array(B * H);
      for (let b = 0; b < B; b++) {
        const row = t * B + b, g = row * 4 * H;
        for (let j = 0; j < H; j++) {
          const ig = gates[g + j], fg = gates[g + H + j], gg = gates[g + 2 * H + j], og = gates[g + 3 * H + j];
          const cNew = c[(row + B) * H + j], cPrev = c[row * H + j];
          const tc = Math.tanh(cNew);
          const dh = dOut[row * H + j] + dhNext[b * H + j];
          const dc = dh * og * (1 - tc * tc) + dcNext[b * H + j];
          dG[j] = dc * gg * ig * (1 - ig);
          dG[H + j] = dc * cPrev * fg * (1 - fg);
          dG[2 * H + j] = dc * ig * (1 - gg * gg);
          dG[3 * H + j] = dh * tc * og * (1 - og);
          dcNext[b * H + j] = dc * fg;
        }
        for (let n = 0; n < 4 * H; n++) {
          const d = dG[n];
          db[n] += d;
          for (let k = 0; k < inSize; k++) {
            dwih[n * inSize + k] += d * input[row * inSize + k];
            dInput[row * inSize + k] += d * wih[n * inSize + k];
          }
          for (let k = 0; k < H; k++) {
            dwhh[n * H + k] += d * h[row * H + k];
            dhRec[b * H + k] += d * whh[n * H + k];
          }
        }
      }
      dhNext.set(dhRec);
    }
    grads.set(`weight_ih_l${l}`, dwih);
    grads.set(`weight_hh_l${l}`, dwhh);
    grads.set(`bias_ih_l${l}`, db);
    grads.set(`bias_hh_l${l}`, db.slice());
    dOut = dInput;
  }
  const dx = new Float64Array(B * T * spec.inputSize);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let i = 0; i < spec.inputSize; i++) dx[(b * T + t) * spec.inputSize + i] = dInput[(t * B + b) * spec.inputSize + i];
  return { grads, dx };
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export interface AdamState {
  step: number;
  m: ParamMap;
  v: ParamMap;
}

/** One torch.optim.Adam step (weight_decay = 0), in place on `p`. */
export function adamStep(p: ParamMap, grads: ParamMap, state: AdamState, hp: AdamHyper): void {
  state.step += 1;
  const bc1 = 1 - Math.pow(hp.beta1, state.step);
  const bc2 = 1 - Math.pow(hp.beta2, state.step);
  for (const [name, w] of p) {
    const g = grads.get(name)!;
    if (!state.m.has(name)) {
      state.m.set(name, new Float64Array(w.length));
      state.v.set(name, new Float64Array(w.length));
    }
    const m = state.m.get(name)!, v = state.v.get(name)!;
    for (let i = 0; i < w.length; i++) {
      m[i] = hp.beta1 * m[i] + (1 - hp.beta1) * g[i];
      v[i] = hp.beta2 * v[i] + (1 - hp.beta2) * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + hp.eps;
      w[i] -= (hp.lr / bc1) * (m[i] / denom);
    }
  }
}
