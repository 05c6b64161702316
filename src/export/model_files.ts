// One export path for UI and CLI (safetensors, model.json, model.onnx, Python scripts, TF.js, Keras) and the validated import back.
import type { TrainConfig } from '../engine/config';
import { buildModelManifest, MODEL_FORMAT, type DataDescription, type ModelManifest } from './manifest';
import { parseModelManifest } from './manifest_parse';
import { buildOnnxModel } from './onnx_export';
import { buildGenerateOnnx } from './onnx_generate';
import { loadInPytorchScript } from './python_load';
import { trainPytorchScript } from './python_train';
import { decodeSafetensors, encodeSafetensors, WeightFileError, type DecodeOptions } from './safetensors';
import { engineName, stateDictShapes, toStateDict } from './state_dict';
import type { NamedTensor } from '../engine/tensor';
import { buildTfjsModel, tfjsProblem, type TfjsFiles } from './tfjs_export';
import { buildKerasModel, kerasProblem } from './keras_export';

export interface ModelFiles {
  manifest: ModelManifest;
  /** model.safetensors */
  safetensors: Uint8Array;
  /** model.json (pretty-printed) */
  json: string;
  /** model.onnx */
  onnx: Uint8Array;
  /** load_in_pytorch.py */
  loadScript: string;
  /** train_pytorch.py */
  trainScript: string;
}

/** model.safetensors: the state_dict of the exported module, metadata `format` and `config` (JSON) as strings. */
export function encodeModelSafetensors(params: NamedTensor[], config: TrainConfig): Uint8Array {
  return encodeSafetensors(toStateDict(params, config), { format: MODEL_FORMAT, config: JSON.stringify(config) });
}

/** Builds every exported file from the engine's parameters (readParameters()), the config and the data description. */
export function exportModelFiles(
  params: NamedTensor[],
  config: TrainConfig,
  data: DataDescription,
  metrics: Record<string, number> = {},
  createdAt: Date = new Date(),
): ModelFiles {
  const manifest = buildModelManifest(config, data, metrics, createdAt);
  return {
    manifest,
    safetensors: encodeModelSafetensors(params, config),
    json: `${JSON.stringify(manifest, null, 2)}\n`,
    onnx: manifest.task === 'generate' ? buildGenerateOnnx(manifest, params) : buildOnnxModel(manifest, params),
    loadScript: loadInPytorchScript(manifest),
    trainScript: trainPytorchScript(manifest),
  };
}

/** Caps on the weight file (defaults: 1 GiB file, 1 MiB header). */
export type LoadOptions = DecodeOptions;

export interface LoadedModel {
  config: TrainConfig;
  /** Engine names (weight_ih_l0, head.weight, …), ready for RecurrentTrainer.writeParameters. */
  tensors: NamedTensor[];
  manifest: ModelManifest;
}

const SHAPE_FIELDS = ['cell', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'outputSize', 'vocabSize'] as const;

function fail(message: string): never {
  throw new WeightFileError(`model.safetensors: ${message}`);
}

/** Which cell a set of state_dict keys belongs to, from their `lstm.` / `gru.` / `rnn.` prefix (null if none). */
function cellOfKeys(keys: string[]): string | null {
  const prefixes = new Set(keys.map((k) => /^(lstm|gru|rnn)\./.exec(k)?.[1]).filter((p): p is string => p !== undefined));
  return prefixes.size === 1 ? [...prefixes][0] : null;
}

/**
 * Reads model.safetensors + model.json, trusting nothing: size and header caps, prototype keys, F32 only, contiguous
 * in-bounds offsets, finite values (decodeSafetensors); the manifest's schema and consistency (parseModelManifest);
 * then that the weights' metadata, names and shapes are exactly the model the manifest configures.
 * Throws WeightFileError naming the file and the problem.
 */
export function loadModelFiles(safetensorsBytes: Uint8Array, manifestJsonText: string, opts: LoadOptions = {}): LoadedModel {
  const manifest = parseModelManifest(manifestJsonText);
  const config = manifest.config;
  let decoded;
  try {
    decoded = decodeSafetensors(safetensorsBytes, opts);
  } catch (e) {
    if (e instanceof WeightFileError) fail(e.message);
    throw e;
  }
  const { tensors, metadata } = decoded;
  const keys = tensors.map((t) => t.name);
  const fileCell = cellOfKeys(keys);
  if (fileCell !== null && fileCell !== config.cell) {
    fail(`the weights are for a ${fileCell.toUpperCase()} (keys ${fileCell}.*) but model.json configures a ${config.cell.toUpperCase()}.`);
  }
  if (metadata.format !== undefined && metadata.format !== MODEL_FORMAT) {
    fail(`metadata format is ${JSON.stringify(metadata.format)}, expected ${JSON.stringify(MODEL_FORMAT)}.`);
  }
  if (metadata.config !== undefined) {
    let fileConfig: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(metadata.config);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      fileConfig = parsed as Record<string, unknown>;
    } catch {
      fail('the metadata entry "config" is not a JSON object.');
    }
    const differ = SHAPE_FIELDS.filter((f) => fileConfig[f] !== config[f]);
    if (differ.length > 0) {
      fail(
        `the weights were saved for a different model than model.json describes: ` +
          differ.map((f) => `${f} ${JSON.stringify(fileConfig[f])} in the weights vs ${JSON.stringify(config[f])} in model.json`).join(', ') +
          '.',
      );
    }
  }
  const expected = stateDictShapes(config);
  const byKey = new Map(tensors.map((t) => [t.name, t]));
  const missing = expected.filter((e) => !byKey.has(e.key)).map((e) => e.key);
  if (missing.length > 0) fail(`missing tensor${missing.length === 1 ? '' : 's'} ${missing.join(', ')} that the configured model needs.`);
  const known = new Set(expected.map((e) => e.key));
  const unexpected = keys.filter((k) => !known.has(k));
  if (unexpected.length > 0) fail(`unexpected tensor${unexpected.length === 1 ? '' : 's'} ${unexpected.map((k) => JSON.stringify(k)).join(', ')} for the configured model.`);
  const out = expected.map(({ key, shape }) => {
    const t = byKey.get(key)!;
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      fail(`tensor ${key} has shape [${t.shape.join(', ')}] but the configured model needs [${shape.join(', ')}].`);
    }
    return { name: engineName(key, config.cell)!, shape: t.shape, data: t.data };
  });
  return { config, tensors: out, manifest };
}

/** The Keras-family exports of a model: each its files, or the reason it is refused (a plain sentence). */
export interface LayersFiles {
  /** tfjs/model.json + tfjs/group1-shard1of1.bin (LSTM and SimpleRNN models). */
  tfjs: { files: TfjsFiles } | { refused: string };
  /** model.keras (every cell). */
  keras: { bytes: Uint8Array } | { refused: string };
}

/** Builds the TF.js and Keras exports (raw values in, original units out), or says why a format cannot hold the model. */
export async function exportLayersFiles(manifest: ModelManifest, params: NamedTensor[]): Promise<LayersFiles> {
  const tfjsWhy = tfjsProblem(manifest);
  const kerasWhy = kerasProblem(manifest);
  return {
    tfjs: tfjsWhy ? { refused: tfjsWhy } : { files: buildTfjsModel(manifest, params) },
    keras: kerasWhy ? { refused: kerasWhy } : { bytes: await buildKerasModel(manifest, params) },
  };
}
