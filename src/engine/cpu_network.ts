// The fast CPU engine's network (embedding, stacked recurrent layers, head): forward and backward over one batch.
import type { TrainConfig } from './config';
import { backwardStep, forwardStep, GATE_SLOTS, GATES, type CellArrays } from './cpu_cells';
import { columnSums, matmulNT, matmulTN, transpose } from './cpu_matmul';
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from './dropout_mask';
import { directionSuffix, type ParamLayout } from './param_layout';

interface Direction {
  a: CellArrays;
  /** weight_ih [G][in] and bias_ih (views of the flat parameters), weight_ih transposed [in][G]. */
  wih: Float32Array;
  bih: Float32Array;
  wihT: Float32Array;
  /** Views of the flat gradients. */
  gWih: Float32Array;
  gWhh: Float32Array;
  gBih: Float32Array;
  gBhh: Float32Array;
}

interface Layer {
  inSize: number;
  dirs: Direction[];
  /** Output of both directions, padded [T+2][Bp][D·H] (blocks 0 and T+1 zero; h_t in block t + 1). */
  y: Float32Array;
  /** Below the top layer with dropout: the multipliers [T][Bp][D·H] of the step being trained, and y·mask. */
  mask: Float32Array | null;
  dropped: Float32Array | null;
}

/** Rows per time step for a batch: rounded up to a multiple of 4 (the register blocks' height). */
export const paddedRows = (batch: number) => Math.ceil(batch / 4) * 4;

/**
 * embedding? → stacked LSTM/GRU/RNN layers (bidirectional, dropout between layers with the GPU's hashed masks) →
 * linear head, in float32 arrays sized once for the largest batch and reused by every step. Per layer direction: the
 * input projection of all T steps as one blocked product, the recurrence step by step (cpu_cells.ts), then in the
 * backward pass the weight gradients as products over all T×B rows and d input as one product.
 */
export class CpuNetwork {
  readonly params: Float32Array;
  /** Gradients of the last backward pass, in the flat parameter layout. */
  readonly grads: Float32Array;
  /** Head output of the last forward pass, time-major [S][Bp][O] (S = T on every step, else 1). */
  readonly pred: Float32Array;
  /** d loss / d pred for the backward pass (the loss writes it), same layout. */
  readonly dPred: Float32Array;
  /** Rows per step of the last forward pass, and its batch. */
  Bp = 0;
  batch = 0;
  private readonly c: TrainConfig;
  private readonly T: number;
  private readonly H: number;
  private readonly D: number;
  private readonly S: number;
  private readonly layers: Layer[] = [];
  private readonly cap: number;
  private readonly acc = new Float64Array(16);
  private readonly sums: Float64Array;
  /** Layer 0's input [T][Bp][I] (x time-major, or the embedding rows of the token ids) and its gradient. */
  private readonly x0: Float32Array;
  private readonly dx0: Float32Array;
  /** Token ids time-major [T][Bp] (embedding only). */
  private readonly ids: Int32Array;
  /** d loss / d (a layer's output) [T][Bp][D·H], two taking turns down the stack. */
  private readonly dY: [Float32Array, Float32Array];
  private readonly headW: Float32Array;
  private readonly headB: Float32Array;
  private readonly headWT: Float32Array;
  private readonly gHeadW: Float32Array;
  private readonly gHeadB: Float32Array;
  private readonly emb: Float32Array | null;
  private readonly gEmb: Float32Array | null;

