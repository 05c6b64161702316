// The one conversion between engine (PyTorch-layout) weights and Keras / TF.js layer weights, both ways, with the
// model's input and target normalization folded exactly into the first recurrent layer's input weights and the head.
//
// Keras keeps x·K (kernel [in, G·u]) where PyTorch keeps W·x (weight_ih [G·u, in]). Gate blocks: LSTM i,f,c,o (the
// same order as PyTorch's i,f,g,o), GRU z,r,h (PyTorch r,z,n), SimpleRNN one. LSTM and SimpleRNN have one bias
// (b_ih + b_hh); GRU with reset_after=True keeps both, as bias [2, 3u] (row 0 input, row 1 recurrent), which is
// PyTorch's GRU exactly. Folding: the model sees (raw - a) / b, so K'[j][·] = K[j][·] / b_j and the input bias
// takes −Σ_j K[j][·]·a_j / b_j; the head's output o is de-normalized by target o mod targets (y = a + b·z), so its
// kernel column and bias are scaled by b and the bias shifted by a. Unfolding inverts both exactly.
import type { CellKind, TrainConfig } from '../engine/config';
import { directionsOf, directionSuffix, gatesOf, type ModelShape } from '../engine/param_layout';
import type { NamedTensor } from '../engine/tensor';
import { isClassifier, type FeatureNormalization, type ModelManifest } from './manifest';
import { toStateDict } from './state_dict';

/** Keras gate block j comes from PyTorch block KERAS_GATES[cell][j]: LSTM i,f,c,o ← i,f,g,o; GRU z,r,h ← r,z,n. */
export const KERAS_GATES: Record<CellKind, number[]> = { lstm: [0, 1, 2, 3], gru: [1, 0, 2], rnn: [0] };

/** Keras / TF.js class name of each cell's layer. */
export const KERAS_CLASS: Record<CellKind, 'LSTM' | 'GRU' | 'SimpleRNN'> = { lstm: 'LSTM', gru: 'GRU', rnn: 'SimpleRNN' };

export interface KerasTensor {
  shape: number[];
  data: Float32Array;
}

/** One direction of one recurrent layer, in Keras's variable order (kernel, recurrent_kernel, bias). */
export interface KerasCellWeights {
  kernel: KerasTensor;
  recurrentKernel: KerasTensor;
  bias: KerasTensor;
}

export interface KerasWeights {
  /** embeddings [vocab, dim] (text models). */
  embedding: KerasTensor | null;
  /** [layer][direction]: direction 0 forward, 1 backward. */
  layers: KerasCellWeights[][];
  /** Dense head: kernel [D·H, outputs], bias [outputs]. */
  head: { kernel: KerasTensor; bias: KerasTensor };
}

export interface Normalization {
  inputs: FeatureNormalization[];
  targets: FeatureNormalization[];
}

/**
 * Why a model cannot be written as Keras / TF.js layers that take raw values and return original units (null when
 * it can): a target transform other than 'none' mixes time steps or is not affine in the raw values.
 */
export function kerasTransformProblem(manifest: Pick<ModelManifest, 'transform'>, runtime: 'TF.js' | 'Keras'): string | null {
  const name = manifest.transform?.name ?? 'none';
  if (name === 'none') return null;
  const why: Record<string, string> = {
    difference: 'mixes time steps (each feature is a step minus the one before, and predictions add back the last value)',
    'seasonal-difference': 'mixes time steps (each feature is a step minus the one a season before, and predictions add back past values)',
    log: 'takes the logarithm of the inputs and the exponential of the outputs',
    'window-normalize': "centres every window on its own mean, which the predictions add back",
  };
  return `the ${name} transform ${why[name] ?? 'is not an affine map of each step'}, which ${runtime} layers cannot express; export to ONNX or PyTorch instead`;
}

/** Scale b and offset a of every input feature (1 and 0 for a text model) and every head output (1, 0 for logits). */
function affine(list: FeatureNormalization[], width: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(width), b = new Float64Array(width).fill(1);
  if (list.length === 0) return { a, b };
  for (let i = 0; i < width; i++) {
    const n = list[i % list.length];
    a[i] = n.a;
    b[i] = n.b;
  }
  return { a, b };
}

