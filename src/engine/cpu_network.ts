// The fast CPU engine's network (embedding, stacked recurrent layers, head): forward and backward over one batch.
import type { TrainConfig } from './config';
import { backwardStep, forwardStep, GATE_SLOTS, GATES, type CellArrays } from './cpu_cells';
import { columnSums, matmulNT, matmulTN, transpose, type CpuAlloc, type CpuKernels, type KernelsName, type Weight } from './cpu_matmul';
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from './dropout_mask';
import { directionSuffix, type ParamLayout } from './param_layout';
import { ArenaPlan, WasmKernels } from './wasm/wasm_kernels';

interface Direction {
  a: CellArrays;
  /** weight_ih [G][in] (a view of the flat parameters, with the kernels' copies) and bias_ih. */
  ih: Weight;
  bih: Float32Array;
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

/** Wᵀ kept beside W: what the plain-JS products read for A·W (both operands along rows). */
interface JsWeight extends Weight {
  readonly t: Float32Array;
}

/** CpuKernels in plain JS: cpu_matmul.ts's products and cpu_cells.ts's fused steps on ordinary typed arrays. */
export class JsKernels implements CpuKernels {
  readonly name = 'js' as const;
  private readonly acc = new Float64Array(16);
  f32(n: number): Float32Array {
    return new Float32Array(n);
  }
  f64(n: number): Float64Array {
    return new Float64Array(n);
  }
  weight(w: Float32Array, rows: number, cols: number): JsWeight {
    return { w, rows, cols, t: new Float32Array(rows * cols) };
  }
  sumRoom(): void {}
  refresh(W: Weight): void {
    transpose(W.rows, W.cols, W.w, 0, (W as JsWeight).t, 0);
  }
  mulWT(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean, bias: Float32Array | null = null): void {
    matmulNT(this.acc, M, W.rows, W.cols, A, aOff, lda, W.w, 0, W.cols, C, cOff, ldc, accumulate, bias);
  }
  mulW(M: number, A: Float32Array, aOff: number, lda: number, W: Weight, C: Float32Array, cOff: number, ldc: number, accumulate: boolean): void {
    matmulNT(this.acc, M, W.cols, W.rows, A, aOff, lda, (W as JsWeight).t, 0, W.rows, C, cOff, ldc, accumulate);
  }
  matmulTN(R: number, N: number, K: number, A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number, C: Float32Array, cOff: number, ldc: number): void {
    matmulTN(R, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  }
  columnSums(R: number, N: number, A: Float32Array, aOff: number, lda: number, out: Float32Array, outOff: number, sums: Float64Array): void {
    columnSums(R, N, A, aOff, lda, out, outOff, sums);
  }
  forwardStep(a: CellArrays, t: number): void {
    forwardStep(a, t);
  }
  backwardStep(a: CellArrays, t: number, first: boolean): void {
    backwardStep(a, t, first);
  }
}

/** Every array of a network, allocated by one CpuAlloc (twice for WebAssembly: an ArenaPlan counts, then the memory holds). */
interface Buffers {
  params: Float32Array;
  grads: Float32Array;
  layers: Layer[];
  sums: Float64Array;
  x0: Float32Array;
  dx0: Float32Array;
  dY: [Float32Array, Float32Array];
  head: Weight;
  headB: Float32Array;
  gHeadW: Float32Array;
  gHeadB: Float32Array;
  emb: Float32Array | null;
  gEmb: Float32Array | null;
  pred: Float32Array;
  dPred: Float32Array;
}

function allocate(c: TrainConfig, layout: ParamLayout, k: CpuAlloc, useWhhT: boolean): Buffers {
  const T = c.window, H = c.hiddenSize, D = c.bidirectional ? 2 : 1, DH = D * H;
  const I = c.inputSize, O = c.outputSize, G = GATES[c.cell] * H, GS = GATE_SLOTS[c.cell] * H;
  const S = c.headOn === 'every_step' ? T : 1;
  const cap = paddedRows(c.batchSize);
  const params = k.f32(layout.total), grads = k.f32(layout.total);
  const view = (a: Float32Array, name: string) => {
    const s = layout.byName.get(name)!;
    return a.subarray(s.offset, s.offset + s.size);
  };
  const weight = (name: string, rows: number, cols: number) => k.weight(view(params, name), rows, cols);
  const dY: [Float32Array, Float32Array] = [k.f32(T * cap * DH), k.f32(c.numLayers > 1 ? T * cap * DH : 0)];
  // The weight gradients' sums: [G][H], [G][in] per layer direction and the head's [O][D·H].
  k.sumRoom(Math.max(G, O), Math.max(I, DH));
  // The WebAssembly steps' scratch, shared by every layer direction (one step runs at a time).
  const z = k.f32(cap * G);
  const acc = new Float64Array(16);
  const dropout = c.dropout > 0 && c.numLayers > 1;
  const layers: Layer[] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? I : DH;
    const y = k.f32((T + 2) * cap * DH);
    const below = dropout && l < c.numLayers - 1;
    const dirs: Direction[] = [];
    for (let d = 0; d < D; d++) {
      const s = `_l${l}${directionSuffix(d)}`;
      const ai = k.f32(T * cap * G);
      const hh = weight(`weight_hh${s}`, G, H);
      const a: CellArrays = {
        cell: c.cell, T, H, Bp: cap, dir: d,
        whh: hh.w, bhh: view(params, `bias_hh${s}`), whhT: useWhhT ? (hh as JsWeight).t : new Float32Array(0), hh, z,
        ai, dah: c.cell === 'gru' ? k.f32(T * cap * G) : ai,
        gates: k.f32(T * cap * GS),
        c: k.f32(c.cell === 'lstm' ? (T + 2) * cap * H : 0),
        tc: k.f32(c.cell === 'lstm' ? T * cap * H : 0),
        y, ldy: DH, col: d * H, dy: dY[0],
        carry: k.f32(cap * H), dhSq: k.f64(T * cap), acc,
      };
      dirs.push({
        a, ih: weight(`weight_ih${s}`, G, inSize), bih: view(params, `bias_ih${s}`),
        gWih: view(grads, `weight_ih${s}`), gWhh: view(grads, `weight_hh${s}`),
        gBih: view(grads, `bias_ih${s}`), gBhh: view(grads, `bias_hh${s}`),
      });
    }
    layers.push({ inSize, dirs, y, mask: below ? k.f32(T * cap * DH) : null, dropped: below ? k.f32(T * cap * DH) : null });
  }
  return {
    params, grads, layers, dY,
    sums: k.f64(Math.max(G, O)),
    x0: k.f32(T * cap * I),
    dx0: k.f32(c.vocabSize > 0 ? T * cap * I : 0),
    head: weight('head.weight', O, DH),
    headB: view(params, 'head.bias'),
    gHeadW: view(grads, 'head.weight'),
    gHeadB: view(grads, 'head.bias'),
    emb: c.vocabSize > 0 ? view(params, 'embedding.weight') : null,
    gEmb: c.vocabSize > 0 ? view(grads, 'embedding.weight') : null,
    pred: k.f32(S * cap * O),
    dPred: k.f32(S * cap * O),
  };
}

/** Which kernels to run: WebAssembly SIMD where this runtime has it and allows compiling it (else plain JS), or plain JS. */
export type KernelsChoice = 'auto' | 'js';

/**
 * embedding? → stacked LSTM/GRU/RNN layers (bidirectional, dropout between layers with the GPU's hashed masks) →
 * linear head, in float32 arrays sized once for the largest batch and reused by every step. Per layer direction: the
 * input projection of all T steps as one blocked product, the recurrence step by step (the kernels' cell steps),
 * then in the backward pass the weight gradients as products over all T×B rows and d input as one product. The
 * products and steps run on CpuKernels: WebAssembly SIMD (wasm/wasm_kernels.ts, every array in its memory) or
 * plain JS (cpu_matmul.ts, cpu_cells.ts).
 */
export class CpuNetwork {
  /** Flat parameters (the optimizers update them in place; weightsChanged() after). */
  readonly params: Float32Array;
  /** Gradients of the last backward pass, in the flat parameter layout. */
  readonly grads: Float32Array;
  /** Head output of the last forward pass, time-major [S][Bp][O] (S = T on every step, else 1). */
  readonly pred: Float32Array;
  /** d loss / d pred for the backward pass (the loss writes it), same layout. */
  readonly dPred: Float32Array;
  /** The kernels running this network, and why not WebAssembly SIMD when it is plain JS by necessity. */
  readonly kernels: KernelsName;
  readonly kernelsNote: string;
  /** Rows per step of the last forward pass, and its batch. */
  Bp = 0;
  batch = 0;
  private readonly k: CpuKernels;
  private readonly c: TrainConfig;
  private readonly T: number;
  private readonly H: number;
  private readonly D: number;
  private readonly S: number;
  private readonly layers: Layer[];
  private readonly sums: Float64Array;
  /** Layer 0's input [T][Bp][I] (x time-major, or the embedding rows of the token ids) and its gradient. */
  private readonly x0: Float32Array;
  private readonly dx0: Float32Array;
  /** Token ids time-major [T][Bp] (embedding only). */
  private readonly ids: Int32Array;
  /** d loss / d (a layer's output) [T][Bp][D·H], two taking turns down the stack. */
  private readonly dY: [Float32Array, Float32Array];
  private readonly head: Weight;
  private readonly headB: Float32Array;
  private readonly gHeadW: Float32Array;
  private readonly gHeadB: Float32Array;
  private readonly emb: Float32Array | null;
  private readonly gEmb: Float32Array | null;

