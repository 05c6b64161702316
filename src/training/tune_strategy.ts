// The search strategies as pure, seeded code: grid, random, and successive halving (many short trials, the best
// 1/η continue from their checkpoint to more epochs, as in Hyperband/ASHA). Says which trial trains next, and to when.
import { Prng } from '../util/prng';
import { scaleOf, tidy, TuneSpaceError, type SettingValue, type TrialSettings, type VarySpec } from './tune_space';

export type TuneStrategy = 'grid' | 'random' | 'halving';
export const TUNE_STRATEGIES: readonly TuneStrategy[] = ['halving', 'random', 'grid'];

/** Points a grid takes from a range: both ends and the middle (geometric on a log scale, whole numbers rounded). */
export const GRID_POINTS_PER_RANGE = 3;
/** Trials of a random or halving search when no count is given. */
export const DEFAULT_TRIALS = 8;

export interface SearchOptions {
  strategy: TuneStrategy;
  space: VarySpec[];
  /** Trials to sample (random, halving), or the most grid points to run (default: all of them). */
  trials?: number;
  /** The most epochs any trial trains. */
  maxEpochs: number;
  seed: number;
  /** Halving: the share of a rung that continues is 1/eta (2 or 3; default 2). */
  eta?: number;
}

/** One rung: every trial still in it trains to `epochs` (in total, continuing from its last rung). */
export interface Rung {
  epochs: number;
  trials: number;
}

/** A unit of work: train `trial` (1-based) until it has run `epochs` epochs; `continues` when it resumes its own checkpoint. */
export interface TrialJob {
  trial: number;
  settings: TrialSettings;
  rung: number;
  epochs: number;
  continues: boolean;
}

/** The values a grid tries for one setting. */
export function gridValues(v: VarySpec): SettingValue[] {
  const d = v.domain;
  if (d.kind === 'list') return d.values.slice();
  const scale = scaleOf(v.name);
  const mid = scale === 'log' ? Math.sqrt(d.lo * d.hi) : (d.lo + d.hi) / 2;
  const pts = [d.lo, mid, d.hi].map((x) => (scale === 'integer' ? Math.round(x) : tidy(x)));
  return [...new Set(pts)].slice(0, GRID_POINTS_PER_RANGE);
}

/** Every combination, the last setting changing fastest. */
export function gridTrials(space: VarySpec[]): TrialSettings[] {
  let out: TrialSettings[] = [{}];
  for (const v of space) out = out.flatMap((t) => gridValues(v).map((x) => ({ ...t, [v.name]: x })));
  return out;
}

function sampleOne(v: VarySpec, rng: Prng): SettingValue {
  const d = v.domain;
  if (d.kind === 'list') return d.values[rng.int(d.values.length)];
  const scale = scaleOf(v.name);
  if (scale === 'integer') return d.lo + rng.int(d.hi - d.lo + 1);
  if (scale === 'log') return tidy(Math.exp(rng.uniform(Math.log(d.lo), Math.log(d.hi))));
  return tidy(rng.uniform(d.lo, d.hi));
}

/**
 * `n` trials drawn from the space by a PRNG seeded with `seed`: the same seed draws the same trials. A space of lists
 * only is drawn without repeats (a shuffled grid, at most all of it); one with a range draws every value anew.
 */
export function randomTrials(space: VarySpec[], n: number, seed: number): TrialSettings[] {
  const rng = new Prng((seed ^ 0x74756e65) >>> 0);
  if (space.every((v) => v.domain.kind === 'list')) {
    const all = gridTrials(space);
    rng.shuffle(all);
    return all.slice(0, n);
  }
  return Array.from({ length: n }, () => Object.fromEntries(space.map((v) => [v.name, sampleOne(v, rng)])));
}

/**
 * Successive halving's rungs for n trials and at most maxEpochs: s + 1 rungs, rung k keeping ⌊n/η^k⌋ trials at
 * round(maxEpochs / η^(s−k)) epochs, with s as large as both n and maxEpochs allow (the first rung trains ≥ 1 epoch).
 */
export function halvingRungs(n: number, maxEpochs: number, eta: number): Rung[] {
  let s = 0;
  while (n >= eta ** (s + 1) && maxEpochs >= eta ** (s + 1)) s += 1;
  return Array.from({ length: s + 1 }, (_, k) => ({
    epochs: k === s ? maxEpochs : Math.max(1, Math.round(maxEpochs / eta ** (s - k))),
    trials: Math.max(1, Math.floor(n / eta ** k)),
  }));
}

