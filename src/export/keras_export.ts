// model.keras: a Keras 3 archive (zip of config.json, metadata.json, model.weights.h5) of the model as a Sequential
// of Embedding? → LSTM / GRU (reset_after=True) / SimpleRNN layers → Dense, raw values in, original units out.
import { zipSync, strToU8 } from 'fflate';
import { APP_VERSION, type ModelManifest } from './manifest';
import { writeH5, type H5Dataset } from './h5_file';
import { kerasTransformProblem, toKerasWeights, KERAS_CLASS } from './keras_weights';
import { stackLayers, type StackLayer } from './keras_topology';
import type { NamedTensor } from '../engine/tensor';
import type { TrainConfig } from '../engine/config';

/** Key of metadata.json holding this app's model.json (Keras ignores it; an import uses it to undo the folding). */
export const KERAS_METADATA_KEY = 'lstm_playground';
/** The Keras 3 archive layout this writer follows (config.json + metadata.json + model.weights.h5). */
export const KERAS_FORMAT_VERSION = '3.0.0';

/** Why this model has no Keras export (null when it has one). */
export function kerasProblem(manifest: Pick<ModelManifest, 'transform'>): string | null {
  return kerasTransformProblem(manifest, 'Keras');
}

type Serialized = { module: string; class_name: string; config: Record<string, unknown>; registered_name: null };
const layer = (class_name: string, config: Record<string, unknown>): Serialized => ({ module: 'keras.layers', class_name, config, registered_name: null });

function recurrent(name: string, c: TrainConfig, returnSequences: boolean): Serialized {
  const config: Record<string, unknown> = {
    name,
    trainable: true,
    return_sequences: returnSequences,
    return_state: false,
    go_backwards: false,
    stateful: false,
    unroll: false,
    units: c.hiddenSize,
    activation: 'tanh',
    use_bias: true,
  };
  if (c.cell !== 'rnn') config.recurrent_activation = 'sigmoid';
  if (c.cell === 'gru') config.reset_after = true;
  return layer(KERAS_CLASS[c.cell], config);
}

function serialize(l: StackLayer, c: TrainConfig): Serialized {
  switch (l.kind) {
    case 'embedding':
      return layer('Embedding', { name: l.name, trainable: true, input_dim: l.inputDim, output_dim: l.outputDim, mask_zero: false });
    case 'recurrent': {
      const cell = recurrent(l.bidirectional ? l.innerName : l.name, c, l.returnSequences);
      return l.bidirectional ? layer('Bidirectional', { name: l.name, trainable: true, merge_mode: 'concat', layer: cell }) : cell;
    }
    case 'reshape':
      return layer('Reshape', { name: l.name, trainable: true, target_shape: l.targetShape });
    case 'cropping2d':
      return layer('Cropping2D', { name: l.name, trainable: true, cropping: l.cropping, data_format: 'channels_last' });
    case 'dense':
      return layer('Dense', { name: l.name, trainable: true, units: l.units, activation: 'linear', use_bias: true });
  }
}

/** config.json: the Sequential, an InputLayer first (so Keras builds it before loading the weights). */
export function kerasConfig(c: TrainConfig): Record<string, unknown> {
  const text = c.vocabSize > 0;
  const batchShape = text ? [null, c.window] : [null, c.window, c.inputSize];
  const input = layer('InputLayer', { batch_shape: batchShape, dtype: text ? 'int32' : 'float32', sparse: false, name: 'input_layer' });
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'lstm_playground', trainable: true, layers: [input, ...stackLayers(c).map((l) => serialize(l, c))], build_input_shape: batchShape },
    registered_name: null,
    build_config: { input_shape: batchShape },
    compile_config: null,
  };
}

/**
 * model.weights.h5's groups and datasets as Keras 3's saving_lib lays them out: `vars` per saveable, the layers of
 * the Sequential under `layers/<snake_case class>[_n]`, a recurrent layer's variables under its `cell`, a
 * Bidirectional's under `forward_layer` / `backward_layer`; variables numbered in creation order.
 */
export function kerasWeightEntries(manifest: ModelManifest, params: NamedTensor[]): { groups: string[]; datasets: H5Dataset[] } {
  const w = toKerasWeights(manifest, params);
  const groups = ['vars', 'layers'];
  const datasets: H5Dataset[] = [];
  const put = (path: string, t: { shape: number[]; data: Float32Array }) => datasets.push({ path, shape: t.shape, data: t.data });
  for (const l of stackLayers(manifest.config)) {
    const base = `layers/${l.name}`;
    groups.push(`${base}/vars`);
    if (l.kind === 'embedding') put(`${base}/vars/0`, w.embedding!);
    if (l.kind === 'dense') {
      put(`${base}/vars/0`, w.head.kernel);
      put(`${base}/vars/1`, w.head.bias);
    }
    if (l.kind === 'recurrent') {
      const owners = l.bidirectional ? [`${base}/forward_layer`, `${base}/backward_layer`] : [base];
      owners.forEach((owner, d) => {
        const cw = w.layers[l.layer][d];
        groups.push(`${owner}/vars`, `${owner}/cell/vars`);
        put(`${owner}/cell/vars/0`, cw.kernel);
        put(`${owner}/cell/vars/1`, cw.recurrentKernel);
        put(`${owner}/cell/vars/2`, cw.bias);
      });
    }
  }
  return { groups, datasets };
}

/**
 * model.keras for any cell (LSTM, GRU, SimpleRNN), stacked, bidirectional, embedding; throws with the reason for a
 * target transform the layers cannot express. Load with keras.saving.load_model("model.keras"); predict() takes raw
 * float32 [batch, window, features] in inputColumns order (int32 token ids [batch, window] for text).
 */
export async function buildKerasModel(manifest: ModelManifest, params: NamedTensor[], now: Date = new Date()): Promise<Uint8Array> {
  const problem = kerasProblem(manifest);
  if (problem) throw new Error(`No Keras export: ${problem}.`);
  const { groups, datasets } = kerasWeightEntries(manifest, params);
  const h5 = await writeH5(groups, datasets);
  const pad = (n: number) => String(n).padStart(2, '0');
  const dateSaved = `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}-${pad(now.getUTCDate())}@${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}`;
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved, producer: `lstm-playground ${APP_VERSION}`, [KERAS_METADATA_KEY]: manifest };
  // Stored, not deflated, as Keras's own zipfile writer does; the order is Keras's too.
  return zipSync(
    {
      'metadata.json': strToU8(JSON.stringify(metadata)),
      'config.json': strToU8(JSON.stringify(kerasConfig(manifest.config))),
      'model.weights.h5': h5,
    },
    { level: 0, mtime: now },
  );
}
