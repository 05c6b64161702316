// One headless training run: a session on the engine chosen for this machine (WebGPU through Dawn, or the CPU engine),
// final metrics in original units, every model file written out.
import type { DataTable } from '../data/table';
import type { LanguageMetrics } from '../data/lm_baselines';
import type { SplitArrays, TrainingChoices, TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import type { BuildEngine } from '../training/engine_factory';
import { exportModelFiles } from '../export/model_files';
import type { NamedTensor } from '../engine/tensor';
import { trainingDataOf } from '../training/from_training_set';
import { requestNodeDevice } from '../gpu/node_device';
import type { EnginePreference } from '../training/engine_choice';
import { headlessEngines } from './headless_engines';
import { TrainingSession } from '../training/session';
import type { Checkpoint, DeviceFactory, EndReason, EpochRecord, TrainingSnapshot } from '../training/types';
import { describeTrainingData } from './data_description';
import { predictInBatches } from './engine_predict';
import { languageScore } from './lm_score';
import { sampleText, type SampleOptions } from './sampling';
import { StepModel } from './step_model';
import { classificationScore, forecastScore, jsonWithNulls, type ClassificationScore, type ForecastScore } from './metrics';
import { writeModelDir } from './model_dir';
import { writeLayersFiles } from './layers_files';
import { finalDiagnosis, runRecorder } from './run_diagnosis';
import type { Finding } from '../training/diagnosis_types';

export interface TrainRunOptions {
  /** The parsed CSV; null for a plain-text file (text generation). */
  table: DataTable | null;
  choices: TrainingChoices;
  set: TrainingSet;
  /** Complete config (the data's fields already filled in). */
  config: TrainConfig;
  datasetName: string;
  outDir: string;
  /** Early-stopping patience in epochs (0 = off). */
  patience?: number;
  onEpoch?: (record: EpochRecord, snapshot: TrainingSnapshot) => void;
  onSnapshot?: (snapshot: TrainingSnapshot) => void;
  /** Sees the session once it exists (to stop it on Ctrl-C). */
  onSession?: (session: TrainingSession) => void;
  deviceFactory?: DeviceFactory;
  /** Which engine trains ('auto' when absent: the CPU engine on a software adapter, WebGPU on a GPU; engine_choice.ts). */
  engine?: EnginePreference;
  /** Hears which engine was chosen and why (the CLI prints it on stderr). */
  onEngine?: (line: string) => void;
  /** Continue this checkpoint (tune: the best trial, with config.epochs at its epoch, is written without training more). */
  resumeFrom?: Checkpoint;
  /** Text generation: after each epoch, write a sample from the current weights (kept in metrics.json's `samples`). */
  sampleEachEpoch?: SampleOptions & { prime: string };
  onSample?: (sample: EpochSample) => void;
}

/** Text written from the weights at the end of an epoch. */
export interface EpochSample {
  epoch: number;
  elapsedMs: number;
  prime: string;
  text: string;
}

export interface MetricsReport {
  task: TrainingSet['task'];
  dataset: string;
  /** How training ended, and the session's explanation (divergence, early stopping). */
  result: { reason: EndReason; message: string | null };
  /** Final metrics are in the data's original units (normalizedMse excepted). */
  units: 'original';
  outputs: string[];
  counts: { train: number; validation: number; test: number };
  /** Validation loss of the untrained model (normalized units, as the training loss). */
  untrainedValLoss: number;
  /** Per-epoch losses (normalized units) and learning rate. */
  epochs: EpochRecord[];
  bestEpoch: number | null;
  elapsedMs: number;
  validation: ForecastScore | ClassificationScore | LanguageMetrics | null;
  test: ForecastScore | ClassificationScore | LanguageMetrics | null;
  /** Forecast: the target transform used ('none', 'difference', 'seasonal-difference', 'log', 'window-normalize'). */
  transform?: string;
  /** The baselines on the same splits (from the training set). */
  baselines: TrainingSet['baselines'];
  /** What the run's checks saw and what to try (empty when the run looks healthy): see src/training/diagnosis.ts. */
  diagnosis?: Finding[];
  /** Text generation with sampling on: a sample after each epoch. */
  samples?: EpochSample[];
  /** What trained: 'webgpu' with its adapter, or 'cpu' (the CPU engine, float32). */
  engine: { kind: 'webgpu' | 'cpu'; adapter?: string };
}

export interface TrainRunResult {
  reason: EndReason;
  message: string | null;
  /** Files written (empty when the run failed before any weights existed). */
  files: string[];
  metrics: MetricsReport | null;
  /** One line per export format skipped (a TF.js GRU, a transform Keras cannot express), with the reason. */
  notes?: string[];
}

const allFinite = (params: NamedTensor[]) => params.every((t) => t.data.every(Number.isFinite));

/** Trains, evaluates and writes the run. A 'failed' session writes nothing; every other end writes the weights it has. */
export async function runTraining(o: TrainRunOptions): Promise<TrainRunResult> {
  const factory = o.deviceFactory ?? requestNodeDevice;
  const { engines, first, release } = await headlessEngines(o.engine ?? 'auto', factory, o.onEngine);
  const recorder = runRecorder(o.config, o.patience ?? 0, o.set);
  const samples: EpochSample[] = [];
  const pending: Promise<void>[] = [];
  let sessionRef: TrainingSession | null = null;
  const onEpoch = (record: EpochRecord, snapshot: TrainingSnapshot) => {
    o.onEpoch?.(record, snapshot);
    const s = o.sampleEachEpoch;
    if (!s || !sessionRef || !o.set.vocabulary || record.epoch === 0) return;
    const level = o.choices.task === 'generate' ? (o.choices.tokens ?? 'char') : 'char';
    const vocabulary = { tokens: o.set.vocabulary, level, padId: 0, unknownId: 1 } as const;
    pending.push(
      sessionRef.exportParameters().then((params) => {
        const sample = { epoch: record.epoch, elapsedMs: Math.round(snapshot.elapsedMs), prime: s.prime, text: sampleText(new StepModel(o.config, params), vocabulary, s.prime, s).text };
        samples.push(sample);
        o.onSample?.(sample);
      }),
    );
  };
  const session = new TrainingSession({
    config: o.config,
    data: trainingDataOf(o.set, [o.datasetName, JSON.stringify(o.choices)], o.config.headOn),
    engines,
    earlyStoppingPatience: o.patience ?? 0,
    resumeFrom: o.resumeFrom,
    callbacks: { onEpochEnd: onEpoch, onSnapshot: (s) => (recorder.noteSnapshot(s), o.onSnapshot?.(s)) },
  });
  sessionRef = session;
  o.onSession?.(session);
  try {
    const result = await session.start();
    await Promise.all(pending);
    if (result.reason === 'failed') return { reason: result.reason, message: result.message, files: [], metrics: null };
    const params = await goodParameters(session);
    // after a device loss the factory builds on the new device
    const build = engines.build;
    const level = o.choices.task === 'generate' ? (o.choices.tokens ?? 'char') : 'char';
    const scores = await evaluate(build, o.config, o.set, params, level);
    const history = result.snapshot.history;
    const diagnosis = await finalDiagnosis(recorder, { build, config: o.config, set: o.set, params, history, reason: result.reason, validation: scores.validation });
    const metrics: MetricsReport = {
      task: o.set.task,
      dataset: o.datasetName,
      result: { reason: result.reason, message: result.message },
      units: 'original',
      outputs: o.set.outputNames.slice(),
      counts: { train: o.set.train.count, validation: o.set.validation.count, test: o.set.test.count },
      untrainedValLoss: history.find((h) => h.epoch === 0)?.valLoss ?? NaN,
      epochs: history.filter((h) => h.epoch > 0),
      bestEpoch: result.snapshot.bestEpoch,
      elapsedMs: result.snapshot.elapsedMs,
      validation: scores.validation,
      test: scores.test,
      ...(o.set.transform ? { transform: o.set.transform.name } : {}),
      baselines: o.set.baselines,
      diagnosis,
      ...(o.sampleEachEpoch ? { samples: samples.sort((a, b) => a.epoch - b.epoch) } : {}),
      engine: engines.kind === 'webgpu' ? { kind: 'webgpu', adapter: (engines.context ?? first)?.adapterInfo } : { kind: 'cpu' },
    };
    const data = describeTrainingData(o.table, o.choices, o.set, o.datasetName);
    const files = exportModelFiles(params, o.config, data, flatMetrics(metrics));
    const written = writeModelDir(o.outDir, files, `${jsonWithNulls(metrics, 2)}\n`);
    const layers = await writeLayersFiles(o.outDir, files.manifest, params);
    return { reason: result.reason, message: result.message, files: [...written, ...layers.written], metrics, notes: layers.notes };
  } finally {
    await session.dispose();
    release();
  }
}

/** The session's current weights, or the last good checkpoint's when those hold a non-finite value. */
async function goodParameters(session: TrainingSession): Promise<NamedTensor[]> {
  const params = await session.exportParameters();
  if (allFinite(params)) return params;
  const cp = session.lastCheckpoint();
  if (cp && allFinite(cp.parameters)) return cp.parameters;
  throw new Error('Training produced no finite weights to save (even the last checkpoint holds NaN or infinity).');
}

async function evaluate(build: BuildEngine, config: TrainConfig, set: TrainingSet, params: NamedTensor[], level: 'char' | 'word') {
  const trainer = await build(config);
  try {
    trainer.writeParameters(params);
    const score = async (split: SplitArrays) => {
      if (split.count === 0) return null;
      if (set.task === 'generate') return languageScore(trainer, config, split, level);
      const out = await predictInBatches(trainer, config, split.x, split.count);
      if (set.loss === 'cross_entropy') return classificationScore(out, split.y, set.classNames ?? set.outputNames);
      return forecastScore(out, split.y, set.normalization?.targets ?? [], split.decoder);
    };
    return { validation: await score(set.validation), test: await score(set.test) };
  } finally {
    trainer.dispose();
  }
}

/** model.json's metrics: the final losses and the headline validation/test numbers, flat. */
function flatMetrics(m: MetricsReport): Record<string, number> {
  const out: Record<string, number> = {};
  const last = m.epochs.at(-1);
  if (last) {
    out.train_loss = last.trainLoss;
    out.val_loss = last.valLoss;
  }
  for (const [prefix, s] of [['val', m.validation], ['test', m.test]] as const) {
    if (!s) continue;
    if ('perplexity' in s) Object.assign(out, { [`${prefix}_bits_per_${s.bitsPerChar !== undefined ? 'char' : 'token'}`]: s.bitsPerChar ?? s.bitsPerToken!, [`${prefix}_perplexity`]: s.perplexity });
    else if ('mse' in s) Object.assign(out, { [`${prefix}_mse`]: s.mse, [`${prefix}_rmse`]: s.rmse, [`${prefix}_mae`]: s.mae });
    else Object.assign(out, { [`${prefix}_accuracy`]: s.accuracy, [`${prefix}_macro_f1`]: s.macroF1 });
  }
  return out;
}
