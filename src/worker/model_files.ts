// Model files in and out of the worker: the export bundle of the current model, a validated import, and
// predictions on a new CSV — one code path with the CLI (src/export, src/model_io).
import { parseCsvBlob, targetsFor, trainConfigFields, type TrainingSet } from '../data/index';
import { CpuEngine } from '../engine/cpu_engine';
import type { TrainConfig } from '../engine/config';
import { buildModelManifest, type DataDescription, type ModelManifest } from '../export/manifest';
import { exportLayersFiles, exportModelFiles, loadModelFiles, type LoadedModel } from '../export/model_files';
import { loadKerasModel } from '../export/keras_import';
import { isTfjsModelJson, loadTfjsModel } from '../export/tfjs_import';
import { TFJS_WEIGHTS_FILE } from '../export/tfjs_export';
import { WeightFileError } from '../export/safetensors';
import type { NamedTensor } from '../engine/tensor';
import { buildInferenceInputs } from '../model_io/inference_inputs';
import { predictionsCsv } from '../model_io/predictions_csv';
import { paramLayout } from '../engine/param_layout';
import { queueValidation } from '../training/batches';
import { balancedClassWeights } from '../training/class_weights';
import { initialScheduleState } from '../training/lr_schedule';
import type { Checkpoint, TrainingData, TrainingSnapshot } from '../training/types';
import type { ModelView } from './model_view';
import type { ExportFile } from './protocol';

const MIME: Record<ExportFile, [string, string][]> = {
  safetensors: [['model.safetensors', 'application/octet-stream'], ['model.json', 'application/json']],
  onnx: [['model.onnx', 'application/octet-stream']],
  json: [['model.json', 'application/json']],
  'load-script': [['load_in_pytorch.py', 'text/x-python']],
  'train-script': [['train_pytorch.py', 'text/x-python']],
  tfjs: [['tfjs-model.json', 'application/json'], [TFJS_WEIGHTS_FILE, 'application/octet-stream']],
  keras: [['model.keras', 'application/zip']],
};

/** model.json's data part of a manifest (the fields buildModelManifest adds are left out). */
export function descriptionOf(m: ModelManifest): DataDescription {
  const { format: _f, config: _c, seed: _s, parameters: _p, output: _o, metrics: _m, versions: _v, createdAt: _t, ...data } = m;
  return data;
}

/** Final metrics for model.json: the run's last losses and its epochs. */
export function runMetrics(snap: TrainingSnapshot | null): Record<string, number> {
  if (!snap) return {};
  const last = snap.history.at(-1);
  const best = snap.bestEpoch !== null ? snap.history.find((h) => h.epoch === snap.bestEpoch) : undefined;
  return { epochs: snap.epoch, trainLoss: last?.trainLoss ?? NaN, valLoss: last?.valLoss ?? NaN, bestEpoch: snap.bestEpoch ?? NaN, bestValLoss: best?.valLoss ?? NaN };
}

/** The requested export as files (name, type, bytes); a format that cannot hold the model throws its reason. */
export async function exportBundle(file: ExportFile, params: NamedTensor[], config: TrainConfig, data: DataDescription, metrics: Record<string, number>): Promise<{ name: string; mime: string; bytes: Uint8Array }[]> {
  const files = exportModelFiles(params, config, data, metrics);
  const text = new TextEncoder();
  if (file === 'tfjs' || file === 'keras') {
    const layers = await exportLayersFiles(files.manifest, params);
    const got = layers[file];
    if ('refused' in got) throw new Error(`${file === 'tfjs' ? 'TF.js' : 'Keras'} cannot hold this model: ${got.refused}.`);
    const bytes = 'files' in got ? [text.encode(got.files.json), got.files.weights] : [got.bytes];
    return MIME[file].map(([name, mime], i) => ({ name, mime, bytes: bytes[i] }));
  }
  const bytesOf: Record<string, Uint8Array> = {
    'model.safetensors': files.safetensors,
    'model.json': text.encode(files.json),
    'model.onnx': files.onnx,
    'load_in_pytorch.py': text.encode(files.loadScript),
    'train_pytorch.py': text.encode(files.trainScript),
  };
  return MIME[file].map(([name, mime]) => ({ name, mime, bytes: bytesOf[name] }));
}

/**
 * Opens a .keras archive, or a TF.js model.json (modelTopology + weightsManifest) with its weight files (a model
 * whose input has no fixed number of steps takes `window`, the loaded data's); throws WeightFileError naming the
 * file and what is wrong.
 */
