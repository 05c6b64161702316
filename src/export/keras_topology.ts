// The layer stack of a Keras / TF.js export (Embedding? → LSTM/GRU/SimpleRNN × layers, Bidirectional-wrapped or
// not → [last step of a bidirectional stack] → Dense), and the reading of such a stack back out of a config, shared
// by the Keras and TF.js writers and importers.
import { DEFAULT_CONFIG, type CellKind, type TrainConfig } from '../engine/config';
import { WeightFileError } from './safetensors';
import { KERAS_CLASS } from './keras_weights';

/** One layer of the exported stack; `name` is Keras's snake-case class name with a counter (lstm, lstm_1, …). */
export type StackLayer =
  | { kind: 'embedding'; name: string; inputDim: number; outputDim: number }
  | { kind: 'recurrent'; name: string; layer: number; cell: CellKind; units: number; returnSequences: boolean; bidirectional: boolean; innerName: string }
  | { kind: 'reshape'; name: string; targetShape: number[] }
  | { kind: 'cropping2d'; name: string; cropping: [[number, number], [number, number]] }
  | { kind: 'dense'; name: string; units: number };

/** Keras's keras.src.utils.naming.to_snake_case. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Names layers as Keras numbers its saved layers: snake_case(class), then _1, _2, … for repeats. */
export function layerNamer(): (className: string) => string {
  const used = new Map<string, number>();
  return (className) => {
    const base = snakeCase(className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  };
}

/**
 * The stack of a model. A head on the last step of a bidirectional stack takes the outputs at the last step of both
 * directions (the backward one has only seen that step), so the last layer returns its sequence and
 * Reshape [T, 2H, 1] → Cropping2D (T−1 rows from the top) → Reshape [2H] keeps step T−1; Keras's own last output
 * of a Bidirectional layer would be the backward direction's state after the whole sequence instead.
 */
export function stackLayers(c: TrainConfig): StackLayer[] {
  const name = layerNamer();
  const inner = layerNamer();
  const out: StackLayer[] = [];
  if (c.vocabSize > 0) out.push({ kind: 'embedding', name: name('Embedding'), inputDim: c.vocabSize, outputDim: c.inputSize });
  const biLast = c.bidirectional && c.headOn === 'last_step';
  for (let l = 0; l < c.numLayers; l++) {
    const last = l === c.numLayers - 1;
    const cls = KERAS_CLASS[c.cell];
    out.push({
      kind: 'recurrent',
      name: name(c.bidirectional ? 'Bidirectional' : cls),
      layer: l,
      cell: c.cell,
      units: c.hiddenSize,
      returnSequences: !last || c.headOn === 'every_step' || biLast,
      bidirectional: c.bidirectional,
      innerName: inner(cls),
    });
  }
  if (biLast) {
    const width = 2 * c.hiddenSize;
    out.push(
      { kind: 'reshape', name: name('Reshape'), targetShape: [c.window, width, 1] },
      { kind: 'cropping2d', name: name('Cropping2D'), cropping: [[c.window - 1, 0], [0, 0]] },
      { kind: 'reshape', name: name('Reshape'), targetShape: [width] },
    );
  }
  out.push({ kind: 'dense', name: name('Dense'), units: c.outputSize });
  return out;
}

// ---------- reading a stack back ----------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A layer of a config as read: class, Keras-style snake_case config, and its name in the weights. */
export interface ReadLayer {
  className: string;
  config: Obj;
  /** Layer name in the config (TF.js weight names start with it). */
  name: string;
  /** Path of the layer in model.weights.h5 (`layers/<snake_case class>[_n]`). */
  path: string;
  /** The wrapped recurrent layer of a Bidirectional. */
  inner?: { className: string; config: Obj; name: string };
}

/** What a read stack is: the playground config's shape fields and the layers in order. */
export interface ReadStack {
  config: TrainConfig;
  /** The time axis was not fixed in the file (window set to the default). */
  windowGuessed: boolean;
  embedding: ReadLayer | null;
  recurrent: ReadLayer[];
  dense: ReadLayer;
}

/** Names of the layers a Functional layer's inbound_nodes read (TF.js [name, node, tensor] and Keras 3 keras_history). */
function inboundNames(v: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(v)) {
    if (typeof v[0] === 'string' && typeof v[1] === 'number') out.add(v[0]);
    else for (const x of v) inboundNames(x, out);
  } else if (isObj(v)) {
    if (Array.isArray(v.keras_history) && typeof v.keras_history[0] === 'string') out.add(v.keras_history[0]);
    else for (const x of Object.values(v)) inboundNames(x, out);
  }
  return out;
}

