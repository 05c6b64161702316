// Float64 plain-loop reference of every model the engine offers: the test oracle.
// (optional embedding) -> stacked LSTM / GRU / RNN(tanh), uni- or bidirectional -> linear head -> loss,
// with BPTT, gradient clipping and the Adam / AdamW / SGD updates (see reference_losses.ts and
// reference_optimizers.ts, re-exported here).
// Layouts follow torch (batch_first=True): x[b][t][i], weights [G*H][in] with torch's gate row order
// (LSTM i, f, g, o; GRU r, z, n; RNN one block). Internals are time-major [T][B][..].

export type ParamMap = Map<string, Float64Array>;
export type CellKind = 'lstm' | 'gru' | 'rnn';
export type LossKind = 'mse' | 'mae' | 'huber' | 'cross_entropy';

export interface ReferenceSpec {
  cell: CellKind;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Head width (number of classes for cross_entropy). */
  outputSize: number;
  /** Head on outputs[:, -1] (last_step) or on every step. */
  headOn: 'last_step' | 'every_step';
  /** Mean-reduced as torch does; huber uses delta = 1; cross_entropy means over rows (B or B*T). */
  loss: LossKind;
  /** When set, x holds token ids [B][T] and 'embedding.weight' [V][dim] feeds layer 0 (inputSize must equal dim). */
  embedding?: { vocabSize: number; dim: number };
}

/**
 * Multiplier applied to layer `layer`'s output (direction dir, time t, batch b, unit j) before the next
 * layer reads it, during training: 0 or 1/(1-p). Absent = no dropout. Never applied after the last layer.
 */
export type DropoutMask = (layer: number, dir: number, t: number, b: number, j: number) => number;

/** Additive perturbation of h_t (layer, dir, t, b, j), applied right after h_t is computed (test-only hook). */
export type HiddenDelta = (layer: number, dir: number, t: number, b: number, j: number) => number;

export interface DirectionCache {
  /** 0 = forward in time, 1 = reverse (runs t = T-1..0 from a zero state). */
  dir: number;
  /** This layer's input, time-major [T][B][inSize] (shared by both directions; after dropout). */
  input: Float64Array;
  inSize: number;
  /** h_t at time t, time-major [T][B][H]. */
  h: Float64Array;
  /** Time-indexed [T][B][GS*H]: LSTM i,f,g,o (GS=4); GRU r,z,n,hn with hn = h_prev W_hn^T + b_hn (GS=4); RNN h (GS=1). */
  gates: Float64Array;
  /** LSTM cell state c_t, time-major [T][B][H]. */
  c?: Float64Array;
}

export interface ForwardResult {
  /** [layer][dir]. */
  layers: DirectionCache[][];
  /** Top layer output [B][T][D*H] batch-first, torch order: forward direction then reverse. */
  outputs: Float64Array;
  /** Head output: [B][O] (last_step) or [B][T][O] (every_step). */
  prediction: Float64Array;
}

export { lossOf } from './reference_losses';
export { adamStep, clipGradNorm, newOptimizerState, type OptimizerState, sgdStep } from './reference_optimizers';

/** Weight row blocks per cell (G = GATE_BLOCKS * H rows in weight_ih / weight_hh). */
const GATE_BLOCKS: Record<CellKind, number> = { lstm: 4, gru: 3, rnn: 1 };
/** Cached gate slots per unit (GS). */
const GATE_SLOTS: Record<CellKind, number> = { lstm: 4, gru: 4, rnn: 1 };

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

const suffixOf = (layer: number, dir: number) => `_l${layer}${dir === 1 ? '_reverse' : ''}`;
const numDirs = (spec: ReferenceSpec) => (spec.bidirectional ? 2 : 1);
const headSteps = (spec: ReferenceSpec, T: number) => (spec.headOn === 'last_step' ? [T - 1] : [...Array(T).keys()]);
/** Time processed at position s of a direction's sweep. */
const timeAt = (dir: number, s: number, T: number) => (dir === 0 ? s : T - 1 - s);

function validate(spec: ReferenceSpec): void {
  if (!(spec.cell in GATE_BLOCKS)) throw new Error(`unknown cell ${spec.cell}`);
  if (spec.embedding && spec.embedding.dim !== spec.inputSize)
    throw new Error(`embedding dim ${spec.embedding.dim} must equal inputSize ${spec.inputSize}`);
}

