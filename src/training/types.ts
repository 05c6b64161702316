// Shared shapes of the training session: data, snapshots, epoch records, checkpoints, callbacks and results.
import type { TrainConfig } from '../engine/config';
import type { GpuContext } from '../gpu/device';
import type { NamedTensor } from '../engine/tensor';
import type { ScheduleState } from './lr_schedule';

/** Lifecycle of one run as people see it. */
export type TrainingState = 'idle' | 'training' | 'paused' | 'done' | 'error';

/**
 * A training set, batch-first. x: [count][window][inputSize] (token ids [count][window] with an embedding);
 * y: [count][outputSize], class ids [count] for cross-entropy, or per step with a head on every step.
 */
export interface TrainingData {
  /** Names that identify the data (file, column, …); they are part of the fingerprint. */
  names: string[];
  trainX: Float32Array;
  trainY: Float32Array;
  trainCount: number;
  valX: Float32Array;
  valY: Float32Array;
  valCount: number;
  /**
   * The head starts at zero, so the untrained model is the data's naive forecast (a forecast transform makes it
   * persistence or seasonal naive), and the run ends on the weights of its best validation epoch, the untrained one
   * included: training can only improve on that forecast.
   */
  startAtBaseline?: boolean;
}

/** One finished epoch. Epoch 0 is the untrained model (validation only). */
export interface EpochRecord {
  epoch: number;
  /** Mean training loss of the epoch (NaN for epoch 0). */
  trainLoss: number;
  /** Mean validation loss at the end of the epoch (NaN without validation data). */
  valLoss: number;
  /** Learning rate the epoch trained with. */
  learningRate: number;
}

/** What the UI draws; at most ~10 a second while training, and always at epoch end and when a run ends. */
export interface TrainingSnapshot {
  state: TrainingState;
  /** Epochs completed. */
  epoch: number;
  /** Epochs asked for. */
  epochs: number;
  /** Optimizer steps taken in this run. */
  step: number;
  stepsPerEpoch: number;
  /** Batches done in the current epoch. */
  stepInEpoch: number;
  /** Running mean of this epoch's training loss, or the last epoch's mean at epoch end. */
  trainLoss: number;
  /** Validation loss of the last completed epoch. */
  valLoss: number;
  /** Every completed epoch, epoch 0 (the untrained model) first. */
  history: EpochRecord[];
  learningRate: number;
  /** Gradient 2-norm of the most recent step (before clipping). */
  gradNorm: number;
  samplesPerSec: number;
  msPerStep: number;
  /** Training time, pauses excluded. */
  elapsedMs: number;
  /** Epoch with the lowest validation loss so far (null before the first epoch ends). */
  bestEpoch: number | null;
  /** Device losses recovered from in this run. */
  recoveries: number;
}

export const IDLE_SNAPSHOT: TrainingSnapshot = {
  state: 'idle',
  epoch: 0,
  epochs: 0,
  step: 0,
  stepsPerEpoch: 0,
  stepInEpoch: 0,
  trainLoss: NaN,
  valLoss: NaN,
  history: [],
  learningRate: NaN,
  gradNorm: NaN,
  samplesPerSec: NaN,
  msPerStep: NaN,
  elapsedMs: 0,
  bestEpoch: null,
  recoveries: 0,
};

/** Everything needed to continue a run exactly where it was (structured-clone friendly). */
export interface Checkpoint {
  version: 1;
  config: TrainConfig;
  /** SHA-256 of the training arrays and names (see fingerprint.ts). */
  fingerprint: string;
  /** Epochs completed. */
  epoch: number;
  /** Batches done in the current epoch (0 at an epoch boundary). */
  stepInEpoch: number;
  /** Optimizer steps taken in the run. */
  step: number;
  parameters: NamedTensor[];
  optimizer: { step: number; moment1: Float32Array; moment2: Float32Array | null };
  /** Training-loss sum and batch count of the current epoch so far (mid-epoch checkpoints). */
  partialTrain: { sum: number; count: number };
  learningRate: number;
  schedule: ScheduleState;
  best: { epoch: number | null; valLoss: number; badEpochs: number };
  /** Weights of the best epoch, kept when early stopping is on (null otherwise). */
  bestParameters: NamedTensor[] | null;
  history: EpochRecord[];
  elapsedMs: number;
  /** True when the run ended (completed, stopped early or by the person); a finished run is not resumed. */
  finished: boolean;
  savedAt: number;
}

export type CheckpointReason = 'start' | 'epoch' | 'interval' | 'pause' | 'end';

/** How a run ended. */
export type EndReason = 'completed' | 'stopped' | 'early-stopped' | 'diverged' | 'failed';

export interface SessionResult {
  reason: EndReason;
  snapshot: TrainingSnapshot;
  /** Plain-language explanation for 'diverged' and 'failed' (and early stopping). */
  message: string | null;
}

export type SessionErrorKind = 'diverged' | 'device-lost' | 'setup' | 'data' | 'internal';

export interface SessionError {
  kind: SessionErrorKind;
  message: string;
}

/** A device for the session: what the browser and Node device helpers return. */
export type DeviceContext = GpuContext;

/** Makes a fresh adapter and device (used at start without a device, and after a device loss). */
export type DeviceFactory = () => Promise<DeviceContext>;

export interface SessionCallbacks {
  onSnapshot?: (snapshot: TrainingSnapshot) => void;
  onEpochEnd?: (record: EpochRecord, snapshot: TrainingSnapshot) => void;
  /** A good checkpoint was taken (persist it); reason says why. */
  onCheckpoint?: (checkpoint: Checkpoint, reason: CheckpointReason) => void;
  /** Something went wrong and was handled (a recovered device loss): tell the person, keep going. */
  onNotice?: (message: string) => void;
  /** The session moved to a new device after a loss. */
  onDeviceChange?: (context: DeviceContext) => void;
  onError?: (error: SessionError) => void;
  onDone?: (result: SessionResult) => void;
}