export async function importLayersModel(files: { name: string; bytes: Uint8Array }[], window?: number): Promise<LoadedModel> {
  const keras = files.filter((f) => f.name.toLowerCase().endsWith('.keras'));
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (keras.length === 1 && files.length === 1) return loadKerasModel(keras[0].bytes, { window });
  if (keras.length > 0) throw new WeightFileError(`Choose one .keras file on its own (got ${files.map((f) => JSON.stringify(f.name)).join(', ')}).`);
  if (jsons.length !== 1) throw new WeightFileError(`Choose a TF.js model.json together with its .bin weight files, or one .keras file (got ${files.map((f) => JSON.stringify(f.name)).join(', ') || 'nothing'}).`);
  const text = new TextDecoder().decode(jsons[0].bytes);
  if (!isTfjsModelJson(text)) throw new WeightFileError(`${jsons[0].name} is not a TF.js layers model (it has no modelTopology and weightsManifest); an LSTM Playground model.json goes with model.safetensors.`);
  return loadTfjsModel(text, new Map(files.filter((f) => f !== jsons[0]).map((f) => [f.name, f.bytes])), { window });
}

/** Validates model.safetensors + model.json (throws WeightFileError naming the file and problem). */
export function importModel(safetensors: Uint8Array, json: string): LoadedModel {
  return loadModelFiles(safetensors, json);
}

/** Why an imported model cannot continue training on the loaded set (null when it can). */
export function trainableProblem(config: TrainConfig, set: TrainingSet | null): string | null {
  if (!set) return 'no training set is loaded';
  const wanted = trainConfigFields(set, config.headOn);
  const differ = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((k) => wanted[k] !== config[k]);
  return differ.length === 0 ? null : differ.map((k) => `${k} ${String(config[k])} in the model vs ${String(wanted[k])} for the loaded data`).join(', ');
}

/** Predictions of a model for every input in a CSV of the same schema, as CSV text. */
export async function predictFile(file: Blob, manifest: ModelManifest, params: NamedTensor[], view: ModelView): Promise<{ csv: string; rows: number; notes: string[] }> {
  const table = await parseCsvBlob(file);
  const inputs = buildInferenceInputs(manifest, table);
  const outputs = await view.predict(params, inputs.x, inputs.count);
  return { csv: predictionsCsv(manifest, inputs, outputs), rows: inputs.count, notes: inputs.notes };
}

export function manifestFor(config: TrainConfig, data: DataDescription, metrics: Record<string, number>): ModelManifest {
  return buildModelManifest(config, data, metrics);
}

/**
 * A checkpoint at epoch 0 holding imported weights (fresh optimizer state), so a paused session continues training
 * them on the loaded data; valLoss is the imported model's validation loss there (the curve's first point).
 */
export function importCheckpoint(config: TrainConfig, tensors: NamedTensor[], fingerprint: string, valLoss: number): Checkpoint {
  const P = paramLayout(config).total;
  return {
    version: 1,
    config,
    fingerprint,
    epoch: 0,
    stepInEpoch: 0,
    step: 0,
    parameters: tensors,
    optimizer: { step: 0, moment1: new Float32Array(P), moment2: config.optimizer === 'sgd' ? null : new Float32Array(P) },
    partialTrain: { sum: 0, count: 0 },
    learningRate: config.learningRate,
    schedule: initialScheduleState(config),
    best: { epoch: null, valLoss: Infinity, badEpochs: 0 },
    bestParameters: null,
    history: [{ epoch: 0, trainLoss: NaN, valLoss, learningRate: config.learningRate }],
    elapsedMs: 0,
    finished: false,
    savedAt: Date.now(),
  };
}

/** Validation loss of weights on a training set's validation part (at most 2000 samples), on the CPU engine: the
 *  first point of an imported model's curve. */
export async function validationLoss(cfg: TrainConfig, tensors: NamedTensor[], set: TrainingSet): Promise<number> {
  const v = set.validation;
  const n = Math.min(v.count, 2000);
  const y = targetsFor(set, v, cfg.headOn);
  const engine = new CpuEngine(cfg);
  try {
    engine.writeParameters(tensors);
    if (cfg.classWeights === 'balanced') engine.setClassWeights(balancedClassWeights(targetsFor(set, set.train, cfg.headOn), cfg.outputSize));
    const data: TrainingData = { names: [], trainX: new Float32Array(0), trainY: new Float32Array(0), trainCount: 0, valX: v.x.subarray(0, (v.x.length / v.count) * n), valY: y.subarray(0, (y.length / v.count) * n), valCount: n };
    queueValidation(engine, data, cfg);
    return (await engine.readLosses()).valLoss;
  } finally {
    engine.dispose();
  }
}