function param(p: ParamMap, name: string, length: number): Float64Array {
  const w = p.get(name);
  if (!w) throw new Error(`missing parameter ${name}`);
  if (w.length !== length) throw new Error(`parameter ${name} has ${w.length} elements, expected ${length}`);
  return w;
}

/** Parameter names and shapes in torch's order. */
export function paramShapes(spec: ReferenceSpec): [string, number[]][] {
  validate(spec);
  const H = spec.hiddenSize, D = numDirs(spec), G = GATE_BLOCKS[spec.cell] * H;
  const out: [string, number[]][] = [];
  if (spec.embedding) out.push(['embedding.weight', [spec.embedding.vocabSize, spec.embedding.dim]]);
  for (let l = 0; l < spec.numLayers; l++) {
    const inSize = l === 0 ? spec.inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const s = suffixOf(l, d);
      out.push([`weight_ih${s}`, [G, inSize]], [`weight_hh${s}`, [G, H]], [`bias_ih${s}`, [G]], [`bias_hh${s}`, [G]]);
    }
  }
  out.push(['head.weight', [spec.outputSize, D * H]], ['head.bias', [spec.outputSize]]);
  return out;
}

/** Layer 0 input, time-major [T][B][I]: x transposed, or the embedding rows of the token ids. */
function layer0Input(spec: ReferenceSpec, p: ParamMap, x: ArrayLike<number>, B: number, T: number): Float64Array {
  const I = spec.inputSize;
  const input = new Float64Array(T * B * I);
  if (spec.embedding) {
    const V = spec.embedding.vocabSize;
    const emb = param(p, 'embedding.weight', V * I);
    if (x.length !== B * T) throw new Error(`token ids: ${x.length} values, expected ${B * T}`);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const id = x[b * T + t];
        if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`token id ${id} out of range [0, ${V})`);
        for (let i = 0; i < I; i++) input[(t * B + b) * I + i] = emb[id * I + i];
      }
  } else {
    if (x.length !== B * T * I) throw new Error(`x: ${x.length} values, expected ${B * T * I}`);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        for (let i = 0; i < I; i++) input[(t * B + b) * I + i] = x[(b * T + t) * I + i];
  }
  return input;
}

function runDirection(
  cell: CellKind, p: ParamMap, suffix: string, dir: number, input: Float64Array, inSize: number,
  B: number, T: number, H: number, delta?: (t: number, b: number, j: number) => number,
): DirectionCache {
  const G = GATE_BLOCKS[cell] * H, GS = GATE_SLOTS[cell] * H;
  const wih = param(p, `weight_ih${suffix}`, G * inSize), whh = param(p, `weight_hh${suffix}`, G * H);
  const bih = param(p, `bias_ih${suffix}`, G), bhh = param(p, `bias_hh${suffix}`, G);
  const h = new Float64Array(T * B * H);
  const gates = new Float64Array(T * B * GS);
  const c = cell === 'lstm' ? new Float64Array(T * B * H) : undefined;
  const ai = new Float64Array(G), ah = new Float64Array(G);
  const hPrev = new Float64Array(H), cPrev = new Float64Array(H);
  for (let s = 0; s < T; s++) {
    const t = timeAt(dir, s, T), tp = s === 0 ? -1 : timeAt(dir, s - 1, T);
    for (let b = 0; b < B; b++) {
      const row = t * B + b;
      for (let k = 0; k < H; k++) {
        hPrev[k] = tp < 0 ? 0 : h[(tp * B + b) * H + k];
        cPrev[k] = tp < 0 || !c ? 0 : c[(tp * B + b) * H + k];
      }
      for (let n = 0; n < G; n++) {
        let si = bih[n], sh = bhh[n];
        for (let k = 0; k < inSize; k++) si += wih[n * inSize + k] * input[row * inSize + k];
        for (let k = 0; k < H; k++) sh += whh[n * H + k] * hPrev[k];
        ai[n] = si;
        ah[n] = sh;
      }
      const g = row * GS, o = row * H;
      for (let j = 0; j < H; j++) {
        if (cell === 'lstm') {
          const ig = sigmoid(ai[j] + ah[j]), fg = sigmoid(ai[H + j] + ah[H + j]);
          const gg = Math.tanh(ai[2 * H + j] + ah[2 * H + j]), og = sigmoid(ai[3 * H + j] + ah[3 * H + j]);
          gates[g + j] = ig; gates[g + H + j] = fg; gates[g + 2 * H + j] = gg; gates[g + 3 * H + j] = og;
          const cNew = fg * cPrev[j] + ig * gg;
          c![o + j] = cNew;
          h[o + j] = og * Math.tanh(cNew);
        } else if (cell === 'gru') {
          const r = sigmoid(ai[j] + ah[j]), z = sigmoid(ai[H + j] + ah[H + j]);
          const hn = ah[2 * H + j];
          const nn = Math.tanh(ai[2 * H + j] + r * hn);
          gates[g + j] = r; gates[g + H + j] = z; gates[g + 2 * H + j] = nn; gates[g + 3 * H + j] = hn;
          h[o + j] = (1 - z) * nn + z * hPrev[j];
        } else {
          const v = Math.tanh(ai[j] + ah[j]);
          gates[g + j] = v;
          h[o + j] = v;
        }
        if (delta) h[o + j] += delta(t, b, j);
      }
    }
  }
  return { dir, input, inSize, h, gates, c };
}

