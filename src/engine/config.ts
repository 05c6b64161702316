// The one serializable, seeded training configuration; travels with every export.
export interface TrainConfig {
  /** Recurrent cell. Only 'lstm' is implemented in the skeleton. */
  cell: 'lstm';
  /** Features per time step (1 for a univariate series). */
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  /** Width of the linear head's output (1 for one-step forecasting). */
  outputSize: number;
  /** Head on the last step's output (forecast; the default) or on every step (sequence to sequence). */
  headOn?: 'last_step' | 'every_step';
  /** Time steps per window (T). */
  window: number;
  batchSize: number;
  epochs: number;
  learningRate: number;
  /** Adam betas and eps, as torch.optim.Adam. */
  beta1: number;
  beta2: number;
  eps: number;
  /** Fraction of windows (the last ones in time) held out for validation. */
  valFraction: number;
  seed: number;
}

export const DEFAULT_CONFIG: TrainConfig = {
  cell: 'lstm',
  inputSize: 1,
  hiddenSize: 32,
  numLayers: 1,
  outputSize: 1,
  window: 24,
  batchSize: 32,
  epochs: 20,
  learningRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  valFraction: 0.2,
  seed: 42,
};

/** Checks ranges and returns a list of plain-language problems (empty when valid). */
export function validateConfig(c: TrainConfig): string[] {
  const problems: string[] = [];
  const intIn = (name: keyof TrainConfig, lo: number, hi: number) => {
    const v = c[name] as number;
    if (!Number.isInteger(v) || v < lo || v > hi) problems.push(`${name} must be an integer from ${lo} to ${hi} (got ${v})`);
  };
  intIn('inputSize', 1, 4096);
  intIn('hiddenSize', 1, 2048);
  intIn('numLayers', 1, 4);
  intIn('outputSize', 1, 4096);
  intIn('window', 1, 4096);
  intIn('batchSize', 1, 4096);
  intIn('epochs', 1, 100000);
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) problems.push(`learningRate must be a positive number (got ${c.learningRate})`);
  if (!(c.valFraction > 0 && c.valFraction < 1)) problems.push(`valFraction must be between 0 and 1 (got ${c.valFraction})`);
  return problems;
}
