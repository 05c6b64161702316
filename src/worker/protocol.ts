// Typed messages between the UI thread and the training worker (commands in, events out), and the views they carry.
import type { TrainConfig } from '../engine/config';
import type { Baseline, ColumnType, DatasetShape, Task, TrainingChoices, TrainingCounts } from '../data/index';
import type { ColumnUse } from '../data/column_use';
import type { ExampleId } from '../data/examples/index';
import type { RunRecord } from '../storage/checkpoint_store';
import { IDLE_SNAPSHOT, type EndReason, type EpochRecord, type TrainingSnapshot, type TrainingState } from '../training/types';

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
  baselines: Baseline[];
  notes: string[];
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
}

export type ExportFile = 'safetensors' | 'onnx' | 'json' | 'load-script' | 'train-script';

/** Run settings that are not part of the model's TrainConfig. */
export interface RunOptions {
  /** Epochs without a better validation loss before stopping and restoring the best weights (0 = off). */
  earlyStoppingPatience: number;
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
  /** Predict every input of a CSV with the same schema; answered with a CSV. */
  | { type: 'predict-file'; file: File }
  | { type: 'probe-settings'; settings: ProbeSettings }
  /** Train on the CPU engine (no WebGPU here). */
  | { type: 'use-cpu' }
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
  | { type: 'evaluation'; evaluation: Evaluation }
  | { type: 'exported'; file: ExportFile; files: { name: string; mime: string; bytes: Uint8Array }[] }
  | { type: 'model'; model: ModelInfo }
  | { type: 'predictions'; name: string; csv: string; rows: number; notes: string[] }
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