function forwardImpl(
  spec: ReferenceSpec, p: ParamMap, x: ArrayLike<number>, B: number, T: number, mask?: DropoutMask, hDelta?: HiddenDelta,
): ForwardResult {
  validate(spec);
  const H = spec.hiddenSize, D = numDirs(spec), DH = D * H, L = spec.numLayers;
  const layers: DirectionCache[][] = [];
  let input = layer0Input(spec, p, x, B, T);
  let inSize = spec.inputSize;
  for (let l = 0; l < L; l++) {
    const dirs: DirectionCache[] = [];
    for (let d = 0; d < D; d++) {
      const delta = hDelta ? (t: number, b: number, j: number) => hDelta(l, d, t, b, j) : undefined;
      dirs.push(runDirection(spec.cell, p, suffixOf(l, d), d, input, inSize, B, T, H, delta));
    }
    layers.push(dirs);
    if (l < L - 1) {
      const next = new Float64Array(T * B * DH);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++)
          for (let d = 0; d < D; d++)
            for (let j = 0; j < H; j++) {
              const v = dirs[d].h[(t * B + b) * H + j];
              next[(t * B + b) * DH + d * H + j] = mask ? v * mask(l, d, t, b, j) : v;
            }
      input = next;
      inSize = DH;
    }
  }
  const top = layers[L - 1];
  const outputs = new Float64Array(B * T * DH);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let d = 0; d < D; d++)
        for (let j = 0; j < H; j++) outputs[(b * T + t) * DH + d * H + j] = top[d].h[(t * B + b) * H + j];
  const O = spec.outputSize;
  const hw = param(p, 'head.weight', O * DH), hb = param(p, 'head.bias', O);
  const steps = headSteps(spec, T), S = steps.length;
  const prediction = new Float64Array(B * S * O);
  for (let b = 0; b < B; b++)
    for (let s = 0; s < S; s++) {
      const src = (b * T + steps[s]) * DH;
      for (let o = 0; o < O; o++) {
        let v = hb[o];
        for (let k = 0; k < DH; k++) v += hw[o * DH + k] * outputs[src + k];
        prediction[(b * S + s) * O + o] = v;
      }
    }
  return { layers, outputs, prediction };
}

/** Forward pass. x is [B][T][I] (or token ids [B][T] with an embedding). */
export function forward(spec: ReferenceSpec, p: ParamMap, x: ArrayLike<number>, B: number, T: number, mask?: DropoutMask): ForwardResult {
  return forwardImpl(spec, p, x, B, T, mask);
}

/** Forward pass with h_t (layer, dir, t, b, j) shifted by hDelta after it is computed: lets tests measure d loss / d h_t. */
export function forwardPerturbed(
  spec: ReferenceSpec, p: ParamMap, x: ArrayLike<number>, B: number, T: number, mask: DropoutMask | undefined, hDelta: HiddenDelta,
): ForwardResult {
  return forwardImpl(spec, p, x, B, T, mask, hDelta);
}