/** A Functional model opens only when every layer reads the one before it (one input, one output, no branches). */
function checkStraightLine(layers: unknown[], fail: (m: string) => never): void {
  let prev: string | null = null;
  for (const l of layers) {
    if (!isObj(l)) continue;
    const name = isObj(l.config) && typeof l.config.name === 'string' ? l.config.name : typeof l.name === 'string' ? l.name : null;
    const inbound = [...inboundNames(l.inbound_nodes, new Set())];
    if (prev === null) {
      if (inbound.length > 0) fail(`the first layer ${JSON.stringify(name)} of the Functional model reads ${inbound.join(', ')}; expected an InputLayer first.`);
    } else if (inbound.length !== 1 || inbound[0] !== prev) {
      fail(`layer ${JSON.stringify(name)} reads ${inbound.join(', ') || 'nothing'} instead of the layer before it (${JSON.stringify(prev)}); only straight-line models (one input, one output, no branches) can be opened.`);
    }
    prev = name;
  }
}

const CELL_OF: Record<string, CellKind> = { LSTM: 'lstm', GRU: 'gru', SimpleRNN: 'rnn' };

/**
 * Reads a Sequential (or a straight-line Functional) model's layers into the playground's shape, refusing anything
 * the playground cannot hold with the layer and the reason. `file` names the file in messages.
 */