/** The trials and rungs of a search; throws a TuneSpaceError for a budget or space that cannot make one trial. */
export function planSearch(o: SearchOptions): { trials: TrialSettings[]; rungs: Rung[] } {
  if (o.space.length === 0) throw new TuneSpaceError('nothing varies: name at least one setting to vary (e.g. hidden=16,32,64)');
  const seen = new Set<string>();
  for (const v of o.space) {
    if (seen.has(v.name)) throw new TuneSpaceError(`${v.name} is varied twice: give it once, with all its values`);
    seen.add(v.name);
  }
  if (o.trials !== undefined && (!Number.isInteger(o.trials) || o.trials < 1)) throw new TuneSpaceError(`the trial budget must be at least 1 trial (got ${o.trials})`);
  if (!Number.isInteger(o.maxEpochs) || o.maxEpochs < 1) throw new TuneSpaceError(`each trial needs at least 1 epoch (got ${o.maxEpochs})`);
  const eta = o.eta ?? 2;
  if (eta !== 2 && eta !== 3) throw new TuneSpaceError(`eta must be 2 (keep the best half) or 3 (the best third) (got ${eta})`);
  if (o.strategy === 'grid') {
    const all = gridTrials(o.space);
    const trials = o.trials !== undefined ? all.slice(0, o.trials) : all;
    return { trials, rungs: [{ epochs: o.maxEpochs, trials: trials.length }] };
  }
  const trials = randomTrials(o.space, o.trials ?? DEFAULT_TRIALS, o.seed);
  const n = trials.length;
  const rungs = o.strategy === 'halving' ? halvingRungs(n, o.maxEpochs, eta) : [{ epochs: o.maxEpochs, trials: n }];
  return { trials, rungs };
}

/** Lower is better; a trial without a finite validation loss ranks last, ties by trial number. */
function rank(losses: Map<number, number>, ids: number[]): number[] {
  const key = (id: number) => {
    const l = losses.get(id);
    return l !== undefined && Number.isFinite(l) ? l : Infinity;
  };
  return ids.slice().sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * Hands out jobs rung by rung: every trial of a rung, then the best of them (by validation loss) into the next rung,
 * each continuing from where it stopped. A trial that cannot continue (it diverged, failed or stopped early) keeps
 * its rank but gives its place to the next best.
 */
export class TuneSearch {
  readonly trials: TrialSettings[];
  readonly rungs: Rung[];
  private rung = 0;
  private queue: number[];
  private members: number[];
  private readonly losses = new Map<number, number>();
  private readonly ended = new Set<number>();
  private readonly epochsOf = new Map<number, number>();
  private pending: number | null = null;

  constructor(o: SearchOptions) {
    const plan = planSearch(o);
    this.trials = plan.trials;
    this.rungs = plan.rungs;
    this.members = this.trials.map((_, i) => i + 1);
    this.queue = this.members.slice();
  }

  /** The rung being trained (0 first). */
  get currentRung(): number {
    return this.rung;
  }

  /** The next job, or null when the search is over. Call report() for a job before asking for the next. */
  next(): TrialJob | null {
    if (this.pending !== null) throw new Error(`TuneSearch: trial ${this.pending} was not reported yet`);
    while (this.queue.length === 0) {
      if (!this.promote()) return null;
    }
    const trial = this.queue.shift()!;
    this.pending = trial;
    const done = this.epochsOf.get(trial) ?? 0;
    return { trial, settings: this.trials[trial - 1], rung: this.rung, epochs: this.rungs[this.rung].epochs, continues: done > 0 };
  }

  /** A job's outcome: its best validation loss so far, the epochs it has run, and whether it can train on. */
  report(trial: number, bestValLoss: number, epochs: number, canContinue: boolean): void {
    if (this.pending !== trial) throw new Error(`TuneSearch: trial ${trial} is not the one running (${this.pending})`);
    this.pending = null;
    this.losses.set(trial, bestValLoss);
    this.epochsOf.set(trial, epochs);
    if (!canContinue) this.ended.add(trial);
  }

  /** True when the trial belongs to the rung being trained (it may still train in it). */
  inCurrentRung(trial: number): boolean {
    return this.members.includes(trial);
  }

  /** Trials ranked best first among those that ran. */
  ranking(): number[] {
    return rank(this.losses, [...this.losses.keys()]);
  }

  /** True when the trial was left behind at a rung below the last (it trained fewer epochs than the best did). */
  wasPruned(trial: number): boolean {
    return !this.ended.has(trial) && (this.epochsOf.get(trial) ?? 0) < this.rungs.at(-1)!.epochs && this.losses.has(trial);
  }

  private promote(): boolean {
    if (this.rung + 1 >= this.rungs.length) return false;
    const keep = this.rungs[this.rung + 1].trials;
    const ranked = rank(this.losses, this.members).filter((id) => !this.ended.has(id)).slice(0, keep);
    this.rung += 1;
    this.members = ranked;
    this.queue = ranked.slice();
    return true;
  }
}