/** [rows][cols] → [cols][rows] with PyTorch gate blocks (rows = G·H) reordered to Keras's, as float64. */
function kerasKernel(src: Float32Array, cell: CellKind, H: number, cols: number): Float64Array {
  const G = gatesOf(cell);
  const out = new Float64Array(cols * G * H);
  KERAS_GATES[cell].forEach((from, j) => {
    for (let u = 0; u < H; u++) {
      const row = (from * H + u) * cols;
      for (let k = 0; k < cols; k++) out[k * G * H + j * H + u] = src[row + k];
    }
  });
  return out;
}

function kerasBias(src: Float32Array, cell: CellKind, H: number): Float64Array {
  return kerasKernel(src, cell, H, 1);
}

/** Inverse of kerasKernel: Keras [cols][G·H] → PyTorch [G·H][cols]. */
function torchMatrix(src: ArrayLike<number>, cell: CellKind, H: number, cols: number): Float32Array {
  const G = gatesOf(cell);
  const out = new Float32Array(G * H * cols);
  KERAS_GATES[cell].forEach((from, j) => {
    for (let u = 0; u < H; u++) {
      const row = (from * H + u) * cols;
      for (let k = 0; k < cols; k++) out[row + k] = src[k * G * H + j * H + u];
    }
  });
  return out;
}

const f32 = (shape: number[], data: ArrayLike<number>): KerasTensor => ({ shape, data: Float32Array.from(data) });

/**
 * Keras / TF.js weights of a model from the engine's tensors, normalization folded in (so the layers take raw
 * inputs and return original units). Refuses missing or mis-shaped tensors (toStateDict).
 */
export function toKerasWeights(manifest: ModelManifest, params: NamedTensor[]): KerasWeights {
  const c = manifest.config;
  toStateDict(params, c);
  const byName = new Map(params.map((p) => [p.name, p.data]));
  const H = c.hiddenSize, G = gatesOf(c.cell), D = directionsOf(c), O = c.outputSize;
  const text = c.vocabSize > 0;
  const input = affine(text ? [] : manifest.normalization.inputs, c.inputSize);
  const layers: KerasCellWeights[][] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? c.inputSize : D * H;
    const dirs: KerasCellWeights[] = [];
    for (let d = 0; d < D; d++) {
      const s = `l${l}${directionSuffix(d)}`;
      const K = kerasKernel(byName.get(`weight_ih_${s}`)!, c.cell, H, inSize);
      const R = kerasKernel(byName.get(`weight_hh_${s}`)!, c.cell, H, H);
      const bIn = kerasBias(byName.get(`bias_ih_${s}`)!, c.cell, H);
      const bRec = kerasBias(byName.get(`bias_hh_${s}`)!, c.cell, H);
      if (l === 0) {
        for (let j = 0; j < inSize; j++) {
          for (let g = 0; g < G * H; g++) {
            const k = K[j * G * H + g] / input.b[j];
            K[j * G * H + g] = k;
            bIn[g] -= k * input.a[j];
          }
        }
      }
      let bias: KerasTensor;
      if (c.cell === 'gru') {
        const both = new Float64Array(2 * G * H);
        both.set(bIn, 0);
        both.set(bRec, G * H);
        bias = f32([2, G * H], both);
      } else bias = f32([G * H], bIn.map((v, g) => v + bRec[g]));
      dirs.push({ kernel: f32([inSize, G * H], K), recurrentKernel: f32([H, G * H], R), bias });
    }
    layers.push(dirs);
  }
  const out = affine(isClassifier(c) ? [] : manifest.normalization.targets, O);
  const W = byName.get('head.weight')!, hb = byName.get('head.bias')!;
  const kernel = new Float64Array(D * H * O), bias = new Float64Array(O);
  for (let o = 0; o < O; o++) {
    for (let k = 0; k < D * H; k++) kernel[k * O + o] = W[o * D * H + k] * out.b[o];
    bias[o] = hb[o] * out.b[o] + out.a[o];
  }
  const emb = byName.get('embedding.weight');
  return {
    embedding: emb ? f32([c.vocabSize, c.inputSize], emb) : null,
    layers,
    head: { kernel: f32([D * H, O], kernel), bias: f32([O], bias) },
  };
}

