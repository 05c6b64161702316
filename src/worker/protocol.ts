// Typed messages between the UI thread and the training worker (commands in, events out), and the views they carry.
import type { TrainConfig } from '../engine/config';
import type { Baseline, ColumnType, DatasetShape, Task, TrainingChoices, TrainingCounts, TrainingSet, TransformName } from '../data/index';
import type { ColumnUse } from '../data/column_use';
import type { ExampleId } from '../data/examples/index';
import type { RunRecord } from '../storage/checkpoint_store';
import { IDLE_SNAPSHOT, type EndReason, type EpochRecord, type TrainingSnapshot, type TrainingState } from '../training/types';
import type { Finding } from '../training/diagnosis_types';
import type { EnginePreference } from '../training/engine_choice';
import type { TuneEnd, TuneSnapshot } from '../training/tune_runner';
import type { VarySpec } from '../training/tune_space';
import type { TuneStrategy } from '../training/tune_strategy';

export { IDLE_SNAPSHOT };
export type { TrainingSnapshot, TrainingState };

/** Losses of one finished epoch (normalized units; NaN where nothing was measured). Epoch 0 is the untrained model. */
export type EpochLoss = EpochRecord;

export type { ColumnUse, ExampleId };

export interface ColumnView {
  name: string;
  index: number;
  /** The parser's storage: numbers, dates, or text. */
  kind: 'number' | 'date' | 'text';
  type: ColumnType;
  /** Uses a person may pick for this column (the first is the inferred one). */
  uses: ColumnUse[];
  missing: number;
  invalid: number;
  distinct: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  dateFormat: string | null;
}

/** What a training set built from the choices holds (its arrays stay in the worker). */
export interface SetSummary {
  task: Task;
  window: number;
  inputSize: number;
  outputSize: number;
  vocabSize: number;
  loss: TrainConfig['loss'];
  featureNames: string[];
  outputNames: string[];
  classNames: string[] | null;
  horizon: number | null;
  targets: string[] | null;
  counts: TrainingCounts;
  baselines: TrainingSet['baselines'];
  notes: string[];
  /** Forecast: the target transform the set was built with (chosen or picked from the data). */
  transform?: { name: TransformName; season: number | null };
}

/** The loaded table as the data panel shows it. */
export interface DataView {
  /** Changes with every load, so the UI knows a new table arrived. */
  loadId: number;
  name: string;
  example: ExampleId | null;
  rows: number;
  columns: ColumnView[];
  warnings: string[];
  shape: DatasetShape;
  suggestedTask: Task;
  reason: string;
  delimiter: string;
  /** The first rows, column by column: preview[c][r] is the text of column c in row r (sent with a load only). */
  preview: string[][];
  previewRows: number;
  /** The choices the set was built with (null while they do not build: see problem). */
  choices: TrainingChoices | null;
  set: SetSummary | null;
  /** Why the current choices do not make a training set (the person can change them). */
  problem: string | null;
}

/** Gate activations and gradient flow of one validation sequence (from RecurrentTrainer.probe or the CPU engine). */
export interface ProbeView {
  step: number;
  epoch: number;
  sample: number;
  layer: number;
  direction: number;
  cell: TrainConfig['cell'];
  window: number;
  hidden: number;
  names: string[];
  /** values[k] is gate names[k] as [T][H] flattened. */
  values: Float32Array[];
  gradNorm: Float32Array;
  loss: number;
  /** Text generation: the passage's token at each time step (the characters along the time axis). */
  tokens?: string[];
}

export interface ProbeSettings {
  sample: number;
  layer: number;
  direction: number;
}

export interface ForecastEvaluation {
  kind: 'forecast';
  target: string;
  horizon: number;
  /** 1-based data row (or time text) of each point, and the actual value there (original units). */
  x: number[];
  xLabels: string[] | null;
  actual: (number | null)[];
  /** predicted[h][i]: the forecast made h+1 steps before point i (null where none). */
  predicted: (number | null)[][];
  groupNote: string | null;
  metrics: { count: number; mse: number; rmse: number; mae: number; normalizedMse: number } | null;
}

export interface ClassEvaluation {
  kind: 'classify';
  classNames: string[];
  /** confusion[actual][predicted] counts. */
  confusion: number[][];
  perClass: { name: string; precision: number; recall: number; f1: number; support: number }[];
  accuracy: number;
  macroF1: number;
  count: number;
}

/** The run's diagnosis (the Why panel): what the checks saw after the latest epoch, or at the end (final). */
export interface RunDiagnosis {
  epoch: number;
  final: boolean;
  findings: Finding[];
}

export interface Evaluation {
  epoch: number;
  step: number;
  result: ForecastEvaluation | ClassEvaluation;
}

/** Which engine trains: WebGPU, the CPU engine, or none chosen yet (no WebGPU). */
export interface EngineInfo {
  kind: 'webgpu' | 'cpu' | 'none';
  /** Adapter name, "CPU engine …", or why WebGPU is missing. */
  info: string;
  software: boolean;
  /** The WebGPU adapter this browser has, when the CPU engine trains instead (the UI offers to switch to it). */
  adapter?: { info: string; software: boolean };
  /** Why this engine, where it was chosen for the person (engine_choice.ts); absent when they asked for it. */
  why?: string;
}

export type ExportFile = 'safetensors' | 'onnx' | 'json' | 'load-script' | 'train-script' | 'tfjs' | 'keras';

/** Run settings that are not part of the model's TrainConfig. */
export interface RunOptions {
  /** Epochs without a better validation loss before stopping and restoring the best weights (0 = off). */
  earlyStoppingPatience: number;
}

