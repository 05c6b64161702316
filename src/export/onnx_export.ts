// model.onnx: the whole predictor (normalize → embedding? → ONNX LSTM/GRU/RNN layers → head → de-normalize), opset 17.
import type { CellKind, TrainConfig } from '../engine/config';
import { directionsOf, gatesOf } from '../engine/param_layout';
import { isClassifier, type FeatureNormalization, type ModelManifest } from './manifest';
import { GraphBuilder, attributes, stringsAttribute, valueInfo } from './onnx_proto';
import { toStateDict } from './state_dict';
import { transformMatrices } from '../data/target_transform';
import type { NamedTensor } from '../engine/tensor';

export const ONNX_OPSET = 17;
const IR_VERSION = 8;

/** ONNX gate block j comes from our (PyTorch) block GATE_ORDER[cell][j]: LSTM i,o,f,c ← i,f,g,o; GRU z,r,h ← r,z,n. */
const GATE_ORDER: Record<CellKind, number[]> = { lstm: [0, 3, 1, 2], gru: [1, 0, 2], rnn: [0] };
const OP_TYPE: Record<CellKind, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };

/** Copies a [G·H][cols] PyTorch matrix (or [G·H] bias, cols = 1) into `out` at `at`, gate blocks in ONNX order. */
function reorderGates(src: Float32Array, cell: CellKind, H: number, cols: number, out: Float32Array, at: number): void {
  const block = H * cols;
  GATE_ORDER[cell].forEach((from, j) => out.set(src.subarray(from * block, (from + 1) * block), at + j * block));
}

/** W [D][G·H][in], R [D][G·H][H], B [D][2·G·H] of layer l, from the engine tensors. */
export function onnxLayerWeights(params: Map<string, NamedTensor>, c: TrainConfig, layer: number) {
  const H = c.hiddenSize, G = gatesOf(c.cell), D = directionsOf(c);
  const inSize = layer === 0 ? c.inputSize : D * H;
  const W = new Float32Array(D * G * H * inSize), R = new Float32Array(D * G * H * H), B = new Float32Array(D * 2 * G * H);
  for (let d = 0; d < D; d++) {
    const s = `l${layer}${d === 0 ? '' : '_reverse'}`;
    const get = (name: string) => {
      const t = params.get(`${name}_${s}`);
      if (!t) throw new Error(`Parameter ${name}_${s} is missing.`);
      return t.data;
    };
    reorderGates(get('weight_ih'), c.cell, H, inSize, W, d * G * H * inSize);
    reorderGates(get('weight_hh'), c.cell, H, H, R, d * G * H * H);
    reorderGates(get('bias_ih'), c.cell, H, 1, B, d * 2 * G * H);
    reorderGates(get('bias_hh'), c.cell, H, 1, B, d * 2 * G * H + G * H);
  }
  return { W, R, B, dims: { W: [D, G * H, inSize], R: [D, G * H, H], B: [D, 2 * G * H] } };
}

function offsetsAndScales(list: FeatureNormalization[], width: number): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(width), b = new Float32Array(width);
  for (let i = 0; i < width; i++) {
    const n = list[i % list.length];
    a[i] = n.a;
    b[i] = n.b;
  }
  return { a, b };
}

/** The linear head on `features` [..., width]: features · head.weightᵀ + head.bias → [..., O] (named `output` if given). */
export function linearHead(g: GraphBuilder, byName: Map<string, NamedTensor>, features: string, width: number, O: number, output?: string): string {
  const w = byName.get('head.weight')!.data; // [O][width]
  const wt = new Float32Array(O * width);
  for (let o = 0; o < O; o++) for (let k = 0; k < width; k++) wt[k * O + o] = w[o * width + k];
  const projected = g.node('MatMul', [features, g.constFloat('head_weight_t', [width, O], wt)]);
  return g.node('Add', [projected, g.constFloat('head_bias', [O], byName.get('head.bias')!.data)], [], output);
}

/** Slice of `x` along `axis` from `from` to `to` (ONNX Slice with constant starts, ends and axes). */
function slice(g: GraphBuilder, x: string, axis: number, from: number, to: number, name: string): string {
  return g.node('Slice', [x, g.constInt64(`${name}_starts`, [1], [from]), g.constInt64(`${name}_ends`, [1], [to]), g.constInt64(`${name}_axes`, [1], [axis])]);
}