  /** The network with the given initial parameters (copied in). */
  constructor(config: TrainConfig, layout: ParamLayout, params: Float32Array, choice: KernelsChoice = 'auto') {
    const c = (this.c = config);
    this.T = c.window;
    this.H = c.hiddenSize;
    this.D = c.bidirectional ? 2 : 1;
    this.S = c.headOn === 'every_step' ? c.window : 1;
    let k: CpuKernels | null = null, note = 'plain JS asked for';
    if (choice === 'auto') {
      const plan = new ArenaPlan();
      allocate(c, layout, plan, false);
      const w = WasmKernels.create(plan.bytes);
      if (typeof w === 'string') note = w;
      else [k, note] = [w, ''];
    }
    k ??= new JsKernels();
    const b = allocate(c, layout, k, k.name === 'js');
    this.k = k;
    this.kernels = k.name;
    this.kernelsNote = note;
    this.params = b.params;
    this.grads = b.grads;
    this.layers = b.layers;
    this.sums = b.sums;
    this.x0 = b.x0;
    this.dx0 = b.dx0;
    this.ids = new Int32Array(c.vocabSize > 0 ? c.window * paddedRows(c.batchSize) : 0);
    this.dY = b.dY;
    this.head = b.head;
    this.headB = b.headB;
    this.gHeadW = b.gHeadW;
    this.gHeadB = b.gHeadB;
    this.emb = b.emb;
    this.gEmb = b.gEmb;
    this.pred = b.pred;
    this.dPred = b.dPred;
    this.params.set(params);
    this.weightsChanged();
  }

