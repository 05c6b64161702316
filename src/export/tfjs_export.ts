// tfjs/model.json + its weights file: a TF.js layers model (Sequential) of an LSTM or SimpleRNN stack, raw values in
// and original units (or logits) out. TF.js's GRU has no reset_after, so PyTorch's GRU cannot be written.
import { APP_VERSION, type ModelManifest } from './manifest';
import { kerasTransformProblem, toKerasWeights, KERAS_CLASS, type KerasTensor } from './keras_weights';
import { stackLayers } from './keras_topology';
import type { NamedTensor } from '../engine/tensor';
import type { TrainConfig } from '../engine/config';

/** The weights file next to tfjs/model.json (the name TF.js's converter gives a one-shard model). */
export const TFJS_WEIGHTS_FILE = 'group1-shard1of1.bin';
/** Key of userDefinedMetadata holding this app's model.json, so an import can undo the folded normalization. */
export const TFJS_METADATA_KEY = 'lstm_playground';

export interface TfjsFiles {
  /** tfjs/model.json */
  json: string;
  /** tfjs/group1-shard1of1.bin */
  weights: Uint8Array;
}

/** Why this model has no TF.js export (null when it has one). */
export function tfjsProblem(manifest: Pick<ModelManifest, 'config' | 'transform'>): string | null {
  if (manifest.config.cell === 'gru') {
    return "TF.js's GRU cannot express PyTorch's GRU: it rejects reset_after, the variant where the reset gate multiplies the recurrent term after its bias, which PyTorch uses; export to Keras, ONNX or PyTorch instead";
  }
  return kerasTransformProblem(manifest, 'TF.js');
}

type Layer = { class_name: string; config: Record<string, unknown> };

function recurrentConfig(name: string, c: TrainConfig, returnSequences: boolean): Layer {
  const config: Record<string, unknown> = {
    name,
    trainable: true,
    units: c.hiddenSize,
    activation: 'tanh',
    use_bias: true,
    return_sequences: returnSequences,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
  };
  // TF.js's default recurrent activation is hard_sigmoid; PyTorch's gates use the sigmoid.
  if (c.cell === 'lstm') Object.assign(config, { recurrent_activation: 'sigmoid', unit_forget_bias: false });
  return { class_name: KERAS_CLASS[c.cell], config };
}

/** TF.js's weightsManifest entries and the tensors, in file order. */
function weightList(manifest: ModelManifest, params: NamedTensor[]): { name: string; t: KerasTensor }[] {
  const c = manifest.config;
  const w = toKerasWeights(manifest, params);
  const out: { name: string; t: KerasTensor }[] = [];
  for (const l of stackLayers(c)) {
    if (l.kind === 'embedding') out.push({ name: `${l.name}/embeddings`, t: w.embedding! });
    if (l.kind === 'recurrent') {
      const prefixes = l.bidirectional ? [`${l.name}/forward_${l.innerName}`, `${l.name}/backward_${l.innerName}`] : [l.name];
      prefixes.forEach((p, d) => {
        const cw = w.layers[l.layer][d];
        out.push({ name: `${p}/kernel`, t: cw.kernel }, { name: `${p}/recurrent_kernel`, t: cw.recurrentKernel }, { name: `${p}/bias`, t: cw.bias });
      });
    }
    if (l.kind === 'dense') out.push({ name: `${l.name}/kernel`, t: w.head.kernel }, { name: `${l.name}/bias`, t: w.head.bias });
  }
  return out;
}

/** The TF.js layers topology (Keras-style class_name / snake_case config) of this model. */
function topology(c: TrainConfig): Layer[] {
  const layers: Layer[] = stackLayers(c).map((l): Layer => {
    switch (l.kind) {
      case 'embedding':
        return { class_name: 'Embedding', config: { name: l.name, trainable: true, input_dim: l.inputDim, output_dim: l.outputDim, mask_zero: false } };
      case 'recurrent': {
        const cell = recurrentConfig(l.bidirectional ? l.innerName : l.name, c, l.returnSequences);
        return l.bidirectional ? { class_name: 'Bidirectional', config: { name: l.name, trainable: true, merge_mode: 'concat', layer: cell } } : cell;
      }
      case 'reshape':
        return { class_name: 'Reshape', config: { name: l.name, trainable: true, target_shape: l.targetShape } };
      case 'cropping2d':
        return { class_name: 'Cropping2D', config: { name: l.name, trainable: true, cropping: l.cropping, data_format: 'channels_last' } };
      case 'dense':
        return { class_name: 'Dense', config: { name: l.name, trainable: true, units: l.units, activation: 'linear', use_bias: true } };
    }
  });
  const text = c.vocabSize > 0;
  Object.assign(layers[0].config, { batch_input_shape: text ? [null, c.window] : [null, c.window, c.inputSize], dtype: 'float32' });
  return layers;
}

/**
 * tfjs/model.json and its weights for an LSTM or SimpleRNN model; throws with the reason for a GRU or a target
 * transform the layers cannot express. Load with tf.loadLayersModel('…/tfjs/model.json'); predict() takes raw
 * float32 [batch, window, features] in inputColumns order (token ids [batch, window] for text).
 */
export function buildTfjsModel(manifest: ModelManifest, params: NamedTensor[]): TfjsFiles {
  const problem = tfjsProblem(manifest);
  if (problem) throw new Error(`No TF.js export: ${problem}.`);
  const c = manifest.config;
  const list = weightList(manifest, params);
  const total = list.reduce((s, w) => s + w.t.data.length, 0);
  const data = new Float32Array(total);
  let at = 0;
  for (const w of list) {
    data.set(w.t.data, at);
    at += w.t.data.length;
  }
  const json = {
    format: 'layers-model',
    generatedBy: `lstm-playground ${APP_VERSION}`,
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'lstm_playground', layers: topology(c) },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: list.map((w) => ({ name: w.name, shape: w.t.shape, dtype: 'float32' })) }],
    userDefinedMetadata: { [TFJS_METADATA_KEY]: manifest },
  };
  return { json: `${JSON.stringify(json, null, 2)}\n`, weights: new Uint8Array(data.buffer) };
}
