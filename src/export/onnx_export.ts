// model.onnx: the whole predictor (normalize → embedding? → ONNX LSTM/GRU/RNN layers → head → de-normalize), opset 17.
import type { CellKind, TrainConfig } from '../engine/config';
import { directionsOf, gatesOf } from '../engine/param_layout';
import { isClassifier, type FeatureNormalization, type ModelManifest } from './manifest';
import { GraphBuilder, attributes, stringsAttribute, valueInfo } from './onnx_proto';
import { toStateDict } from './state_dict';
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
    const { a, b } = offsetsAndScales(manifest.normalization.inputs, c.inputSize);
    const shifted = g.node('Sub', ['input', g.constFloat('input_offset', [c.inputSize], a)]);
    x = g.node('Div', [shifted, g.constFloat('input_scale', [c.inputSize], b)]);
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
  const headW = byName.get('head.weight')!.data; // [O][D·H]
  const headWT = new Float32Array(O * D * H);
  for (let o = 0; o < O; o++) for (let k = 0; k < D * H; k++) headWT[k * O + o] = headW[o * D * H + k];
  const projected = g.node('MatMul', [features, g.constFloat('head_weight_t', [D * H, O], headWT)]);
  const classifier = isClassifier(c);
  const logits = g.node('Add', [projected, g.constFloat('head_bias', [O], byName.get('head.bias')!.data)], [], classifier ? 'output' : undefined);
  if (!classifier) {
    const { a, b } = offsetsAndScales(manifest.normalization.targets, O);
    const scaled = g.node('Mul', [logits, g.constFloat('output_scale', [O], b)]);
    g.node('Add', [scaled, g.constFloat('output_offset', [O], a)], [], 'output');
  }
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