export function readStack(topology: unknown, file: string): ReadStack {
  const fail = (m: string): never => {
    throw new WeightFileError(`${file}: ${m}`);
  };
  if (!isObj(topology)) fail('the model topology is not an object.');
  const t = topology as Obj;
  const cls = t.class_name;
  if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') fail(`the model is a ${JSON.stringify(cls)}; only Sequential and straight-line Functional models of LSTM, GRU or SimpleRNN layers can be opened.`);
  const cfg = t.config;
  const layersRaw = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layersRaw)) fail('the model config has no list of layers.');
  if (cls !== 'Sequential') checkStraightLine(layersRaw as unknown[], fail);
  const name = layerNamer();
  let batchShape: unknown = undefined;
  let inputDtype: unknown = undefined;
  const layers: ReadLayer[] = [];
  for (const [i, l] of (layersRaw as unknown[]).entries()) {
    if (!isObj(l) || typeof l.class_name !== 'string' || !isObj(l.config)) fail(`layer ${i} has no class_name and config.`);
    const lc = l as { class_name: string; config: Obj };
    const c = lc.config;
    const lname = typeof c.name === 'string' ? c.name : `layer ${i}`;
    if (lc.class_name === 'InputLayer') {
      batchShape = c.batch_shape ?? c.batch_input_shape;
      inputDtype = c.dtype;
      name('InputLayer');
      continue;
    }
    if (batchShape === undefined && c.batch_input_shape !== undefined) {
      batchShape = c.batch_input_shape;
      inputDtype = c.dtype;
    }
    const read: ReadLayer = { className: lc.class_name, config: c, name: lname, path: `layers/${name(lc.class_name)}` };
    if (lc.class_name === 'Bidirectional') {
      const innerRaw = c.layer;
      if (!isObj(innerRaw) || typeof innerRaw.class_name !== 'string' || !isObj(innerRaw.config)) fail(`Bidirectional layer ${JSON.stringify(lname)} does not say which layer it wraps.`);
      const inner = innerRaw as { class_name: string; config: Obj };
      read.inner = { className: inner.class_name, config: inner.config, name: typeof inner.config.name === 'string' ? inner.config.name : lname };
      if (c.merge_mode !== undefined && c.merge_mode !== 'concat') fail(`Bidirectional layer ${JSON.stringify(lname)} merges with ${JSON.stringify(c.merge_mode)}; only "concat" matches the playground's stack.`);
      if (c.backward_layer !== undefined && c.backward_layer !== null) fail(`Bidirectional layer ${JSON.stringify(lname)} has its own backward_layer; only the default (a copy of the forward layer) can be opened.`);
    }
    layers.push(read);
  }
  if (layers.length === 0) fail('the model has no layers.');
  let k = 0;
  let embedding: ReadLayer | null = null;
  if (layers[0].className === 'Embedding') {
    embedding = layers[0];
    if (embedding.config.mask_zero === true) fail(`Embedding layer ${JSON.stringify(embedding.name)} masks token 0 (mask_zero); the playground runs every step, so it cannot open it.`);
    k = 1;
  }
  const recurrent: ReadLayer[] = [];
  while (k < layers.length && (layers[k].className in CELL_OF || layers[k].className === 'Bidirectional')) recurrent.push(layers[k++]);
  if (recurrent.length === 0) fail(`layer ${JSON.stringify(layers[k]?.name)} is a ${layers[k]?.className}; the playground opens models whose ${embedding ? 'embedding' : 'first layer'} is followed by LSTM, GRU or SimpleRNN layers.`);
  if (recurrent.length > 4) fail(`the model has ${recurrent.length} recurrent layers; the playground holds at most 4.`);
  const bidirectional = recurrent[0].className === 'Bidirectional';
  const cellClass = (r: ReadLayer) => (r.inner ? r.inner.className : r.className);
  const rcfg = (r: ReadLayer) => (r.inner ? r.inner.config : r.config);
  const cellName = cellClass(recurrent[0]);
  const cell = CELL_OF[cellName];
  if (!cell) fail(`Bidirectional layer ${JSON.stringify(recurrent[0].name)} wraps a ${cellName}; only LSTM, GRU and SimpleRNN can be opened.`);
  const units = rcfg(recurrent[0]).units;
  if (!Number.isSafeInteger(units) || (units as number) < 1) fail(`layer ${JSON.stringify(recurrent[0].name)} has units ${JSON.stringify(units)}.`);
  recurrent.forEach((r, l) => {
    const rc = rcfg(r);
    const at = `layer ${JSON.stringify(r.name)}`;
    if ((r.className === 'Bidirectional') !== bidirectional) fail(`${at} is ${bidirectional ? 'not ' : ''}bidirectional but the first recurrent layer is${bidirectional ? '' : ' not'}; the playground's layers are all one or the other.`);
    if (cellClass(r) !== cellName) fail(`${at} is a ${cellClass(r)} but the first recurrent layer is a ${cellName}; the playground stacks one kind of cell.`);
    if (rc.units !== units) fail(`${at} has ${String(rc.units)} units but the first recurrent layer has ${String(units)}; the playground's layers all have one hidden size.`);
    const act = rc.activation ?? 'tanh';
    if (act !== 'tanh') fail(`${at} uses activation ${JSON.stringify(act)}; the playground's cells use tanh.`);
    if (cell !== 'rnn') {
      const ra = rc.recurrent_activation ?? 'sigmoid';
      if (ra !== 'sigmoid') fail(`${at} uses recurrent_activation ${JSON.stringify(ra)}; the playground's gates use the sigmoid (TF.js's default hard_sigmoid is only an approximation of it).`);
    }
    if (rc.use_bias === false) fail(`${at} has no bias (use_bias false); the playground's cells always have one.`);
    if (cell === 'gru' && rc.reset_after !== true) fail(`${at} is a GRU with reset_after ${JSON.stringify(rc.reset_after ?? 'unset')}; only reset_after=True matches PyTorch's (and the playground's) GRU.`);
    if (rc.go_backwards === true) fail(`${at} reads the sequence backwards (go_backwards); the playground cannot express that outside a Bidirectional layer.`);
    if (rc.return_state === true) fail(`${at} returns its state (return_state); the playground's stack passes only the outputs on.`);
    if (rc.stateful === true) fail(`${at} is stateful; the playground starts every window from a zero state.`);
    if (l < recurrent.length - 1 && rc.return_sequences !== true) fail(`${at} does not return sequences, so the next recurrent layer cannot read it.`);
  });
  const lastSeq = rcfg(recurrent.at(-1)!).return_sequences === true;
  let headOn: TrainConfig['headOn'] = lastSeq ? 'every_step' : 'last_step';
  const rest = layers.slice(k);
  if (bidirectional && !lastSeq) {
    fail(`Bidirectional layer ${JSON.stringify(recurrent.at(-1)!.name)} returns only its last output, where the backward direction has read the whole sequence; the playground's head reads both directions at the last step, so it cannot open this model.`);
  }
  if (rest.length === 4 && rest[0].className === 'Reshape' && rest[1].className === 'Cropping2D' && rest[2].className === 'Reshape') {
    headOn = 'last_step';
    rest.splice(0, 3);
  }
  const window = Array.isArray(batchShape) && Number.isSafeInteger(batchShape[1]) ? (batchShape[1] as number) : null;
  if (headOn === 'last_step' && lastSeq && window === null) fail('the model keeps its last step with a Cropping2D layer but its input has no fixed number of time steps.');
  if (rest.length !== 1 || rest[0].className !== 'Dense') {
    const what = rest.map((r) => `${r.className} ${JSON.stringify(r.name)}`).join(', ') || 'nothing';
    fail(`after the recurrent layers the playground expects one Dense layer (the head), but the model has ${what}.`);
  }
  const dense = rest[0];
  const act = dense.config.activation ?? 'linear';
  if (act !== 'linear' && act !== 'softmax') fail(`the Dense head ${JSON.stringify(dense.name)} uses activation ${JSON.stringify(act)}; only linear (regression, logits) or softmax (classification) can be opened.`);
  if (dense.config.use_bias === false) fail(`the Dense head ${JSON.stringify(dense.name)} has no bias (use_bias false).`);
  const outputSize = dense.config.units;
  if (!Number.isSafeInteger(outputSize) || (outputSize as number) < 1) fail(`the Dense head ${JSON.stringify(dense.name)} has units ${JSON.stringify(outputSize)}.`);
  const classifier = act === 'softmax';
  if (classifier && (outputSize as number) < 2) fail(`the Dense head ${JSON.stringify(dense.name)} is a softmax over ${String(outputSize)} class; a classifier needs at least 2.`);
  let inputSize: number, vocabSize = 0;
  if (embedding) {
    const v = embedding.config.input_dim, e = embedding.config.output_dim;
    if (!Number.isSafeInteger(v) || !Number.isSafeInteger(e)) fail(`Embedding layer ${JSON.stringify(embedding.name)} has input_dim ${JSON.stringify(v)} and output_dim ${JSON.stringify(e)}.`);
    vocabSize = v as number;
    inputSize = e as number;
  } else {
    const f = Array.isArray(batchShape) ? batchShape[2] : undefined;
    if (!Number.isSafeInteger(f)) fail(`the input shape ${JSON.stringify(batchShape ?? null)} does not give the number of features per step; the playground needs [batch, steps, features].`);
    inputSize = f as number;
  }
  void inputDtype;
  const config: TrainConfig = {
    ...DEFAULT_CONFIG,
    cell,
    inputSize,
    hiddenSize: units as number,
    numLayers: recurrent.length,
    bidirectional,
    outputSize: outputSize as number,
    headOn,
    loss: classifier ? 'cross_entropy' : 'mse',
    vocabSize,
    window: window ?? DEFAULT_CONFIG.window,
  };
  return { config, windowGuessed: window === null, embedding, recurrent, dense };
}
