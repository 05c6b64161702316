// What the Tune panel draws from a search's snapshot: the trials table sorted by any column, every trial's validation
// curve by epoch, each varied setting against the best validation loss, the best trial, and the one-line summary.
import type { TrialRecord, TrialStatus, TuneSnapshot } from '../training/tune_runner';
import { isTuneSetting, scaleOf, type SettingValue } from '../training/tune_space';

/** A column of the trials table: the trial number, a varied setting, or one of the results. */
export type TuneSortKey = 'trial' | 'bestValLoss' | 'epochs' | 'seconds' | 'status' | `setting:${string}`;

export interface TuneSort {
  key: TuneSortKey;
  descending: boolean;
}

export const DEFAULT_TUNE_SORT: TuneSort = { key: 'trial', descending: false };

/** The settings a search varies, in the order they were given. */
export function settingNames(s: TuneSnapshot): string[] {
  return Object.keys(s.trials[0]?.settings ?? {});
}

/** Status order for sorting: the live and finished ones before those cut short. */
const STATUS_ORDER: TrialStatus[] = ['running', 'completed', 'waiting', 'early-stopped', 'pruned', 'stopped', 'diverged', 'failed', 'queued'];

function sortValue(t: TrialRecord, key: TuneSortKey): number | string | null {
  switch (key) {
    case 'trial':
      return t.trial;
    case 'bestValLoss':
      return Number.isFinite(t.bestValLoss) ? t.bestValLoss : null;
    case 'epochs':
      return t.epochs;
    case 'seconds':
      return t.seconds;
    case 'status':
      return STATUS_ORDER.indexOf(t.status);
    default: {
      const v = t.settings[key.slice('setting:'.length)];
      return v === undefined ? null : v;
    }
  }
}

/** The trials sorted by one column (numbers numerically, names alphabetically); unknown values last, ties by trial. */
export function sortTrials(trials: TrialRecord[], sort: TuneSort): TrialRecord[] {
  const dir = sort.descending ? -1 : 1;
  return trials.slice().sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === null || y === null) return x === y ? a.trial - b.trial : x === null ? 1 : -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? dir * c : a.trial - b.trial;
  });
}

/** Clicking a column's header: sort by it ascending, or flip the direction when it is already the sort. */
export function nextSort(current: TuneSort, key: TuneSortKey): TuneSort {
  return current.key === key ? { key, descending: !current.descending } : { key, descending: false };
}

/** The trial's epochs so far: its record, or the live session's history while it trains (when that is longer). */
function historyOf(s: TuneSnapshot, t: TrialRecord) {
  const live = s.current?.trial === t.trial ? s.current.snapshot.history : null;
  return live && live.length > t.history.length ? live : t.history;
}

export interface CurveLine {
  trial: number;
  /** The row field holding this trial's validation loss. */
  key: string;
  best: boolean;
  status: TrialStatus;
  /** Epochs drawn (a pruned or stopped trial's line ends early). */
  epochs: number;
}

export interface TuneCurves {
  /** One row per epoch: `epoch` and `val_<trial>` (null where the trial has no positive, finite value). */
  rows: Record<string, number | null>[];
  lines: CurveLine[];
}

/** Every trial's validation loss by epoch from the untrained model (epoch 0), the best trial flagged; a line needs one trained epoch. */
export function tuneCurves(s: TuneSnapshot): TuneCurves {
  const byEpoch = new Map<number, Record<string, number | null>>();
  const lines: CurveLine[] = [];
  for (const t of s.trials) {
    const key = `val_${t.trial}`;
    let drawn = 0;
    for (const h of historyOf(s, t)) {
      const row = byEpoch.get(h.epoch) ?? { epoch: h.epoch };
      row[key] = Number.isFinite(h.valLoss) && h.valLoss > 0 ? h.valLoss : null;
      byEpoch.set(h.epoch, row);
      drawn = Math.max(drawn, h.epoch);
    }
    if (drawn > 0) lines.push({ trial: t.trial, key, best: t.trial === s.best, status: t.status, epochs: drawn });
  }
  const rows = [...byEpoch.values()].sort((a, b) => (a.epoch as number) - (b.epoch as number));
  return { rows, lines };
}