/** A [rows][cols] row-major float64 matrix transposed into a float32 [cols][rows] initializer. */
function transposed(m: Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = m[r * cols + k];
  return out;
}

/**
 * Raw input [B, T, F] → the engine's features: (x - a) / b per feature, the targets (the first K features) logged
 * first under 'log', or replaced by their time-mixed features (M · v) / inputScale under difference and kin.
 */
function transformedInputs(g: GraphBuilder, m: ModelManifest): string {
  const c = m.config, F = c.inputSize, T = c.window, K = m.targetColumns.length;
  const t = m.transform?.name ?? 'none';
  let raw = 'input';
  if (t === 'log') {
    const logged = g.node('Log', [slice(g, 'input', 2, 0, K, 'targets')]);
    raw = F > K ? g.node('Concat', [logged, slice(g, 'input', 2, K, F, 'others')], attributes({ axis: 2 })) : logged;
  }
  const { a, b } = offsetsAndScales(m.normalization.inputs, F);
  const shifted = g.node('Sub', [raw, g.constFloat('input_offset', [F], a)]);
  const normalized = g.node('Div', [shifted, g.constFloat('input_scale', [F], b)]);
  const maps = transformMatrices(m.transform ?? { name: 'none', season: null }, T, m.horizon);
  if (!maps) return normalized;
  const mixed = g.node('MatMul', [targetsByTime(g, m), g.constFloat('transform_input_map_t', [T, T], transposed(maps.M, T, T))]); // [B, K, T]
  const scales = Float32Array.from(m.transform!.columns, (col) => col.inputScale);
  const features = g.node('Transpose', [g.node('Div', [mixed, g.constFloat('transform_input_scale', [K, 1], scales)])], attributes({ perm: [0, 2, 1] }));
  return F > K ? g.node('Concat', [features, slice(g, normalized, 2, K, F, 'normalized_others')], attributes({ axis: 2 })) : features;
}

/** The raw target values of the window as [B, K, T] (computed once; shared by the input map and the references). */
function targetsByTime(g: GraphBuilder, m: ModelManifest): string {
  const existing = g.nodes.find((n) => n.output?.[0] === 'targets_by_time');
  if (existing) return 'targets_by_time';
  const K = m.targetColumns.length;
  return g.node('Transpose', [slice(g, 'input', 2, 0, K, 'raw_targets')], attributes({ perm: [0, 2, 1] }), 'targets_by_time');
}

/** Head outputs [B, O] → original units named `output`: a + b · y (exp'd under 'log'), or reference + outputScale · y. */
function originalUnits(g: GraphBuilder, m: ModelManifest, y: string): void {
  const c = m.config, O = c.outputSize, T = c.window, K = m.targetColumns.length, H = O / K;
  const t = m.transform?.name ?? 'none';
  const maps = transformMatrices(m.transform ?? { name: 'none', season: null }, T, H);
  if (!maps) {
    const { a, b } = offsetsAndScales(m.normalization.targets, O);
    const scaled = g.node('Mul', [y, g.constFloat('output_scale', [O], b)]);
    if (t !== 'log') {
      g.node('Add', [scaled, g.constFloat('output_offset', [O], a)], [], 'output');
      return;
    }
    g.node('Exp', [g.node('Add', [scaled, g.constFloat('output_offset', [O], a)])], [], 'output');
    return;
  }
  const reference = g.node('MatMul', [targetsByTime(g, m), g.constFloat('transform_reference_map_t', [T, H], transposed(maps.C, H, T))]); // [B, K, H]
  const flat = g.node('Reshape', [g.node('Transpose', [reference], attributes({ perm: [0, 2, 1] })), g.constInt64('shape_b_o', [2], [0, O])]); // [B, H·K]
  const scales = Float32Array.from({ length: O }, (_, o) => m.transform!.columns[o % K].outputScale);
  g.node('Add', [g.node('Mul', [y, g.constFloat('output_scale', [O], scales)]), flat], [], 'output');
}