/** A search over model settings on the loaded data (see src/training/tune_strategy.ts); each trial is a saved run. */
export interface TuneRequest {
  strategy: TuneStrategy;
  space: VarySpec[];
  /** Trials to sample (random, halving), or the most grid points to run. */
  trials?: number;
  /** Wall-clock budget in minutes. */
  minutes?: number;
  /** Halving: keep the best 1/eta of each rung (2 or 3). */
  eta?: number;
}

/** Text generation: how the Samples panel writes (sampling.ts's options, a priming text, and whether after every epoch). */
export interface SampleRequest {
  prime: string;
  length: number;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  afterEachEpoch: boolean;
}

/** One written sample: the weights of (epoch, step), the settings, the text, and how long sampling took (CPU, float64). */
export interface SampleView {
  epoch: number;
  step: number;
  settings: SampleRequest;
  text: string;
  ms: number;
  tokensPerSecond: number;
}

export type DataSourceCommand = { kind: 'file'; file: File } | { kind: 'example'; id: ExampleId };

export type WorkerCommand =
  /** Parse a CSV (with progress) and build a training set with suggested choices; a failure keeps the previous data. */
  | { type: 'load'; source: DataSourceCommand; choices?: TrainingChoices }
  /** Rebuild the training set with the person's choices. */
  | { type: 'set-choices'; choices: TrainingChoices; uses: ColumnUse[] }
  | { type: 'configure'; config: TrainConfig; options?: Partial<RunOptions> }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One batch, then pause (starts a paused run first when none is going). */
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'export'; file: ExportFile }
  /** Loads a stored run's checkpoint into a new session (its data is rebuilt from storage). */
  | { type: 'open-run'; runId: string; resume: boolean }
  /** model.safetensors + model.json from a person: validated, then the current model (paused) or a predict-only model. */
  | { type: 'import-model'; safetensors: Uint8Array; json: string }
  /** A .keras archive, or a TF.js layers model.json with its weight files. */
  | { type: 'import-layers-model'; files: { name: string; bytes: Uint8Array }[] }
  /** Predict every input of a CSV with the same schema; answered with a CSV. */
  | { type: 'predict-file'; file: File }
  | { type: 'probe-settings'; settings: ProbeSettings }
  /** Text generation: take these sampling settings, and write a sample from the current weights now when `now`. */
  | { type: 'sample'; request: SampleRequest; now: boolean }
  /** The first command: find the WebGPU adapter and pick the engine for this preference (engine_choice.ts). */
  | { type: 'boot'; engine: EnginePreference }
  /** Train on the CPU engine (no WebGPU here, or a software adapter, or asked for). */
  | { type: 'use-cpu' }
  /** Train on WebGPU again, on the adapter the worker found (a software one included). */
  | { type: 'use-webgpu' }
  /** Run a search (trials one after another, each a normal run); 'stop' ends it. */
  | { type: 'tune'; request: TuneRequest }
  /** Continue a saved search (cut off by a reload, or stopped) where it was: its data restored, finished trials kept. */
  | { type: 'resume-tune'; tuneId: string }
  /** e2e hook: destroy the device and treat it as a loss (reason 'unknown'), so recovery runs. */
  | { type: 'test-lose-device' };

export type WorkerEvent =
  | { type: 'engine'; engine: EngineInfo }
  | { type: 'data-progress'; name: string; bytesRead: number; totalBytes: number | null; rowsRead: number }
  | { type: 'data'; view: DataView }
  | { type: 'data-error'; name: string; message: string; during: 'load' | 'choices' }
  | { type: 'snapshot'; snapshot: TrainingSnapshot }
  | { type: 'epoch-end'; loss: EpochLoss }
  /** Something went wrong and was handled (a recovered device loss); training goes on. */
  | { type: 'notice'; message: string }
  | { type: 'error'; message: string; kind?: 'diverged' | 'device-lost' | 'setup' | 'data' | 'internal' | 'storage' | 'export' | 'import' }
  | { type: 'done'; snapshot: TrainingSnapshot; stopped: boolean; reason: EndReason; message: string | null }
  | { type: 'probe'; probe: ProbeView }
  | { type: 'sample'; sample: SampleView }
  | { type: 'evaluation'; evaluation: Evaluation }
  | { type: 'diagnosis'; diagnosis: RunDiagnosis }
  | { type: 'exported'; file: ExportFile; files: { name: string; mime: string; bytes: Uint8Array }[] }
  | { type: 'model'; model: ModelInfo }
  | { type: 'predictions'; name: string; csv: string; rows: number; notes: string[] }
  /**
   * The search's trials and the trial training now (at most ~10 a second, and when it ends); runIds: each trial's
   * saved run, once it has one; tuneId: the search's saved record (null where nothing is stored).
   */
  | { type: 'tune'; snapshot: TuneSnapshot; runIds: Record<number, string>; tuneId?: string | null }
  /** The search ended: why, its best trial and that trial's saved run (null without storage). */
  | { type: 'tune-done'; reason: TuneEnd; best: number | null; bestRunId: string | null }
  /** The active run's stored record changed (created, status, or a checkpoint saved). */
  | { type: 'run'; run: RunRecord; saved: boolean };

/** The model export and prediction use now. */
export interface ModelInfo {
  source: 'trained' | 'imported';
  config: TrainConfig;
  /** Imported: whether it trains on the loaded data (else it only predicts). */
  trainable: boolean;
  description: string;
  patience?: number;
}
