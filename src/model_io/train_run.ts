// One headless training run: session on a Node device, final metrics in original units, every model file written out.
import type { DataTable } from '../data/table';
import type { Baseline } from '../data/baselines';
import type { SplitArrays, TrainingChoices, TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import { exportModelFiles } from '../export/model_files';
import type { NamedTensor } from '../engine/tensor';
import { trainingDataOf } from '../training/from_training_set';
import { requestNodeDevice } from '../gpu/node_device';
import { gpuEngines } from '../training/engine_factory';
import { TrainingSession } from '../training/session';
import type { DeviceFactory, EndReason, EpochRecord, TrainingSnapshot } from '../training/types';
import { describeTrainingData } from './data_description';
import { predictInBatches } from './engine_predict';
import { classificationScore, forecastScore, jsonWithNulls, type ClassificationScore, type ForecastScore } from './metrics';
import { writeModelDir } from './model_dir';

export interface TrainRunOptions {
  table: DataTable;
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
  validation: ForecastScore | ClassificationScore | null;
  test: ForecastScore | ClassificationScore | null;
  /** The baselines on the same splits (from the training set). */
  baselines: Baseline[];
}

export interface TrainRunResult {
  reason: EndReason;
  message: string | null;
  /** Files written (empty when the run failed before any weights existed). */
  files: string[];
  metrics: MetricsReport | null;
}

const allFinite = (params: NamedTensor[]) => params.every((t) => t.data.every(Number.isFinite));

/** Trains, evaluates and writes the run. A 'failed' session writes nothing; every other end writes the weights it has. */
export async function runTraining(o: TrainRunOptions): Promise<TrainRunResult> {
  const factory = o.deviceFactory ?? requestNodeDevice;
  const first = await factory();
  const session = new TrainingSession({
    config: o.config,
    data: trainingDataOf(o.set, [o.datasetName, JSON.stringify(o.choices)], o.config.headOn),
    engines: gpuEngines(first, factory),
    earlyStoppingPatience: o.patience ?? 0,
    callbacks: { onEpochEnd: o.onEpoch, onSnapshot: o.onSnapshot },
  });
  o.onSession?.(session);
  try {
    const result = await session.start();
    if (result.reason === 'failed') return { reason: result.reason, message: result.message, files: [], metrics: null };
    const params = await goodParameters(session);
    const device = (session.deviceContext ?? first).device;
    const scores = await evaluate(device, o.config, o.set, params);
    const history = result.snapshot.history;
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
      baselines: o.set.baselines,
    };
    const data = describeTrainingData(o.table, o.choices, o.set, o.datasetName);
    const files = exportModelFiles(params, o.config, data, flatMetrics(metrics));
    const written = writeModelDir(o.outDir, files, `${jsonWithNulls(metrics, 2)}\n`);
    return { reason: result.reason, message: result.message, files: written, metrics };
  } finally {
    const last = session.deviceContext;
    await session.dispose();
    last?.device.destroy();
    if (last !== first) first.device.destroy();
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

async function evaluate(device: GPUDevice, config: TrainConfig, set: TrainingSet, params: NamedTensor[]) {
  const trainer = await RecurrentTrainer.create(device, config);
  try {
    trainer.writeParameters(params);
    const score = async (split: SplitArrays) => {
      if (split.count === 0) return null;
      const out = await predictInBatches(trainer, config, split.x, split.count);
      if (set.loss === 'cross_entropy') return classificationScore(out, split.y, set.classNames ?? set.outputNames);
      return forecastScore(out, split.y, set.normalization?.targets ?? []);
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
    if ('mse' in s) Object.assign(out, { [`${prefix}_mse`]: s.mse, [`${prefix}_rmse`]: s.rmse, [`${prefix}_mae`]: s.mae });
    else Object.assign(out, { [`${prefix}_accuracy`]: s.accuracy, [`${prefix}_macro_f1`]: s.macroF1 });
  }
  return out;
}
