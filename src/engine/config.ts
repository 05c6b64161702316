// The one serializable, seeded training configuration; travels with every export.
export type CellKind = 'lstm' | 'gru' | 'rnn';
export type LossKind = 'mse' | 'mae' | 'huber' | 'cross_entropy';
export type OptimizerKind = 'adam' | 'adamw' | 'sgd';
export type ScheduleKind = 'constant' | 'step' | 'cosine' | 'plateau';
export type ClassWeightsKind = 'none' | 'balanced';

export interface TrainConfig {
  /** Recurrent cell, with torch.nn.LSTM / GRU / RNN (tanh) equations and parameter layout. */
  cell: CellKind;
  /** Features per time step (1 for a univariate series; the embedding size when vocabSize > 0). */
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  /** Inverted dropout between stacked layers while training (0 = off), as torch.nn.LSTM's `dropout`. */
  dropout: number;
  /** Width of the linear head's output (1 for one-step forecasting; the class count for classification). */
  outputSize: number;
  /** Head on the last step's output (forecast, classify a sequence) or on every step (sequence to sequence). */
  headOn: 'last_step' | 'every_step';
  loss: LossKind;
  /** Cross-entropy with a last-step head: 'balanced' weighs each class c by N / (C · n_c) from the training split's
   *  class counts (torch.nn.CrossEntropyLoss(weight=w), a weighted mean; a class absent from training weighs 0). */
  classWeights: ClassWeightsKind;
  /** Token vocabulary for text (an embedding layer of size inputSize feeds the stack); 0 = numeric input. */
  vocabSize: number;
  /** Time steps per window (T). */
  window: number;
  batchSize: number;
  epochs: number;
  optimizer: OptimizerKind;
  learningRate: number;
  /** Adam / AdamW betas and eps, as torch.optim.Adam. */
  beta1: number;
  beta2: number;
  eps: number;
  /** SGD momentum (0 = plain SGD). */
  momentum: number;
  /** L2 weight decay (Adam, SGD) or decoupled decay (AdamW). */
  weightDecay: number;
  /** Clip gradients to this global 2-norm (0 = no clipping); the norm is reported every step either way. */
  clipNorm: number;
  /** Learning-rate schedule, stepped once per epoch. */
  schedule: ScheduleKind;
  /** 'step': multiply by scheduleGamma every scheduleStepEpochs epochs. */
  scheduleStepEpochs: number;
  /** 'step' and 'plateau': the factor applied to the learning rate. */
  scheduleGamma: number;
  /** 'plateau': epochs without validation improvement before reducing. */
  schedulePatience: number;
  /** 'cosine' and 'plateau': the floor of the learning rate. */
  minLearningRate: number;
  /** Fraction of windows (the last ones in time) held out for validation. */
  valFraction: number;
  seed: number;
}

export const DEFAULT_CONFIG: TrainConfig = {
  cell: 'lstm',
  inputSize: 1,
  hiddenSize: 32,
  numLayers: 1,
  bidirectional: false,
  dropout: 0,
  outputSize: 1,
  headOn: 'last_step',
  loss: 'mse',
  classWeights: 'none',
  vocabSize: 0,
  window: 24,
  batchSize: 32,
  epochs: 20,
  optimizer: 'adam',
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  momentum: 0.9,
  weightDecay: 0,
  clipNorm: 0,
  schedule: 'constant',
  scheduleStepEpochs: 10,
  scheduleGamma: 0.5,
  schedulePatience: 3,
  minLearningRate: 0,
  valFraction: 0.2,
  seed: 42,
};

const CHOICES: Partial<Record<keyof TrainConfig, readonly string[]>> = {
  cell: ['lstm', 'gru', 'rnn'],
  headOn: ['last_step', 'every_step'],
  loss: ['mse', 'mae', 'huber', 'cross_entropy'],
  classWeights: ['none', 'balanced'],
  optimizer: ['adam', 'adamw', 'sgd'],
  schedule: ['constant', 'step', 'cosine', 'plateau'],
};

/** Checks every field and returns a list of plain-language problems (empty when valid). */
export function validateConfig(c: TrainConfig): string[] {
  const problems: string[] = [];
  const intIn = (name: keyof TrainConfig, lo: number, hi: number) => {
    const v = c[name] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) problems.push(`${name} must be an integer from ${lo} to ${hi} (got ${v})`);
  };
  const numIn = (name: keyof TrainConfig, lo: number, hi: number, loOpen = false) => {
    const v = c[name] as number;
    if (typeof v !== 'number' || !Number.isFinite(v) || v > hi || (loOpen ? v <= lo : v < lo)) {
      problems.push(`${name} must be a number ${loOpen ? 'above' : 'from'} ${lo}${hi < Infinity ? ` to ${hi}` : ''} (got ${v})`);
    }
  };
  for (const [name, allowed] of Object.entries(CHOICES) as [keyof TrainConfig, readonly string[]][]) {
    if (!allowed.includes(c[name] as string)) problems.push(`${name} must be one of ${allowed.join(', ')} (got ${String(c[name])})`);
  }
  intIn('inputSize', 1, 4096);
  intIn('hiddenSize', 1, 2048);
  intIn('numLayers', 1, 4);
  intIn('outputSize', 1, 4096);
  intIn('vocabSize', 0, 1_000_000);
  intIn('window', 1, 4096);
  intIn('batchSize', 1, 4096);
  intIn('epochs', 1, 100000);
  intIn('scheduleStepEpochs', 1, 100000);
  intIn('schedulePatience', 0, 100000);
  intIn('seed', 0, 0xffffffff);
  if (typeof c.bidirectional !== 'boolean') problems.push('bidirectional must be true or false');
  numIn('dropout', 0, 0.95);
  numIn('learningRate', 0, Infinity, true);
  numIn('beta1', 0, 0.999999);
  numIn('beta2', 0, 0.999999);
  numIn('eps', 0, 1, true);
  numIn('momentum', 0, 0.999999);
  numIn('weightDecay', 0, 1);
  numIn('clipNorm', 0, Infinity);
  numIn('scheduleGamma', 0, 1, true);
  numIn('minLearningRate', 0, Infinity);
  numIn('valFraction', 0, 0.9, true);
  if (c.loss === 'cross_entropy' && c.outputSize < 2) problems.push('cross-entropy needs outputSize (the class count) of at least 2');
  if (c.classWeights === 'balanced' && c.loss !== 'cross_entropy') problems.push("classWeights 'balanced' needs the cross_entropy loss (it weighs classes, and a regression has none)");
  if (c.classWeights === 'balanced' && c.headOn !== 'last_step') problems.push("classWeights 'balanced' needs a head on the last step (a head on every step keeps the unweighted loss)");
  return problems;
}
