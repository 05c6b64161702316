// The shapes of a run's diagnosis: what the checks read (plain numbers from the run) and the findings they return.
import type { Task } from '../data/dataset_shape';
import type { TrainConfig } from '../engine/config';
import type { EndReason, EpochRecord } from './types';

export type CheckId =
  | 'loses-to-baseline'
  | 'overfitting'
  | 'underfitting'
  | 'vanishing-gradient'
  | 'exploding-gradient'
  | 'saturated-gates'
  | 'majority-class';

export type Severity = 'info' | 'warning' | 'problem';

/**
 * Settings a finding proposes, applied in one click: model and training knobs (TrainConfig names, plus the
 * early-stopping patience) and data choices (the window, the forecast target transform).
 */
export interface AdvicePatch {
  cell?: TrainConfig['cell'];
  hiddenSize?: number;
  numLayers?: number;
  dropout?: number;
  learningRate?: number;
  epochs?: number;
  clipNorm?: number;
  weightDecay?: number;
  patience?: number;
  window?: number;
  transform?: 'difference' | 'seasonal-difference';
  classWeights?: 'balanced';
}

/** One thing a check saw (metrics.json `diagnosis` entries). */
export interface Finding {
  check: CheckId;
  severity: Severity;
  /** What it saw, with the numbers. */
  message: string;
  /** What to try, matching the cause. */
  advice: string;
  /** The settings the advice names, or null when there is no setting to change (the fix is in the data). */
  apply: AdvicePatch | null;
}

/** The run's settings the advice depends on. */
export type DiagnosedConfig = Pick<
  TrainConfig,
  'cell' | 'hiddenSize' | 'numLayers' | 'dropout' | 'learningRate' | 'epochs' | 'clipNorm' | 'weightDecay' | 'window' | 'headOn' | 'loss' | 'optimizer'
> & { patience: number; classWeights?: TrainConfig['classWeights'] };

/** Facts about the training set (computed once per run by dataFacts). */
export interface DataFacts {
  task: Task;
  /** Forecast: share of validation targets outside the training targets' range, per value (NaN when not a forecast). */
  validationOutsideRange: number;
  /** Forecast: the training targets' range and the validation targets' (normalized units), for the message. */
  trainRange: [number, number] | null;
  validationRange: [number, number] | null;
  /** Largest |input| the network sees in training (normalized units; NaN for token ids). */
  inputMaxAbs: number;
  /** Forecast: largest |target| in training (normalized units; NaN otherwise). */
  targetMaxAbs: number;
  /** Classification: training samples per class (null otherwise). */
  trainClassCounts: number[] | null;
  classNames: string[] | null;
  /** The forecast target transform in use ('none' when the set has none). */
  transform: string;
}

/** What one gate probe showed, reduced to the numbers the checks read. */
export interface ProbeFacts {
  /** Epochs completed when the probe was taken (0: the untrained model, whose gradient always fades: not judged). */
  epoch: number;
  cell: TrainConfig['cell'];
  layer: number;
  direction: number;
  /** ‖∂L/∂h_t‖ per time step, time order. */
  gradNorm: number[];
  /** Per bounded gate: the share of its units pinned at a bound (0/1 for sigmoid gates, ±1 for tanh) on most steps. */
  pinned: { gate: string; share: number }[];
}

/** The model's validation score in original units (what the baselines report). */
export interface ValidationScore {
  mse?: number;
  accuracy?: number;
}

/** A baseline on the same validation split (forecast: `mse` in original units; classes: `accuracy`). */
export interface BaselineLike {
  name: string;
  description: string;
  validation: object | null;
}

export interface DiagnosisInput {
  /** Every finished epoch; epoch 0 (the untrained model, validation only) first when present. */
  history: EpochRecord[];
  /** The run has ended (checks that wait for a trend speak then, however few epochs there were). */
  final: boolean;
  endReason?: EndReason;
  config: DiagnosedConfig;
  data: DataFacts;
  baselines: BaselineLike[];
  validation: ValidationScore | null;
  /** Gradient 2-norms before clipping, in step order (sampled: one per snapshot). */
  gradNorms: number[];
  probe: ProbeFacts | null;
}