  constructor(config: TrainConfig, layout: ParamLayout, params: Float32Array) {
    const c = (this.c = config);
    const T = (this.T = c.window), H = (this.H = c.hiddenSize), D = (this.D = c.bidirectional ? 2 : 1), DH = D * H;
    const I = c.inputSize, O = c.outputSize, G = GATES[c.cell] * H, GS = GATE_SLOTS[c.cell] * H;
    this.S = c.headOn === 'every_step' ? T : 1;
    const cap = (this.cap = paddedRows(c.batchSize));
    this.params = params;
    this.grads = new Float32Array(layout.total);
    const view = (a: Float32Array, name: string) => {
      const s = layout.byName.get(name)!;
      return a.subarray(s.offset, s.offset + s.size);
    };
    this.sums = new Float64Array(Math.max(G, O));
    this.x0 = new Float32Array(T * cap * I);
    this.dx0 = new Float32Array(c.vocabSize > 0 ? T * cap * I : 0);
    this.ids = new Int32Array(c.vocabSize > 0 ? T * cap : 0);
    this.dY = [new Float32Array(T * cap * DH), new Float32Array(c.numLayers > 1 ? T * cap * DH : 0)];
    const dropout = c.dropout > 0 && c.numLayers > 1;
    for (let l = 0; l < c.numLayers; l++) {
      const inSize = l === 0 ? I : DH;
      const y = new Float32Array((T + 2) * cap * DH);
      const below = dropout && l < c.numLayers - 1;
      const dirs: Direction[] = [];
      for (let d = 0; d < D; d++) {
        const s = `_l${l}${directionSuffix(d)}`;
        const ai = new Float32Array(T * cap * G);
        const a: CellArrays = {
          cell: c.cell, T, H, Bp: cap, dir: d,
          whh: view(params, `weight_hh${s}`), bhh: view(params, `bias_hh${s}`), whhT: new Float32Array(H * G),
          ai, dah: c.cell === 'gru' ? new Float32Array(T * cap * G) : ai,
          gates: new Float32Array(T * cap * GS),
          c: new Float32Array(c.cell === 'lstm' ? (T + 2) * cap * H : 0),
          tc: new Float32Array(c.cell === 'lstm' ? T * cap * H : 0),
          y, ldy: DH, col: d * H, dy: this.dY[0],
          carry: new Float32Array(cap * H), dhSq: new Float64Array(T * cap), acc: this.acc,
        };
        dirs.push({
          a, wih: view(params, `weight_ih${s}`), bih: view(params, `bias_ih${s}`), wihT: new Float32Array(inSize * G),
          gWih: view(this.grads, `weight_ih${s}`), gWhh: view(this.grads, `weight_hh${s}`),
          gBih: view(this.grads, `bias_ih${s}`), gBhh: view(this.grads, `bias_hh${s}`),
        });
      }
      this.layers.push({
        inSize, dirs, y,
        mask: below ? new Float32Array(T * cap * DH) : null,
        dropped: below ? new Float32Array(T * cap * DH) : null,
      });
    }
    this.headW = view(params, 'head.weight');
    this.headB = view(params, 'head.bias');
    this.headWT = new Float32Array(DH * O);
    this.gHeadW = view(this.grads, 'head.weight');
    this.gHeadB = view(this.grads, 'head.bias');
    this.emb = c.vocabSize > 0 ? view(params, 'embedding.weight') : null;
    this.gEmb = c.vocabSize > 0 ? view(this.grads, 'embedding.weight') : null;
    this.pred = new Float32Array(this.S * cap * O);
    this.dPred = new Float32Array(this.S * cap * O);
    this.weightsChanged();
  }

  /** Refreshes the transposed weight copies the backward products read; call after every change of params. */
  weightsChanged(): void {
    const H = this.H, G = GATES[this.c.cell] * H;
    for (const L of this.layers)
      for (const d of L.dirs) {
        transpose(G, H, d.a.whh, 0, d.a.whhT, 0);
        transpose(G, L.inSize, d.wih, 0, d.wihT, 0);
      }
    transpose(this.c.outputSize, this.D * H, this.headW, 0, this.headWT, 0);
  }

  /** A layer's input: [T][Bp][inSize] rows (row stride inSize) of this array from inputOffset(l). */
  private inputOf(l: number, train: boolean): Float32Array {
    if (l === 0) return this.x0;
    const below = this.layers[l - 1];
    return train && below.dropped ? below.dropped : below.y;
  }

  private inputOffset(l: number, train: boolean): number {
    return l === 0 || (train && this.layers[l - 1].dropped) ? 0 : this.Bp * this.D * this.H;
  }