/** The shapes toKerasWeights produces for a model of this shape (what an importer checks a file against). */
export function kerasShapes(c: ModelShape): { embedding: number[] | null; cell: (layer: number) => [number[], number[], number[]]; head: [number[], number[]] } {
  const H = c.hiddenSize, G = gatesOf(c.cell), D = directionsOf(c);
  return {
    embedding: c.vocabSize > 0 ? [c.vocabSize, c.inputSize] : null,
    cell: (l) => [[l === 0 ? c.inputSize : D * H, G * H], [H, G * H], c.cell === 'gru' ? [2, G * H] : [G * H]],
    head: [[D * H, c.outputSize], [c.outputSize]],
  };
}

/**
 * Engine tensors (weight_ih_l0, …, head.weight) from Keras / TF.js weights that take raw inputs and return original
 * units, for a model that normalizes with `norm`: the folding undone. A single Keras bias becomes bias_ih (bias_hh
 * zero), which gives the same predictions. Shapes must already have been checked against kerasShapes(config).
 */
export function fromKerasWeights(config: TrainConfig, w: KerasWeights, norm: Normalization): NamedTensor[] {
  const c = config;
  const H = c.hiddenSize, G = gatesOf(c.cell), D = directionsOf(c), O = c.outputSize;
  const input = affine(c.vocabSize > 0 ? [] : norm.inputs, c.inputSize);
  const out: NamedTensor[] = [];
  if (c.vocabSize > 0) {
    if (!w.embedding) throw new Error('The model has an embedding but no embedding weights were given.');
    out.push({ name: 'embedding.weight', shape: [c.vocabSize, c.inputSize], data: Float32Array.from(w.embedding.data) });
  }
  for (let l = 0; l < c.numLayers; l++) {
    const inSize = l === 0 ? c.inputSize : D * H;
    for (let d = 0; d < D; d++) {
      const s = `l${l}${directionSuffix(d)}`;
      const cw = w.layers[l][d];
      const K = Float64Array.from(cw.kernel.data);
      const bIn = new Float64Array(G * H), bRec = new Float64Array(G * H);
      if (c.cell === 'gru') {
        bIn.set(cw.bias.data.subarray(0, G * H));
        bRec.set(cw.bias.data.subarray(G * H, 2 * G * H));
      } else bIn.set(cw.bias.data);
      if (l === 0) {
        for (let j = 0; j < inSize; j++) {
          for (let g = 0; g < G * H; g++) {
            const k = K[j * G * H + g];
            bIn[g] += k * input.a[j];
            K[j * G * H + g] = k * input.b[j];
          }
        }
      }
      out.push(
        { name: `weight_ih_${s}`, shape: [G * H, inSize], data: torchMatrix(K, c.cell, H, inSize) },
        { name: `weight_hh_${s}`, shape: [G * H, H], data: torchMatrix(cw.recurrentKernel.data, c.cell, H, H) },
        { name: `bias_ih_${s}`, shape: [G * H], data: torchMatrix(bIn, c.cell, H, 1) },
        { name: `bias_hh_${s}`, shape: [G * H], data: torchMatrix(bRec, c.cell, H, 1) },
      );
    }
  }
  const t = affine(isClassifier(c) ? [] : norm.targets, O);
  const hw = new Float32Array(O * D * H), hb = new Float32Array(O);
  for (let o = 0; o < O; o++) {
    for (let k = 0; k < D * H; k++) hw[o * D * H + k] = w.head.kernel.data[k * O + o] / t.b[o];
    hb[o] = (w.head.bias.data[o] - t.a[o]) / t.b[o];
  }
  out.push({ name: 'head.weight', shape: [O, D * H], data: hw }, { name: 'head.bias', shape: [O], data: hb });
  return out;
}
