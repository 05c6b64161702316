// What a tune may vary (cell, hidden, layers, window, lr, dropout, batch, weight-decay, the forecast transform), each
// setting's scale, and the checked, parsed `NAME=a,b,c` / `NAME=lo..hi` forms people give.
import { TRANSFORM_NAMES, type TransformName } from '../data/target_transform';
import type { TrainingChoices } from '../data/training_types';
import type { TrainConfig } from '../engine/config';

/** A setting a search varies, named as its `train` option without the dashes (also the trials.csv column). */
export type TuneSetting = 'cell' | 'hidden' | 'layers' | 'window' | 'lr' | 'dropout' | 'batch' | 'weight-decay' | 'transform';

export type SettingValue = number | string;

/** One trial's values of the varied settings, in the order they were given. */
export type TrialSettings = Record<string, SettingValue>;

/** How a setting's values spread: a choice of names, whole numbers, a plain or a log-scaled number. */
type Scale = 'choice' | 'integer' | 'linear' | 'log';

interface SettingSpec {
  scale: Scale;
  /** The TrainConfig field it sets (window is also a data choice: the training set is rebuilt for it); null for a
   *  data choice only (transform: the set is rebuilt, the config stays). */
  field: keyof TrainConfig | null;
  min: number;
  max: number;
  choices?: readonly string[];
}

export const TUNE_SETTINGS: Record<TuneSetting, SettingSpec> = {
  cell: { scale: 'choice', field: 'cell', min: 0, max: 0, choices: ['lstm', 'gru', 'rnn'] },
  hidden: { scale: 'integer', field: 'hiddenSize', min: 1, max: 2048 },
  layers: { scale: 'integer', field: 'numLayers', min: 1, max: 4 },
  window: { scale: 'integer', field: 'window', min: 1, max: 4096 },
  lr: { scale: 'log', field: 'learningRate', min: 0, max: Infinity },
  dropout: { scale: 'linear', field: 'dropout', min: 0, max: 0.95 },
  batch: { scale: 'integer', field: 'batchSize', min: 1, max: 4096 },
  'weight-decay': { scale: 'log', field: 'weightDecay', min: 0, max: 1 },
  transform: { scale: 'choice', field: null, min: 0, max: 0, choices: TRANSFORM_NAMES },
};

/** True when the settings vary the forecast transform: trials are then ranked on a common scale (tune_scale.ts). */
export function variesTransform(space: VarySpec[]): boolean {
  return space.some((v) => v.name === 'transform');
}

/** A list of values, or a range (log-scaled for lr and weight-decay, whole numbers for hidden/layers/window/batch). */
export type VaryDomain = { kind: 'list'; values: SettingValue[] } | { kind: 'range'; lo: number; hi: number };

export interface VarySpec {
  name: TuneSetting;
  domain: VaryDomain;
}

/** A setting or value a search cannot use; the message names it and says what would work. */
export class TuneSpaceError extends Error {
  override name = 'TuneSpaceError';
}

export function isTuneSetting(name: string): name is TuneSetting {
  return Object.prototype.hasOwnProperty.call(TUNE_SETTINGS, name);
}

export function scaleOf(name: TuneSetting): Scale {
  return TUNE_SETTINGS[name].scale;
}

const names = () => Object.keys(TUNE_SETTINGS).join(', ');

/** Parses `NAME=a,b,c` or `NAME=lo..hi` and checks every value against the setting's limits. */
export function parseVary(text: string): VarySpec {
  const eq = text.indexOf('=');
  if (eq < 0) throw new TuneSpaceError(`"${text}" is not NAME=a,b,c or NAME=lo..hi (the settings that vary: ${names()})`);
  const name = text.slice(0, eq).trim().replace(/^--/, '');
  const body = text.slice(eq + 1).trim();
  if (!isTuneSetting(name)) throw new TuneSpaceError(`"${name}" cannot vary; the settings that can: ${names()}`);
  if (body === '') throw new TuneSpaceError(`${name}= has no values: give a list (${name}=a,b,c) or a range (${name}=lo..hi)`);
  const spec = TUNE_SETTINGS[name];
  let domain: VaryDomain;
  if (body.includes('..')) {
    if (spec.scale === 'choice') throw new TuneSpaceError(`${name} is a choice, not a number: list its values (${name}=${spec.choices!.join(',')})`);
    const parts = body.split('..');
    if (parts.length !== 2 || parts.some((p) => p.trim() === '')) throw new TuneSpaceError(`${name}=${body}: a range is lo..hi with both ends given`);
    const [lo, hi] = parts.map((p) => numberOf(name, p));
    domain = { kind: 'range', lo, hi };
  } else {
    const items = body.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw new TuneSpaceError(`${name}=${body} has an empty item: separate values with single commas`);
    const values: SettingValue[] = spec.scale === 'choice' ? items.map((s) => s.toLowerCase()) : items.map((s) => numberOf(name, s));
    domain = { kind: 'list', values: [...new Set(values)] };
  }
  const v: VarySpec = { name, domain };
  checkVary(v);
  return v;
}

