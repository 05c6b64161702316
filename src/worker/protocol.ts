// Typed messages between the UI thread and the training worker (commands in, events out).
import type { TrainConfig } from '../engine/config';
import type { Normalization } from '../data/forecast_dataset';
import type { RunRecord, SeriesSource } from '../storage/checkpoint_store';
import { IDLE_SNAPSHOT, type EndReason, type EpochRecord, type TrainingSnapshot, type TrainingState } from '../training/types';

export { IDLE_SNAPSHOT };
export type { TrainingSnapshot, TrainingState };

/** Losses of one finished epoch (normalized units; NaN where nothing was measured). Epoch 0 is the untrained model. */
export type EpochLoss = EpochRecord;

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
  /** The series the windows came from; stored with the run so a reload can rebuild the same data. */
  source?: SeriesSource;
}

/** Run settings that are not part of the model's TrainConfig. */
export interface RunOptions {
  /** Epochs without a better validation loss before stopping and restoring the best weights (0 = off). */
  earlyStoppingPatience: number;
}

export type WorkerCommand =
  | { type: 'load-data'; dataset: WorkerDataset }
  | { type: 'configure'; config: TrainConfig; options?: Partial<RunOptions> }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'resume' }
  /** One batch, then pause (starts a paused run first when none is going). */
  | { type: 'step' }
  | { type: 'stop' }
  | { type: 'export' }
  /** Loads a stored run's checkpoint into a new session (the matching data must be loaded first). */
  | { type: 'import'; runId: string; resume: boolean }
  /** e2e hook: destroy the device and treat it as a loss (reason 'unknown'), so recovery runs. */
  | { type: 'test-lose-device' };

export type WorkerEvent =
  | { type: 'ready'; adapterInfo: string }
  | { type: 'snapshot'; snapshot: TrainingSnapshot }
  | { type: 'epoch-end'; loss: EpochLoss }
  /** Something went wrong and was handled (a recovered device loss); training goes on. */
  | { type: 'notice'; message: string }
  | { type: 'error'; message: string; kind?: 'diverged' | 'device-lost' | 'setup' | 'data' | 'internal' | 'storage' | 'export' }
  | { type: 'done'; snapshot: TrainingSnapshot; stopped: boolean; reason: EndReason; message: string | null }
  | { type: 'exported'; safetensors: Uint8Array; json: string }
  /** The active run's stored record changed (created, status, or a checkpoint saved). */
  | { type: 'run'; run: RunRecord; saved: boolean };
