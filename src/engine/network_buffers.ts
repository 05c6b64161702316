// Every GPU buffer a model needs, sized once for the configured batch and window, with a byte estimate beforehand.
import { BufferSet } from '../gpu/buffers';
import type { TrainConfig } from './config';
import { directionsOf, gatesOf, paramLayout } from './param_layout';
import { STAT } from './stats_slots';

/** Gate values kept per unit for backward and the probe: LSTM i,f,g,o; GRU r,z,n,hn; RNN h. */
export function storedGatesOf(cell: TrainConfig['cell']): number {
  return cell === 'rnn' ? 1 : 4;
}

/** Float counts of every buffer, by name; the single source for allocation and the memory estimate. */
export function bufferPlan(c: TrainConfig, computeInputGrad: boolean): { name: string; floats: number; count: number }[] {
  const T = c.window, B = c.batchSize, H = c.hiddenSize, I = c.inputSize;
  const D = directionsOf(c), G = gatesOf(c.cell), GS = storedGatesOf(c.cell), L = c.numLayers;
  const P = paramLayout(c).total;
  const predRows = c.headOn === 'every_step' ? T * B : B;
  const optimizerCopies = c.optimizer === 'sgd' ? 1 : 2;
  const list = [
    { name: 'parameters', floats: P, count: 2 + optimizerCopies },
    { name: 'input batch', floats: T * B * I, count: 1 },
    { name: 'input projection', floats: T * B * G * H, count: 1 },
    { name: 'gate gradients', floats: T * B * G * H, count: c.cell === 'gru' ? 2 : 1 },
    { name: 'hidden-state gradients', floats: T * B * H, count: Math.min(L, 2) * D },
    { name: 'recurrent carry', floats: B * H, count: 1 },
    { name: 'predictions', floats: predRows * c.outputSize, count: 3 },
    { name: 'class weights', floats: c.outputSize, count: c.loss === 'cross_entropy' ? 1 : 0 },
    { name: 'hidden states', floats: (T + 1) * B * H, count: L * D * (c.cell === 'lstm' ? 2 : 1) },
    { name: 'gate activations', floats: T * B * GS * H, count: L * D },
  ];
  if (c.dropout > 0 && L > 1) list.push({ name: 'dropout outputs', floats: T * B * H, count: (L - 1) * D });
  if (computeInputGrad || c.vocabSize > 0) list.push({ name: 'input gradient', floats: T * B * I, count: 1 });
  if (c.vocabSize > 0) list.push({ name: 'token index', floats: 3 * T * B + 2, count: 2 });
  return list;
}

/** Total bytes and the largest single buffer of a configuration, before anything is allocated. */
export function estimateMemory(c: TrainConfig, computeInputGrad = false): { totalBytes: number; largest: { name: string; bytes: number } } {
  let totalBytes = 0;
  let largest = { name: '', bytes: 0 };
  for (const b of bufferPlan(c, computeInputGrad)) {
    const bytes = b.floats * 4;
    totalBytes += bytes * b.count;
    if (bytes > largest.bytes) largest = { name: b.name, bytes };
  }
  return { totalBytes, largest };
}

export interface DirectionBuffers {
  /** [T+1][B][H]: h_t at row t+1 (forward) or t (reverse); the zero initial state in the remaining row. */
  hs: GPUBuffer;
  /** LSTM cell states, same rows as hs. */
  cs: GPUBuffer | null;
  /** [T][B][GS·H] activated gates at time t. */
  gates: GPUBuffer;
  /** [T][B][H] dropped-out copy of h_t fed to the next layer while training (layers below the top, dropout > 0). */
  dropped: GPUBuffer | null;
}

export interface NetworkBuffers {
  params: GPUBuffer;
  grads: GPUBuffer;
  /** Adam m, or SGD's momentum buffer. */
  moment1: GPUBuffer;
  /** Adam v (null for SGD). */
  moment2: GPUBuffer | null;
  /** [T][B][I] time-major input (or the embedding output when vocabSize > 0). */
  x: GPUBuffer;
  /** [T][B] u32 token ids (embedding models). */
  ids: GPUBuffer | null;
  /** Per-batch index of rows by token id for the deterministic embedding gradient. */
  tokenIndex: GPUBuffer | null;
  y: GPUBuffer;
  pred: GPUBuffer;
  dpred: GPUBuffer;
  /** [C] f32 cross-entropy class weights (all 1.0 unless classWeights 'balanced'); null for a regression loss. */
  classWeights: GPUBuffer | null;
  xw: GPUBuffer;
  dgates: GPUBuffer;
  /** GRU's hidden-side gate gradients. */
  dgatesH: GPUBuffer | null;
  /** [2][D] ping-pong sets of [T][B][H] gradients w.r.t. each layer direction's output. */
  dY: GPUBuffer[][];
  carry: GPUBuffer;
  /** [T][B][I] d loss / d layer-0 input. */
  dx: GPUBuffer | null;
  stats: GPUBuffer;
  layers: DirectionBuffers[][];
}

export function allocateNetwork(s: BufferSet, c: TrainConfig, computeInputGrad: boolean): NetworkBuffers {
  const T = c.window, B = c.batchSize, H = c.hiddenSize, I = c.inputSize;
  const D = directionsOf(c), G = gatesOf(c.cell), GS = storedGatesOf(c.cell), L = c.numLayers;
  const P = paramLayout(c).total;
  const predSize = (c.headOn === 'every_step' ? T * B : B) * c.outputSize;
  const dropping = c.dropout > 0;
  const layers: DirectionBuffers[][] = [];
  for (let l = 0; l < L; l++) {
    const dirs: DirectionBuffers[] = [];
    for (let d = 0; d < D; d++) {
      dirs.push({
        hs: s.storage(`hs l${l} d${d}`, (T + 1) * B * H),
        cs: c.cell === 'lstm' ? s.storage(`cs l${l} d${d}`, (T + 1) * B * H) : null,
        gates: s.storage(`gates l${l} d${d}`, T * B * GS * H),
        dropped: dropping && l < L - 1 ? s.storage(`dropped l${l} d${d}`, T * B * H) : null,
      });
    }
    layers.push(dirs);
  }
  const dYSets = Math.min(L, 2);
  const embedding = c.vocabSize > 0;
  return {
    params: s.storage('params', P),
    grads: s.storage('grads', P),
    moment1: s.storage('optimizer moment 1', P),
    moment2: c.optimizer === 'sgd' ? null : s.storage('optimizer moment 2', P),
    x: s.storage('x [T][B][I]', T * B * I),
    ids: embedding ? s.storage('token ids [T][B]', T * B) : null,
    tokenIndex: embedding ? s.storage('token index', 3 * T * B + 2) : null,
    y: s.storage('y', predSize),
    pred: s.storage('pred', predSize),
    dpred: s.storage('dpred', predSize),
    classWeights: c.loss === 'cross_entropy' ? s.storage('class weights [C]', c.outputSize) : null,
    xw: s.storage('xw [T][B][G·H]', T * B * G * H),
    dgates: s.storage('dgates [T][B][G·H]', T * B * G * H),
    dgatesH: c.cell === 'gru' ? s.storage('dgatesH [T][B][3H]', T * B * G * H) : null,
    dY: Array.from({ length: dYSets }, (_, k) => Array.from({ length: D }, (_, d) => s.storage(`dY set${k} d${d}`, T * B * H))),
    carry: s.storage('carry [B][H]', B * H),
    dx: computeInputGrad || embedding ? s.storage('dx [T][B][I]', T * B * I) : null,
    stats: s.storage('stats', STAT.COUNT),
    layers,
  };
}