  /**
   * Forward pass over x (batch-first [batch][T][I], or token ids [batch][T], already checked) into pred.
   * dropoutStep: the training step whose dropout masks to apply, or 0 for none.
   */
  forward(x: Float32Array, batch: number, dropoutStep: number): void {
    const c = this.c, T = this.T, H = this.H, D = this.D, DH = D * H, I = c.inputSize, G = GATES[c.cell] * H;
    const Bp = paddedRows(batch);
    this.Bp = Bp;
    this.batch = batch;
    // Layer 0's input, time-major; the padding rows stay zero.
    const x0 = this.x0;
    x0.fill(0, 0, T * Bp * I);
    if (this.emb) {
      const emb = this.emb;
      for (let b = 0; b < batch; b++)
        for (let t = 0; t < T; t++) {
          const id = x[b * T + t], row = (t * Bp + b) * I;
          this.ids[t * Bp + b] = id;
          for (let i = 0; i < I; i++) x0[row + i] = emb[id * I + i];
        }
    } else {
      for (let b = 0; b < batch; b++)
        for (let t = 0; t < T; t++) {
          const src = (b * T + t) * I, row = (t * Bp + b) * I;
          for (let i = 0; i < I; i++) x0[row + i] = x[src + i];
        }
    }
    const train = dropoutStep > 0;
    for (let l = 0; l < this.layers.length; l++) {
      const L = this.layers[l];
      const input = this.inputOf(l, train), inOff = this.inputOffset(l, train);
      L.y.fill(0, 0, Bp * DH);
      L.y.fill(0, (T + 1) * Bp * DH, (T + 2) * Bp * DH);
      for (const d of L.dirs) {
        const a = d.a;
        a.Bp = Bp;
        if (c.cell === 'lstm') {
          a.c.fill(0, 0, Bp * H);
          a.c.fill(0, (T + 1) * Bp * H, (T + 2) * Bp * H);
        }
        // a_i = x·W_ihᵀ + b_ih for all T steps at once
        matmulNT(this.acc, T * Bp, G, L.inSize, input, inOff, L.inSize, d.wih, 0, L.inSize, a.ai, 0, G, false, d.bih);
        for (let s = 0; s < T; s++) forwardStep(a, a.dir === 0 ? s : T - 1 - s);
      }
      if (train && L.mask && L.dropped) this.dropout(l, dropoutStep);
    }
    // head: pred = out·W_headᵀ + b_head on the last step or on every step
    const top = this.layers[this.layers.length - 1], first = this.S === 1 ? T : 1;
    matmulNT(this.acc, this.S * Bp, c.outputSize, DH, top.y, first * Bp * DH, DH, this.headW, 0, DH, this.pred, 0, c.outputSize, false, this.headB);
  }