interface DirectionGrads {
  wih: Float64Array; whh: Float64Array; bih: Float64Array; bhh: Float64Array;
  /** [B][T] norm of the total d loss / d h_t. */
  dhNorm: Float64Array;
}

/**
 * BPTT through one direction. dOut: d loss / d (this layer's output) [T][B][D*H] (pre-dropout, from above);
 * adds this direction's d loss / d input into dInput [T][B][inSize].
 */
function backDirection(
  cell: CellKind, p: ParamMap, suffix: string, cache: DirectionCache, dOut: Float64Array, D: number,
  dInput: Float64Array, B: number, T: number, H: number,
): DirectionGrads {
  const { dir, input, inSize, h, gates, c } = cache;
  const G = GATE_BLOCKS[cell] * H, GS = GATE_SLOTS[cell] * H, DH = D * H;
  const wih = param(p, `weight_ih${suffix}`, G * inSize), whh = param(p, `weight_hh${suffix}`, G * H);
  const dwih = new Float64Array(G * inSize), dwhh = new Float64Array(G * H);
  const dbih = new Float64Array(G), dbhh = new Float64Array(G);
  const dhNorm = new Float64Array(B * T);
  let dhNext = new Float64Array(B * H); // d loss / d h (of the step processed after this one) through the recurrence
  const dcNext = new Float64Array(B * H);
  const dAi = new Float64Array(G), dAh = new Float64Array(G), dh = new Float64Array(H), hPrev = new Float64Array(H);
  for (let s = T - 1; s >= 0; s--) {
    const t = timeAt(dir, s, T), tp = s === 0 ? -1 : timeAt(dir, s - 1, T);
    const dhRec = new Float64Array(B * H);
    for (let b = 0; b < B; b++) {
      const row = t * B + b, g = row * GS;
      let sq = 0;
      for (let j = 0; j < H; j++) {
        dh[j] = dOut[row * DH + dir * H + j] + dhNext[b * H + j];
        sq += dh[j] * dh[j];
        hPrev[j] = tp < 0 ? 0 : h[(tp * B + b) * H + j];
      }
      dhNorm[b * T + t] = Math.sqrt(sq);
      for (let j = 0; j < H; j++) {
        if (cell === 'lstm') {
          const ig = gates[g + j], fg = gates[g + H + j], gg = gates[g + 2 * H + j], og = gates[g + 3 * H + j];
          const cPrev = tp < 0 ? 0 : c![(tp * B + b) * H + j];
          const tc = Math.tanh(c![row * H + j]);
          const dc = dh[j] * og * (1 - tc * tc) + dcNext[b * H + j];
          dAi[j] = dc * gg * ig * (1 - ig);
          dAi[H + j] = dc * cPrev * fg * (1 - fg);
          dAi[2 * H + j] = dc * ig * (1 - gg * gg);
          dAi[3 * H + j] = dh[j] * tc * og * (1 - og);
          for (let q = 0; q < 4; q++) dAh[q * H + j] = dAi[q * H + j];
          dcNext[b * H + j] = dc * fg;
        } else if (cell === 'gru') {
          const r = gates[g + j], z = gates[g + H + j], nn = gates[g + 2 * H + j], hn = gates[g + 3 * H + j];
          const dan = dh[j] * (1 - z) * (1 - nn * nn); // d / d (n pre-activation)
          const daz = dh[j] * (hPrev[j] - nn) * z * (1 - z);
          const dar = dan * hn * r * (1 - r);
          dAi[j] = dar; dAi[H + j] = daz; dAi[2 * H + j] = dan;
          dAh[j] = dar; dAh[H + j] = daz; dAh[2 * H + j] = dan * r;
          dhRec[b * H + j] += dh[j] * z; // direct path h' = ... + z * h
        } else {
          const v = gates[g + j];
          dAi[j] = dh[j] * (1 - v * v);
          dAh[j] = dAi[j];
        }
      }
      for (let n = 0; n < G; n++) {
        const di = dAi[n], dhh = dAh[n];
        dbih[n] += di;
        dbhh[n] += dhh;
        for (let k = 0; k < inSize; k++) {
          dwih[n * inSize + k] += di * input[row * inSize + k];
          dInput[row * inSize + k] += di * wih[n * inSize + k];
        }
        for (let k = 0; k < H; k++) {
          dwhh[n * H + k] += dhh * hPrev[k];
          dhRec[b * H + k] += dhh * whh[n * H + k];
        }
      }
    }
    dhNext = dhRec;
  }
  return { wih: dwih, whh: dwhh, bih: dbih, bhh: dbhh, dhNorm };
}

