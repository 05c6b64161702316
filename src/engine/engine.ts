// The one interface a training session drives: the WebGPU trainer and the CPU engine both implement it.
import type { TrainConfig } from './config';
import type { NamedTensor } from './tensor';

export interface Losses {
  /** Mean of the training batch losses since the last resetLosses(); NaN if none. */
  trainLoss: number;
  /** Mean element (or row, for cross-entropy) loss over the validation batches since resetLosses(); NaN if none. */
  valLoss: number;
  /** Regression: validation mean squared and absolute error (normalized units). Classification: NaN. */
  valMse: number;
  valMae: number;
  /** Classification: share of validation rows whose arg-max is the target. Regression: NaN. */
  valAccuracy: number;
  trainSteps: number;
  /** Global gradient 2-norm of the most recent training step (before clipping). */
  gradNorm: number;
  /** True once a training step produced a NaN or infinite gradient norm; the optimizer skipped that step. */
  nonFinite: boolean;
}

/** One sequence's view inside the network: what the gate heatmaps and the gradient-flow chart draw. */
export interface Probe {
  layer: number;
  direction: number;
  /** Gate names in order: LSTM i, f, g, o, c, h; GRU r, z, n, h; RNN h. */
  names: string[];
  /** values[name] = [T][H] flattened, time order. */
  values: Record<string, Float32Array>;
  /** ‖d loss / d h_t‖ per time step (total gradient, from above and through the recurrence). */
  gradNorm: Float32Array;
  loss: number;
}

/** The optimizer's state in the flat parameter layout: Adam m and v, or SGD's momentum buffer (moment2 null). */
export interface OptimizerSnapshot {
  step: number;
  moment1: Float32Array;
  moment2: Float32Array | null;
}

/**
 * A model that trains: embedding? → stacked LSTM/GRU/RNN → head → loss → optimizer. x is batch-first
 * [batch][window][inputSize] (token ids [batch][window] with an embedding); y is [batch][outputSize], class ids
 * [batch] for cross-entropy, or per step with a head on every step. Steps may be queued: settled() waits for them.
 */
export interface TrainingEngine {
  readonly config: TrainConfig;
  /** The GPU device the engine runs on (the session watches it for loss); null for an engine on the CPU. */
  readonly device: GPUDevice | null;
  /** One optimizer step on a batch; adds its loss to the training sums. */
  trainStep(x: Float32Array, y: Float32Array, batch: number): void;
  /** Forward and loss only (no dropout); adds the batch to the validation sums. */
  evalStep(x: Float32Array, y: Float32Array, batch: number): void;
  /** Resolves once every step asked for so far has run (and lets other events run). */
  settled(): Promise<void>;
  readLosses(): Promise<Losses>;
  /** Clears the running sums of readLosses (not the non-finite flag). */
  resetLosses(): void;
  /** Lets training continue after a non-finite step was reported (after restoring good weights). */
  clearNonFinite(): void;
  /** classWeights 'balanced': the cross-entropy weight of each class [outputSize] (from the training split's counts);
   *  train and evaluate steps refuse to run before they are given. Refused for any other config. */
  setClassWeights(weights: ArrayLike<number>): void;
  /** The learning rate the next steps use (schedules change it between epochs). */
  setLearningRate(lr: number): void;
  /** Every parameter with its torch name (embedding.weight, weight_ih_l0 … head.bias). */
  readParameters(): Promise<NamedTensor[]>;
  /** Replaces every parameter (names and shapes must match exactly) and resets the optimizer state. */
  writeParameters(tensors: NamedTensor[]): void;
  readOptimizerState(): Promise<OptimizerSnapshot>;
  writeOptimizerState(state: OptimizerSnapshot): void;
  /** Head outputs for a batch, batch-first: [batch][outputSize], or [batch][window][outputSize] on every step. */
  predict(x: Float32Array, batch: number): Promise<Float32Array>;
  /** Gate activations and gradient flow of one sequence (x [1][window][…], y its target) in one layer direction. */
  probe(x: Float32Array, y: Float32Array, layer: number, direction?: number): Promise<Probe>;
  dispose(): void;
}