  /** Layer l's output times the training step's masks (the GPU's: element (t·batch + b)·H + j of direction d). */
  private dropout(l: number, step: number): void {
    const c = this.c, T = this.T, H = this.H, D = this.D, DH = D * H, Bp = this.Bp, batch = this.batch;
    const L = this.layers[l], mask = L.mask!, out = L.dropped!, y = L.y;
    const seed = dropoutStepSeed(c.seed, step);
    mask.fill(0, 0, T * Bp * DH);
    for (let d = 0; d < D; d++) {
      const salt = dropoutSalt(l, d);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < batch; b++)
          for (let j = 0; j < H; j++) mask[(t * Bp + b) * DH + d * H + j] = dropoutKeep(seed, salt, (t * batch + b) * H + j, c.dropout);
    }
    const y0 = Bp * DH;
    for (let i = 0; i < T * Bp * DH; i++) out[i] = y[y0 + i] * mask[i];
  }

  /**
   * Backward pass from dPred (the loss filled it) after forward(): d loss / d every parameter into grads when
   * weightGrads, down to layer downTo (the probe stops at the layer it shows). dropout: forward ran with masks.
   */
  backward(dropout: boolean, weightGrads: boolean, downTo = 0): void {
    const c = this.c, T = this.T, H = this.H, DH = this.D * H, O = c.outputSize, G = GATES[c.cell] * H, Bp = this.Bp;
    const R = T * Bp, S = this.S, top = this.layers[this.layers.length - 1], first = S === 1 ? T : 1;
    // head: d out = d pred · W_head (only the steps with a head); d W_head = Σ_rows d predᵀ ⊗ out
    let dOut = this.dY[0];
    if (S === 1) dOut.fill(0, 0, (T - 1) * Bp * DH);
    matmulNT(this.acc, S * Bp, DH, O, this.dPred, 0, O, this.headWT, 0, O, dOut, (first - 1) * Bp * DH, DH, false);
    if (weightGrads) {
      matmulTN(S * Bp, O, DH, this.dPred, 0, O, top.y, first * Bp * DH, DH, this.gHeadW, 0, DH);
      columnSums(S * Bp, O, this.dPred, 0, O, this.gHeadB, 0, this.sums);
    }
    for (let l = this.layers.length - 1; l >= downTo; l--) {
      const L = this.layers[l], inSize = L.inSize;
      const input = this.inputOf(l, dropout), inOff = this.inputOffset(l, dropout);
      const needInputGrad = l > downTo || (l === 0 && this.emb !== null && weightGrads);
      const dIn = l > 0 ? this.dY[dOut === this.dY[0] ? 1 : 0] : this.dx0;
      for (const d of L.dirs) {
        const a = d.a;
        a.dy = dOut;
        a.carry.fill(0, 0, Bp * H);
        a.dhSq.fill(0, 0, R);
        for (let s = T - 1; s >= 0; s--) backwardStep(a, a.dir === 0 ? s : T - 1 - s, s === T - 1);
        if (weightGrads) {
          // d W_hh = Σ_rows d a_hᵀ ⊗ h_prev; d W_ih = Σ_rows d a_iᵀ ⊗ input; biases: column sums
          const hPrev = (a.dir === 0 ? 0 : 2) * Bp * DH + a.col;
          matmulTN(R, G, H, a.dah, 0, G, L.y, hPrev, DH, d.gWhh, 0, H);
          columnSums(R, G, a.dah, 0, G, d.gBhh, 0, this.sums);
          matmulTN(R, G, inSize, a.ai, 0, G, input, inOff, inSize, d.gWih, 0, inSize);
          if (a.dah === a.ai) d.gBih.set(d.gBhh); // LSTM and RNN: d a_i = d a_h
          else columnSums(R, G, a.ai, 0, G, d.gBih, 0, this.sums);
        }
        // d input (+)= d a_i · W_ih, summed over both directions
        if (needInputGrad) matmulNT(this.acc, R, inSize, G, a.ai, 0, G, d.wihT, 0, G, dIn, 0, inSize, a.dir > 0);
      }
      if (!needInputGrad) break;
      if (l > 0) {
        // layer l read mask · h of layer l − 1
        const mask = this.layers[l - 1].mask;
        if (dropout && mask) for (let i = 0; i < R * DH; i++) dIn[i] *= mask[i];
        dOut = dIn;
      }
    }
    if (this.gEmb && weightGrads && downTo === 0) {
      const gEmb = this.gEmb, I = c.inputSize, dx0 = this.dx0;
      gEmb.fill(0);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < this.batch; b++) {
          const id = this.ids[t * Bp + b], row = (t * Bp + b) * I;
          for (let i = 0; i < I; i++) gEmb[id * I + i] += dx0[row + i];
        }
    }
  }

  /** One sequence's view of layer l direction d after forward() and backward() on a batch of one. */
  probeValues(l: number, dir: number): { gates: Float32Array; c: Float32Array | null; h: Float32Array; dhNorm: Float32Array; GS: number } {
    const T = this.T, H = this.H, DH = this.D * H, Bp = this.Bp, GS = GATE_SLOTS[this.c.cell];
    const a = this.layers[l].dirs[dir].a;
    const gates = new Float32Array(T * GS * H), h = new Float32Array(T * H), dhNorm = new Float32Array(T);
    const c = this.c.cell === 'lstm' ? new Float32Array(T * H) : null;
    for (let t = 0; t < T; t++) {
      gates.set(a.gates.subarray(t * Bp * GS * H, t * Bp * GS * H + GS * H), t * GS * H);
      h.set(a.y.subarray((t + 1) * Bp * DH + a.col, (t + 1) * Bp * DH + a.col + H), t * H);
      if (c) c.set(a.c.subarray((t + 1) * Bp * H, (t + 1) * Bp * H + H), t * H);
      dhNorm[t] = Math.sqrt(a.dhSq[t * Bp]);
    }
    return { gates, c, h, dhNorm, GS };
  }
}