  /** Refreshes the weights' copies the products read (transposed, packed); call after every change of params. */
  weightsChanged(): void {
    for (const L of this.layers)
      for (const d of L.dirs) {
        this.k.refresh(d.a.hh);
        this.k.refresh(d.ih);
      }
    this.k.refresh(this.head);
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
        this.k.mulWT(T * Bp, input, inOff, L.inSize, d.ih, a.ai, 0, G, false, d.bih);
        for (let s = 0; s < T; s++) this.k.forwardStep(a, a.dir === 0 ? s : T - 1 - s);
      }
      if (train && L.mask && L.dropped) this.dropout(l, dropoutStep);
    }
    // head: pred = out·W_headᵀ + b_head on the last step or on every step
    const top = this.layers[this.layers.length - 1], first = this.S === 1 ? T : 1;
    this.k.mulWT(this.S * Bp, top.y, first * Bp * DH, DH, this.head, this.pred, 0, c.outputSize, false, this.headB);
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
    this.k.mulW(S * Bp, this.dPred, 0, O, this.head, dOut, (first - 1) * Bp * DH, DH, false);
    if (weightGrads) {
      this.k.matmulTN(S * Bp, O, DH, this.dPred, 0, O, top.y, first * Bp * DH, DH, this.gHeadW, 0, DH);
      this.k.columnSums(S * Bp, O, this.dPred, 0, O, this.gHeadB, 0, this.sums);
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
        for (let s = T - 1; s >= 0; s--) this.k.backwardStep(a, a.dir === 0 ? s : T - 1 - s, s === T - 1);
        if (weightGrads) {
          // d W_hh = Σ_rows d a_hᵀ ⊗ h_prev; d W_ih = Σ_rows d a_iᵀ ⊗ input; biases: column sums
          const hPrev = (a.dir === 0 ? 0 : 2) * Bp * DH + a.col;
          this.k.matmulTN(R, G, H, a.dah, 0, G, L.y, hPrev, DH, d.gWhh, 0, H);
          this.k.columnSums(R, G, a.dah, 0, G, d.gBhh, 0, this.sums);
          this.k.matmulTN(R, G, inSize, a.ai, 0, G, input, inOff, inSize, d.gWih, 0, inSize);
          if (a.dah === a.ai) d.gBih.set(d.gBhh); // LSTM and RNN: d a_i = d a_h
          else this.k.columnSums(R, G, a.ai, 0, G, d.gBih, 0, this.sums);
        }
        // d input (+)= d a_i · W_ih, summed over both directions
        if (needInputGrad) this.k.mulW(R, a.ai, 0, G, d.ih, dIn, 0, inSize, a.dir > 0);
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