export interface ScatterPoint {
  /** The setting's value as drawn: the number, or a choice's index among the choices tried. */
  x: number;
  y: number;
  trial: number;
  best: boolean;
  label: string;
}

export interface ScatterPanel {
  setting: string;
  /** How the x axis spreads: choices as categories, a log axis for lr and weight decay. */
  axis: 'category' | 'linear' | 'log';
  /** For a choice: the names, in index order. */
  categories: string[];
  /** Where the x axis is labelled: every choice, or a numeric axis's lowest, middle and highest value tried. */
  ticks: number[];
  points: ScatterPoint[];
}

/** Lowest, middle (geometric on a log axis) and highest of the values, to 2 significant digits, without repeats. */
function axisTicks(xs: number[], log: boolean): number[] {
  if (xs.length === 0) return [];
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const mid = log ? Math.sqrt(lo * hi) : (lo + hi) / 2;
  const round = (v: number) => Number(v.toPrecision(2));
  return [...new Set((lo === hi ? [lo] : [lo, mid, hi]).map(round))];
}

/** One panel per varied setting: each trial with a best validation loss as (value, loss), the best trial flagged. */
export function scatterPanels(s: TuneSnapshot): ScatterPanel[] {
  return settingNames(s).map((setting) => {
    const scale = isTuneSetting(setting) ? scaleOf(setting) : 'linear';
    const tried = (v: SettingValue) => String(v);
    const categories = scale === 'choice' ? [...new Set(s.trials.map((t) => tried(t.settings[setting])))].sort() : [];
    const points: ScatterPoint[] = [];
    for (const t of s.trials) {
      const v = t.settings[setting];
      if (!Number.isFinite(t.bestValLoss) || v === undefined) continue;
      const x = scale === 'choice' ? categories.indexOf(tried(v)) : Number(v);
      if (!Number.isFinite(x) || (scale === 'log' && x <= 0)) continue;
      points.push({ x, y: t.bestValLoss, trial: t.trial, best: t.trial === s.best, label: `trial ${t.trial}: ${setting}=${v}` });
    }
    const ticks = scale === 'choice' ? categories.map((_, i) => i) : axisTicks(points.map((p) => p.x), scale === 'log');
    return { setting, axis: scale === 'choice' ? 'category' : scale === 'log' ? 'log' : 'linear', categories, ticks, points };
  });
}

/** The best trial so far (lowest validation loss), or null before any trial has one. */
export function bestTrial(s: TuneSnapshot): TrialRecord | null {
  return s.best !== null ? (s.trials.find((t) => t.trial === s.best) ?? null) : null;
}

/** Trials that reached their final status (not queued, running or waiting for the next rung). */
export function finishedCount(s: TuneSnapshot): number {
  return s.trials.filter((t) => t.status !== 'queued' && t.status !== 'running' && t.status !== 'waiting').length;
}

/** "Tuning: trial 3 of 8 (rung 1 of 3) · 2 finished · 41 s" or "Search done: 8 trials · best trial 5". */
export function tuneSummary(s: TuneSnapshot, elapsed: string): string {
  const n = s.trials.length;
  const best = s.best !== null ? ` · best trial ${s.best}` : '';
  if (s.state === 'done') return `Search done: ${finishedCount(s)} of ${n} trials${best} · ${elapsed}`;
  const rung = s.rungs.length > 1 ? ` (rung ${s.rung + 1} of ${s.rungs.length})` : '';
  const now = s.current ? `trial ${s.current.trial} of ${n}${rung}, epoch ${Math.min(s.current.snapshot.epoch + 1, s.current.snapshot.epochs)}` : `starting${rung}`;
  return `Tuning: ${now} · ${finishedCount(s)} finished${best} · ${elapsed}`;
}

/** A trial's wall time: tenths of a second under a minute. */
export function formatTrialTime(seconds: number): string {
  if (!(seconds > 0)) return '—';
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

/** A setting's value for the table: numbers to 4 significant digits. */
export function formatSetting(v: SettingValue | undefined): string {
  if (v === undefined) return '—';
  return typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
}