/** Backpropagation through time: every parameter's gradient, d loss / d x and the per-step norms of d loss / d h_t. */
export function backward(
  spec: ReferenceSpec, p: ParamMap, fwd: ForwardResult, dPrediction: Float64Array, x: ArrayLike<number>,
  B: number, T: number, mask?: DropoutMask,
): { grads: ParamMap; dx: Float64Array; dhNorm: Float64Array[][] } {
  validate(spec);
  const H = spec.hiddenSize, D = numDirs(spec), DH = D * H, L = spec.numLayers, O = spec.outputSize;
  const steps = headSteps(spec, T), S = steps.length;
  if (dPrediction.length !== B * S * O) throw new Error(`dPrediction: ${dPrediction.length} values, expected ${B * S * O}`);
  const found = new Map<string, Float64Array>();
  // head: prediction[b][s][o] = sum_k hw[o][k] * outputs[b][t_s][k] + hb[o]
  const hw = param(p, 'head.weight', O * DH);
  const dhw = new Float64Array(O * DH), dhb = new Float64Array(O);
  let dOut = new Float64Array(T * B * DH); // d loss / d (current layer output), time-major, pre-dropout
  for (let b = 0; b < B; b++)
    for (let s = 0; s < S; s++) {
      const t = steps[s];
      for (let o = 0; o < O; o++) {
        const d = dPrediction[(b * S + s) * O + o];
        dhb[o] += d;
        for (let k = 0; k < DH; k++) {
          dhw[o * DH + k] += d * fwd.outputs[(b * T + t) * DH + k];
          dOut[(t * B + b) * DH + k] += d * hw[o * DH + k];
        }
      }
    }
  found.set('head.weight', dhw);
  found.set('head.bias', dhb);
  const dhNorm: Float64Array[][] = [];
  let dInput = new Float64Array(0);
  for (let l = L - 1; l >= 0; l--) {
    const inSize = fwd.layers[l][0].inSize;
    dInput = new Float64Array(T * B * inSize);
    const norms: Float64Array[] = [];
    for (let d = 0; d < D; d++) {
      const suffix = suffixOf(l, d);
      const g = backDirection(spec.cell, p, suffix, fwd.layers[l][d], dOut, D, dInput, B, T, H);
      found.set(`weight_ih${suffix}`, g.wih);
      found.set(`weight_hh${suffix}`, g.whh);
      found.set(`bias_ih${suffix}`, g.bih);
      found.set(`bias_hh${suffix}`, g.bhh);
      norms.push(g.dhNorm);
    }
    dhNorm[l] = norms;
    if (l > 0) {
      // layer l read mask(l-1, ...) * h of layer l-1
      if (mask)
        for (let t = 0; t < T; t++)
          for (let b = 0; b < B; b++)
            for (let d = 0; d < D; d++)
              for (let j = 0; j < H; j++) dInput[(t * B + b) * DH + d * H + j] *= mask(l - 1, d, t, b, j);
      dOut = dInput;
    }
  }
  const I = spec.inputSize;
  let dx = new Float64Array(0);
  if (spec.embedding) {
    const demb = new Float64Array(spec.embedding.vocabSize * I);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++) {
        const id = x[b * T + t];
        for (let i = 0; i < I; i++) demb[id * I + i] += dInput[(t * B + b) * I + i];
      }
    found.set('embedding.weight', demb);
  } else {
    dx = new Float64Array(B * T * I);
    for (let b = 0; b < B; b++)
      for (let t = 0; t < T; t++)
        for (let i = 0; i < I; i++) dx[(b * T + t) * I + i] = dInput[(t * B + b) * I + i];
  }
  const grads: ParamMap = new Map();
  for (const [name] of paramShapes(spec)) grads.set(name, found.get(name)!);
  return { grads, dx, dhNorm };
}