/**
 * Encodes model.onnx. Input `input`: float32 [batch, window, features] of raw values in `inputColumns` order
 * (int64 token ids [batch, window] for a text model). Output `output`: [batch, outputSize] (or
 * [batch, window, outputSize] with a head on every step) — predictions in original units for regression
 * (output index o de-normalized with target o mod targetColumns.length), raw logits for classification.
 */
export function buildOnnxModel(manifest: ModelManifest, params: NamedTensor[]): Uint8Array {
  const c = manifest.config;
  toStateDict(params, c); // refuses missing, unexpected or mis-shaped parameters
  const byName = new Map(params.map((p) => [p.name, p]));
  const T = c.window, H = c.hiddenSize, D = directionsOf(c), O = c.outputSize;
  const g = new GraphBuilder();
  let inputInfo;
  let x: string;
  if (c.vocabSize > 0) {
    inputInfo = valueInfo('input', 'int64', ['batch', T]);
    const emb = g.constFloat('embedding_weight', [c.vocabSize, c.inputSize], byName.get('embedding.weight')!.data);
    x = g.node('Gather', [emb, 'input'], attributes({ axis: 0 }));
  } else {
    inputInfo = valueInfo('input', 'float', ['batch', T, c.inputSize]);
    x = transformedInputs(g, manifest);
  }
  let seq = g.node('Transpose', [x], attributes({ perm: [1, 0, 2] })); // [T, B, features]
  for (let l = 0; l < c.numLayers; l++) {
    const w = onnxLayerWeights(byName, c, l);
    const attrs = attributes({ hidden_size: H, direction: D === 2 ? 'bidirectional' : 'forward' });
    if (c.cell === 'gru') attrs.push(...attributes({ linear_before_reset: 1 }));
    if (c.cell === 'rnn') attrs.push(stringsAttribute('activations', D === 2 ? ['Tanh', 'Tanh'] : ['Tanh']));
    const Y = g.node(
      OP_TYPE[c.cell],
      [seq, g.constFloat(`W_l${l}`, w.dims.W, w.W), g.constFloat(`R_l${l}`, w.dims.R, w.R), g.constFloat(`B_l${l}`, w.dims.B, w.B)],
      attrs,
    ); // [T, D, B, H]
    const tbdh = g.node('Transpose', [Y], attributes({ perm: [0, 2, 1, 3] }));
    seq = g.node('Reshape', [tbdh, g.constInt64('shape_tb_dh', [3], [0, 0, D * H])]); // [T, B, D·H]
  }
  const features =
    c.headOn === 'last_step'
      ? g.node('Gather', [seq, g.constInt64('last_step', [], [T - 1])], attributes({ axis: 0 })) // [B, D·H]
      : g.node('Transpose', [seq], attributes({ perm: [1, 0, 2] })); // [B, T, D·H]
  const classifier = isClassifier(c);
  const logits = linearHead(g, byName, features, D * H, O, classifier ? 'output' : undefined);
  if (!classifier) originalUnits(g, manifest, logits);
  const outDims: (number | string)[] = c.headOn === 'last_step' ? ['batch', O] : ['batch', T, O];
  return g.encode({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'lstm-playground',
    producerVersion: manifest.versions.app,
    docString:
      `${c.numLayers}-layer ${c.bidirectional ? 'bidirectional ' : ''}${c.cell.toUpperCase()} (hidden ${H}) with a linear head. ` +
      (c.vocabSize > 0 ? `input: int64 token ids [batch, ${T}]. ` : `input: raw float32 [batch, ${T}, ${c.inputSize}] in the order ${manifest.inputColumns.join(', ')}. `) +
      (classifier ? `output: logits over ${manifest.classNames?.join(', ')} (softmax gives probabilities).` : `output: ${manifest.targetColumns.join(', ')} in original units.`),
    graph: {
      name: 'lstm_playground_predictor',
      node: g.nodes,
      initializer: g.initializers,
      input: [inputInfo],
      output: [valueInfo('output', 'float', outDims)],
    },
    metadataProps: [
      { key: 'format', value: manifest.format },
      { key: 'inputColumns', value: JSON.stringify(manifest.inputColumns) },
      { key: 'targetColumns', value: JSON.stringify(manifest.targetColumns) },
      { key: 'output', value: manifest.output },
    ],
  });
}