function numberOf(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new TuneSpaceError(`${name}: "${text}" is not a number`);
  return v;
}

/** Checks a spec built by hand (the page) or parsed: every value in the setting's limits, a range neither empty nor inverted. */
export function checkVary(v: VarySpec): void {
  const spec = TUNE_SETTINGS[v.name];
  if (!spec) throw new TuneSpaceError(`"${v.name}" cannot vary; the settings that can: ${names()}`);
  const d = v.domain;
  if (d.kind === 'list') {
    if (d.values.length === 0) throw new TuneSpaceError(`${v.name} has no values to try`);
    for (const x of d.values) checkValue(v.name, x);
    return;
  }
  if (spec.scale === 'choice') throw new TuneSpaceError(`${v.name} is a choice: list its values (${spec.choices!.join(', ')})`);
  if (d.lo > d.hi) throw new TuneSpaceError(`${v.name}=${d.lo}..${d.hi} is inverted: write the smaller end first (${v.name}=${d.hi}..${d.lo})`);
  if (d.lo === d.hi) throw new TuneSpaceError(`${v.name}=${d.lo}..${d.hi} is empty (both ends are ${d.lo}): widen it, or fix the value with --${v.name} ${d.lo}`);
  checkValue(v.name, d.lo);
  checkValue(v.name, d.hi);
  if (spec.scale === 'log' && d.lo <= 0) {
    throw new TuneSpaceError(`${v.name}=${d.lo}..${d.hi} is searched on a log scale, so both ends must be above 0 (list 0 explicitly to try it: ${v.name}=0,${d.hi})`);
  }
}

function checkValue(name: TuneSetting, x: SettingValue): void {
  const spec = TUNE_SETTINGS[name];
  if (spec.scale === 'choice') {
    if (!spec.choices!.includes(String(x))) throw new TuneSpaceError(`${name} "${x}" is not one of ${spec.choices!.join(', ')}`);
    return;
  }
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TuneSpaceError(`${name}: "${x}" is not a number`);
  if (spec.scale === 'integer' && !Number.isInteger(x)) throw new TuneSpaceError(`${name} takes whole numbers (got ${x})`);
  const lowOpen = name === 'lr';
  if ((lowOpen ? x <= spec.min : x < spec.min) || x > spec.max) {
    const range = spec.max === Infinity ? `above ${spec.min}` : `from ${spec.min} to ${spec.max}`;
    throw new TuneSpaceError(`${name} ${x} is out of range: it must be ${range}`);
  }
}

/** Checks a time budget (the page and the runner say the same): more than 0 minutes, or none given. */
export function checkMinutes(minutes: number | undefined): void {
  if (minutes !== undefined && !(minutes > 0)) throw new TuneSpaceError(`the time budget must be above 0 minutes (got ${minutes})`);
}

/** A config with one trial's settings applied (window as T: the caller builds the data for it). */
export function applySettings(config: TrainConfig, settings: TrialSettings): TrainConfig {
  const out = { ...config } as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(settings)) {
    const field = TUNE_SETTINGS[name as TuneSetting].field;
    if (field !== null) out[field] = value;
  }
  return out as unknown as TrainConfig;
}

/** Rounds a sampled number to 4 significant digits (so trials.csv and model.json show the value trained with). */
export function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

/** Why a setting cannot vary for this data (null when every one can): the window of wide sequences is their columns;
 *  the transform is a forecast's. */
export function spaceProblem(space: VarySpec[], choices: TrainingChoices): string | null {
  for (const v of space) {
    if (v.name === 'transform' && choices.task !== 'forecast') {
      return `transform cannot vary for a ${choices.task} task: it is the forecast target transform (none, difference, seasonal-difference, log, window-normalize); vary it on a forecast`;
    }
    if (v.name === 'window' && choices.task === 'classify-sequences' && choices.format === 'wide') {
      return 'window cannot vary for wide sequences (each row\'s value columns are its steps); vary it on a forecast, a long-format sequence or a text task';
    }
  }
  return null;
}

/** The data choices of a trial: its window (steps per input) and forecast transform in place of the chosen ones,
 *  where they vary. */
export function choicesFor(choices: TrainingChoices, settings: TrialSettings): TrainingChoices {
  const window = settings.window as number | undefined;
  const transform = settings.transform as TransformName | undefined;
  let out = choices;
  if (transform !== undefined && out.task === 'forecast') out = { ...out, transform };
  if (window === undefined) return out;
  if (out.task === 'forecast' || out.task === 'generate') return { ...out, window };
  return { ...out, length: window };
}

/** The settings that change a trial's data (window, transform), as a key: trials with the same key share one set. */
export function dataKey(settings: TrialSettings): string {
  return `${settings.window ?? ''}|${settings.transform ?? ''}`;
}

/** "window=10, transform=log": the data settings of a trial, to name them in a message about its data. */
export function describeDataSettings(settings: TrialSettings): string {
  return (['window', 'transform'] as const).filter((n) => settings[n] !== undefined).map((n) => `${n}=${settings[n]}`).join(', ');
}
