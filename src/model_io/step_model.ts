// A trained model run one token at a time on the CPU (float64), its hidden state carried: what sampling steps.
import type { TrainConfig } from '../engine/config';
import type { NamedTensor } from '../engine/tensor';

/** The recurrent state of every layer: h (and c for an LSTM), each [numLayers][hiddenSize]. */
export interface StepState {
  h: Float64Array[];
  c: Float64Array[] | null;
}

/** One step of a language model: token id in, next-token logits out, the state kept inside. */
export interface TokenStepper {
  readonly vocabSize: number;
  reset(): void;
  step(token: number): Float64Array;
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * The embedding → stacked LSTM/GRU/RNN → head of a unidirectional model with an embedding, with torch's equations and
 * gate order (LSTM i, f, g, o; GRU r, z, n with r applied to W_hn·h + b_hn). Weights are the engine's named tensors.
 */
export class StepModel implements TokenStepper {
  readonly vocabSize: number;
  private readonly c: TrainConfig;
  private readonly p: Map<string, Float64Array>;
  private state: StepState;
  private readonly gi: Float64Array;
  private readonly gh: Float64Array;

  constructor(config: TrainConfig, tensors: NamedTensor[]) {
    if (config.vocabSize <= 0) throw new Error('Sampling needs a model with a token embedding (vocabSize > 0).');
    if (config.bidirectional) throw new Error('A bidirectional model reads the future, so it cannot write text one token at a time; train a unidirectional one.');
    this.c = config;
    this.vocabSize = config.vocabSize;
    this.p = new Map(tensors.map((t) => [t.name, Float64Array.from(t.data)]));
    const G = (config.cell === 'lstm' ? 4 : config.cell === 'gru' ? 3 : 1) * config.hiddenSize;
    this.gi = new Float64Array(G);
    this.gh = new Float64Array(G);
    this.state = this.zeroState();
  }

  private zeroState(): StepState {
    const { numLayers: L, hiddenSize: H } = this.c;
    return {
      h: Array.from({ length: L }, () => new Float64Array(H)),
      c: this.c.cell === 'lstm' ? Array.from({ length: L }, () => new Float64Array(H)) : null,
    };
  }

  private param(name: string): Float64Array {
    const v = this.p.get(name);
    if (!v) throw new Error(`The model has no parameter ${name}.`);
    return v;
  }

  reset(): void {
    this.state = this.zeroState();
  }

  /** A copy of the recurrent state (to fork a sample or hand to another runtime). */
  getState(): StepState {
    return { h: this.state.h.map((a) => a.slice()), c: this.state.c?.map((a) => a.slice()) ?? null };
  }

  setState(s: StepState): void {
    this.state = { h: s.h.map((a) => a.slice()), c: s.c?.map((a) => a.slice()) ?? null };
  }

  step(token: number): Float64Array {
    const { inputSize: I, hiddenSize: H, numLayers: L, cell, outputSize: O } = this.c;
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize) throw new Error(`Token id ${token} is outside the vocabulary of ${this.vocabSize}.`);
    let input: Float64Array = this.param('embedding.weight').subarray(token * I, (token + 1) * I);
    const G = this.gi.length;
    for (let l = 0; l < L; l++) {
      const inSize = input.length;
      const wih = this.param(`weight_ih_l${l}`), whh = this.param(`weight_hh_l${l}`);
      const bih = this.param(`bias_ih_l${l}`), bhh = this.param(`bias_hh_l${l}`);
      const h = this.state.h[l];
      for (let n = 0; n < G; n++) {
        let si = bih[n], sh = bhh[n];
        const oi = n * inSize, oh = n * H;
        for (let k = 0; k < inSize; k++) si += wih[oi + k] * input[k];
        for (let k = 0; k < H; k++) sh += whh[oh + k] * h[k];
        this.gi[n] = si;
        this.gh[n] = sh;
      }
      const next = new Float64Array(H);
      const ai = this.gi, ah = this.gh;
      for (let j = 0; j < H; j++) {
        if (cell === 'lstm') {
          const c = this.state.c![l];
          const ig = sigmoid(ai[j] + ah[j]), fg = sigmoid(ai[H + j] + ah[H + j]);
          const gg = Math.tanh(ai[2 * H + j] + ah[2 * H + j]), og = sigmoid(ai[3 * H + j] + ah[3 * H + j]);
          c[j] = fg * c[j] + ig * gg;
          next[j] = og * Math.tanh(c[j]);
        } else if (cell === 'gru') {
          const r = sigmoid(ai[j] + ah[j]), z = sigmoid(ai[H + j] + ah[H + j]);
          const nn = Math.tanh(ai[2 * H + j] + r * ah[2 * H + j]);
          next[j] = (1 - z) * nn + z * h[j];
        } else {
          next[j] = Math.tanh(ai[j] + ah[j]);
        }
      }
      this.state.h[l] = next;
      input = next;
    }
    const hw = this.param('head.weight'), hb = this.param('head.bias');
    const logits = new Float64Array(O);
    for (let o = 0; o < O; o++) {
      let v = hb[o];
      for (let k = 0; k < H; k++) v += hw[o * H + k] * input[k];
      logits[o] = v;
    }
    return logits;
  }
}
