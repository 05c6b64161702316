// The model knobs a person can edit: labels, ranges, defaults, and their conversion into a TrainConfig.
import { DEFAULT_CONFIG, validateConfig, type TrainConfig } from '../engine/config';

export type KnobKey = 'hiddenSize' | 'window' | 'epochs' | 'learningRate' | 'batchSize';

/** Raw text of each knob input, exactly as typed. */
export type Knobs = Record<KnobKey, string>;

export interface KnobSpec {
  key: KnobKey;
  label: string;
  integer: boolean;
  min: number;
  max: number;
  step: number;
  hint: string;
}

export const KNOB_SPECS: KnobSpec[] = [
  { key: 'hiddenSize', label: 'Hidden size', integer: true, min: 1, max: 512, step: 1, hint: 'LSTM units' },
  { key: 'window', label: 'Window', integer: true, min: 2, max: 512, step: 1, hint: 'past steps per prediction' },
  { key: 'epochs', label: 'Epochs', integer: true, min: 1, max: 10000, step: 1, hint: 'passes over the training windows' },
  { key: 'learningRate', label: 'Learning rate', integer: false, min: 1e-6, max: 1, step: 0.001, hint: 'Adam step size' },
  { key: 'batchSize', label: 'Batch size', integer: true, min: 1, max: 1024, step: 1, hint: 'windows per step' },
];

/** Defaults tuned so the built-in noisy sine learns visibly within a few epochs, even on a software GPU. */
export const DEFAULT_KNOBS: Knobs = {
  hiddenSize: String(DEFAULT_CONFIG.hiddenSize),
  window: String(DEFAULT_CONFIG.window),
  epochs: String(DEFAULT_CONFIG.epochs),
  learningRate: String(DEFAULT_CONFIG.learningRate),
  batchSize: String(DEFAULT_CONFIG.batchSize),
};

/** Reads one knob; a plain-language problem when the text is not a usable value. */
export function readKnob(spec: KnobSpec, text: string): { value: number } | { problem: string } {
  const t = text.trim();
  const v = Number(t);
  if (t === '' || !Number.isFinite(v)) return { problem: `${spec.label} must be a number (got "${text}")` };
  if (spec.integer && !Number.isInteger(v)) return { problem: `${spec.label} must be a whole number (got ${t})` };
  if (v < spec.min || v > spec.max) return { problem: `${spec.label} must be from ${spec.min} to ${spec.max} (got ${t})` };
  return { value: v };
}

/** The window knob's value, or null while it is not a usable number. */
export function knobWindow(knobs: Knobs): number | null {
  const r = readKnob(KNOB_SPECS[1], knobs.window);
  return 'value' in r ? r.value : null;
}

/** Builds the run's TrainConfig from the knobs; problems lists everything a person must fix. */
export function knobsToConfig(knobs: Knobs): { config: TrainConfig; problems: string[] } {
  const config: TrainConfig = { ...DEFAULT_CONFIG };
  const problems: string[] = [];
  for (const spec of KNOB_SPECS) {
    const r = readKnob(spec, knobs[spec.key]);
    if ('problem' in r) problems.push(r.problem);
    else config[spec.key] = r.value;
  }
  if (problems.length === 0) problems.push(...validateConfig(config));
  return { config, problems };
}
