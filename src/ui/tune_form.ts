// The Tune panel's form as typed (which settings vary, their values, strategy, budget) and the TuneRequest it makes,
// checked by the same parsing as the CLI's --vary (tune_space.ts) and the same planning (tune_strategy.ts).
import type { TrainingChoices } from '../data/training_types';
import { checkMinutes, parseVary, spaceProblem, TUNE_SETTINGS, type TuneSetting, type VarySpec } from '../training/tune_space';
import { planSearch, type Rung, type TuneStrategy } from '../training/tune_strategy';
import type { TuneRequest } from '../worker/protocol';

export interface VaryField {
  on: boolean;
  /** The values as typed: a list (a,b,c) or a range (lo..hi), as after NAME= on the command line. */
  text: string;
}

export interface TuneForm {
  vary: Record<TuneSetting, VaryField>;
  strategy: TuneStrategy;
  /** Trials (random, halving) or the most grid points; '' for the default. */
  trials: string;
  /** Minutes of wall time; '' for no time budget. */
  minutes: string;
}

export const TUNE_SETTING_LABELS: Record<TuneSetting, string> = {
  cell: 'Cell',
  hidden: 'Hidden size',
  layers: 'Layers',
  window: 'Window',
  lr: 'Learning rate (log scale)',
  dropout: 'Dropout',
  batch: 'Batch size',
  'weight-decay': 'Weight decay (log scale)',
  transform: 'Forecast transform',
};

export const TUNE_STRATEGY_LABELS: Record<TuneStrategy, string> = {
  halving: 'Successive halving',
  random: 'Random',
  grid: 'Grid',
};

export const DEFAULT_TUNE_FORM: TuneForm = {
  vary: {
    cell: { on: false, text: 'lstm,gru' },
    hidden: { on: true, text: '8,16,32' },
    layers: { on: false, text: '1,2' },
    window: { on: false, text: '8,16,32' },
    lr: { on: true, text: '0.001..0.03' },
    dropout: { on: false, text: '0..0.3' },
    batch: { on: false, text: '16,32,64' },
    'weight-decay': { on: false, text: '0.00001..0.001' },
    transform: { on: false, text: 'none,difference,seasonal-difference' },
  },
  strategy: 'halving',
  trials: '8',
  minutes: '',
};

export const TUNE_SETTING_NAMES = Object.keys(TUNE_SETTINGS) as TuneSetting[];

/** A checked request and the plan it makes, or the first problem in words. */
export type TuneFormResult =
  | { ok: true; request: TuneRequest; trials: number; rungs: Rung[] }
  | { ok: false; problem: string };

function budgetNumber(label: string, text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const v = Number(t);
  if (!Number.isFinite(v)) throw new Error(`${label}: "${text}" is not a number`);
  return v;
}

/**
 * The request the form makes for a search whose trials train up to `maxEpochs` epochs with `seed`, on data built
 * with `choices` (null: not checked against the data); every message is the one the CLI gives for the same input.
 */
export function requestFromForm(form: TuneForm, maxEpochs: number, seed: number, choices: TrainingChoices | null): TuneFormResult {
  try {
    const space: VarySpec[] = TUNE_SETTING_NAMES.filter((n) => form.vary[n].on).map((n) => parseVary(`${n}=${form.vary[n].text}`));
    const trials = budgetNumber('trials', form.trials);
    const minutes = budgetNumber('minutes', form.minutes);
    checkMinutes(minutes);
    const plan = planSearch({ strategy: form.strategy, space, trials, maxEpochs, seed });
    if (plan.trials.length === 0) throw new Error('the search has no trial to run');
    const problem = choices ? spaceProblem(space, choices) : null;
    if (problem) throw new Error(problem);
    const request: TuneRequest = { strategy: form.strategy, space, ...(trials !== undefined ? { trials } : {}), ...(minutes !== undefined ? { minutes } : {}) };
    return { ok: true, request, trials: plan.trials.length, rungs: plan.rungs };
  } catch (e) {
    return { ok: false, problem: e instanceof Error ? e.message : String(e) };
  }
}

/** "8 trials: 8 × 1 epoch, then 4 × 2, then 2 × 4": what the search will run. */
export function describePlan(trials: number, rungs: Rung[]): string {
  const steps = rungs.map((r, i) => (i === 0 ? `${r.trials} × ${r.epochs} epoch${r.epochs === 1 ? '' : 's'}` : `${r.trials} × ${r.epochs}`));
  return `${trials} trial${trials === 1 ? '' : 's'}: ${steps.join(', then ')}`;
}
