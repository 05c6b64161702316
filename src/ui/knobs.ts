// The model and training knobs a person can edit: labels, ranges, defaults, and their conversion into a TrainConfig.
import { DEFAULT_CONFIG, validateConfig, type TrainConfig } from '../engine/config';
import { GENERATE_DEFAULTS } from '../model_io/train_options';

export type NumberKnobKey =
  | 'hiddenSize' | 'numLayers' | 'dropout' | 'epochs' | 'learningRate' | 'batchSize' | 'clipNorm' | 'weightDecay'
  | 'patience' | 'seed' | 'scheduleStepEpochs' | 'scheduleGamma' | 'schedulePatience' | 'minLearningRate';
export type ChoiceKnobKey = 'cell' | 'bidirectional' | 'headOn' | 'optimizer' | 'schedule' | 'classWeights';
export type KnobKey = NumberKnobKey | ChoiceKnobKey;

/** Raw text of each knob input, exactly as typed ('true' / 'false' for the checkbox). */
export type Knobs = Record<KnobKey, string>;

export interface KnobSpec {
  key: NumberKnobKey;
  label: string;
  integer: boolean;
  min: number;
  max: number;
  hint: string;
  /** Which panel shows it. */
  panel: 'model' | 'training';
  /** Shown only for these schedules. */
  schedules?: TrainConfig['schedule'][];
}

export const KNOB_SPECS: KnobSpec[] = [
  { key: 'hiddenSize', label: 'Hidden size', integer: true, min: 1, max: 512, hint: 'units per layer and direction', panel: 'model' },
  { key: 'numLayers', label: 'Layers', integer: true, min: 1, max: 4, hint: 'stacked recurrent layers', panel: 'model' },
  { key: 'dropout', label: 'Dropout', integer: false, min: 0, max: 0.95, hint: 'between stacked layers while training', panel: 'model' },
  { key: 'epochs', label: 'Epochs', integer: true, min: 1, max: 10000, hint: 'passes over the training samples', panel: 'training' },
  { key: 'learningRate', label: 'Learning rate', integer: false, min: 1e-6, max: 1e4, hint: 'optimizer step size', panel: 'training' },
  { key: 'batchSize', label: 'Batch size', integer: true, min: 1, max: 1024, hint: 'samples per step', panel: 'training' },
  { key: 'clipNorm', label: 'Gradient clipping', integer: false, min: 0, max: 1e6, hint: 'max global gradient norm (0 = off)', panel: 'training' },
  { key: 'weightDecay', label: 'Weight decay', integer: false, min: 0, max: 1, hint: 'L2 (Adam, SGD) or decoupled (AdamW)', panel: 'training' },
  { key: 'patience', label: 'Early stopping patience', integer: true, min: 0, max: 10000, hint: 'epochs without a better validation loss (0 = off)', panel: 'training' },
  { key: 'seed', label: 'Seed', integer: true, min: 0, max: 0xffffffff, hint: 'initial weights, batch order, dropout', panel: 'training' },
  { key: 'scheduleStepEpochs', label: 'Step every', integer: true, min: 1, max: 100000, hint: 'epochs between reductions', panel: 'training', schedules: ['step'] },
  { key: 'scheduleGamma', label: 'LR factor', integer: false, min: 1e-6, max: 1, hint: 'multiplies the learning rate', panel: 'training', schedules: ['step', 'plateau'] },
  { key: 'schedulePatience', label: 'Plateau patience', integer: true, min: 0, max: 100000, hint: 'epochs without improvement before reducing', panel: 'training', schedules: ['plateau'] },
  { key: 'minLearningRate', label: 'Minimum LR', integer: false, min: 0, max: 1e4, hint: 'floor of the schedule', panel: 'training', schedules: ['cosine', 'plateau'] },
];

export interface ChoiceSpec {
  key: Exclude<ChoiceKnobKey, 'bidirectional'>;
  label: string;
  testId?: string;
  options: { value: string; label: string; disabled?: boolean }[];
  panel: 'model' | 'training';
}

export const CHOICE_SPECS: ChoiceSpec[] = [
  { key: 'cell', label: 'Cell', testId: 'cell-select', panel: 'model', options: [{ value: 'lstm', label: 'LSTM' }, { value: 'gru', label: 'GRU' }, { value: 'rnn', label: 'RNN (tanh)' }] },
  {
    key: 'headOn',
    label: 'Head',
    panel: 'model',
    options: [
      { value: 'last_step', label: 'Linear, last step' },
      { value: 'every_step', label: 'Linear, every step (forecast, horizon 1)' },
    ],
  },
  { key: 'optimizer', label: 'Optimizer', panel: 'training', options: [{ value: 'adam', label: 'Adam' }, { value: 'adamw', label: 'AdamW' }, { value: 'sgd', label: 'SGD (momentum 0.9)' }] },
  {
    key: 'schedule',
    label: 'LR schedule',
    panel: 'training',
    options: [{ value: 'constant', label: 'Constant' }, { value: 'step', label: 'Step' }, { value: 'cosine', label: 'Cosine' }, { value: 'plateau', label: 'Reduce on plateau' }],
  },
  {
    key: 'classWeights',
    label: 'Class weights',
    testId: 'class-weights-select',
    panel: 'training',
    options: [{ value: 'none', label: 'None' }, { value: 'balanced', label: 'Balanced (N / (C · n_c) in the loss)' }],
  },
];

