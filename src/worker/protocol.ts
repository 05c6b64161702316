// Typed messages between the UI thread and the training worker (commands in, events out).
import type { TrainConfig } from '../engine/config';
import type { Normalization } from '../data/forecast_dataset';

/** Lifecycle of one training run, as the UI shows it. */
export type TrainingState = 'idle' | 'training' | 'paused' | 'done' | 'error';

/** Mean losses of one finished epoch (normalized units; NaN where nothing was measured). */
export interface EpochLoss {
  epoch: number;
  trainLoss: number;
  valLoss: number;
}

/** The windowed, normalized data the worker trains on (arrays are copies; the UI keeps its own). */
export interface WorkerDataset {
  name: string;
  column: string;
  window: number;
  inputSize: 1;
  outputSize: 1;
  trainCount: number;
  valCount: number;
  trainX: Float32Array;
  trainY: Float32Array;
  valX: Float32Array;
  valY: Float32Array;
  normalization: Normalization;
}

/** What the UI draws: posted at most ~10 times a second, and always at epoch end and when a run ends. */
export interface TrainingSnapshot {
  state: TrainingState;
  /** Epochs completed in this run. */
  epoch: number;
  /** Epochs asked for in this run. */
  epochs: number;
  /** Optimizer steps taken in this run. */
  step: number;
  stepsPerEpoch: number;
  /** Running mean of this epoch's training loss, or the last epoch's mean at epoch end. */
  trainLoss: number;
  /** Validation loss of the last completed epoch. */
  valLoss: number;
  history: EpochLoss[];
  elapsedMs: number;
}

export type WorkerCommand =
  | { type: 'load-data'; dataset: WorkerDataset }
  | { type: 'configure'; config: TrainConfig }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'export' };

export type WorkerEvent =
  | { type: 'ready'; adapterInfo: string }
  | { type: 'snapshot'; snapshot: TrainingSnapshot }
  | { type: 'epoch-end'; loss: EpochLoss }
  | { type: 'error'; message: string }
  | { type: 'done'; snapshot: TrainingSnapshot; stopped: boolean }
  | { type: 'exported'; safetensors: Uint8Array; json: string };

export const IDLE_SNAPSHOT: TrainingSnapshot = {
  state: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  stepsPerEpoch: 0,
  trainLoss: NaN,
  valLoss: NaN,
  history: [],
  elapsedMs: 0,
};