/** Defaults tuned so the built-in noisy sine learns visibly within a few epochs, even on a software GPU. */
export const DEFAULT_KNOBS: Knobs = {
  hiddenSize: String(DEFAULT_CONFIG.hiddenSize),
  numLayers: String(DEFAULT_CONFIG.numLayers),
  dropout: String(DEFAULT_CONFIG.dropout),
  epochs: String(DEFAULT_CONFIG.epochs),
  learningRate: String(DEFAULT_CONFIG.learningRate),
  batchSize: String(DEFAULT_CONFIG.batchSize),
  clipNorm: String(DEFAULT_CONFIG.clipNorm),
  weightDecay: String(DEFAULT_CONFIG.weightDecay),
  patience: '0',
  seed: String(DEFAULT_CONFIG.seed),
  scheduleStepEpochs: String(DEFAULT_CONFIG.scheduleStepEpochs),
  scheduleGamma: String(DEFAULT_CONFIG.scheduleGamma),
  schedulePatience: String(DEFAULT_CONFIG.schedulePatience),
  minLearningRate: String(DEFAULT_CONFIG.minLearningRate),
  cell: DEFAULT_CONFIG.cell,
  bidirectional: String(DEFAULT_CONFIG.bidirectional),
  headOn: DEFAULT_CONFIG.headOn,
  optimizer: DEFAULT_CONFIG.optimizer,
  schedule: DEFAULT_CONFIG.schedule,
  classWeights: DEFAULT_CONFIG.classWeights,
};

export const KNOB_KEYS = Object.keys(DEFAULT_KNOBS) as KnobKey[];

/** Reads one knob; a plain-language problem when the text is not a usable value. */
export function readKnob(spec: KnobSpec, text: string): { value: number } | { problem: string } {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return { problem: `${spec.label} must be a number (got "${text}")` };
  if (spec.integer && !Number.isInteger(v)) return { problem: `${spec.label} must be a whole number (got ${t})` };
  if (v < spec.min || v > spec.max) return { problem: `${spec.label} must be from ${spec.min} to ${spec.max} (got ${t})` };
  return { value: v };
}

/** Builds the run's TrainConfig (data-decided fields left at their defaults) and the early-stopping patience. */
export function knobsToConfig(knobs: Knobs): { config: TrainConfig; patience: number; problems: string[] } {
  const config: TrainConfig = { ...DEFAULT_CONFIG };
  const problems: string[] = [];
  let patience = 0;
  for (const spec of KNOB_SPECS) {
    const r = readKnob(spec, knobs[spec.key]);
    if ('problem' in r) problems.push(r.problem);
    else if (spec.key === 'patience') patience = r.value;
    else config[spec.key] = r.value;
  }
  for (const spec of CHOICE_SPECS) {
    const value = knobs[spec.key];
    const option = spec.options.find((o) => o.value === value && !o.disabled);
    if (!option) problems.push(`${spec.label} must be one of ${spec.options.filter((o) => !o.disabled).map((o) => o.value).join(', ')} (got "${value}")`);
    else (config as unknown as Record<string, unknown>)[spec.key] = value;
  }
  config.bidirectional = knobs.bidirectional === 'true';
  // the data decides the loss and the head: class weights are checked against them when a run starts
  if (problems.length === 0) problems.push(...validateConfig(config.classWeights === 'balanced' ? { ...config, classWeights: 'none' } : config));
  return { config, patience, problems };
}

/** The knobs that show a config (and a patience). */
export function configToKnobs(config: TrainConfig, patience: number, base: Knobs = DEFAULT_KNOBS): Knobs {
  const knobs: Knobs = { ...base };
  for (const spec of KNOB_SPECS) knobs[spec.key] = spec.key === 'patience' ? String(patience) : String(config[spec.key]);
  for (const spec of CHOICE_SPECS) knobs[spec.key] = String(config[spec.key] ?? base[spec.key]); // ?? a config saved before the knob
  knobs.bidirectional = String(config.bidirectional);
  return knobs;
}

/**
 * The knobs a newly loaded text-generation set starts from: the CLI's defaults for `--task generate`
 * (GENERATE_DEFAULTS: a larger LSTM, clipping, fewer epochs) wherever the knob still holds the general default, so a
 * person's own choice is kept. Other tasks keep the knobs as they are.
 */
export function knobsForTask(task: string, knobs: Knobs): Knobs {
  if (task !== 'generate') return knobs;
  const next = { ...knobs };
  for (const [field, value] of Object.entries(GENERATE_DEFAULTS) as [keyof TrainConfig & KnobKey, unknown][]) {
    if (next[field] === DEFAULT_KNOBS[field]) next[field] = String(value);
  }
  return next;
}
