// Comparing saved runs (pure): their settings side by side with the differences marked, their metrics beside the
// data's baselines, and their gradient flow through time as lines on one log axis.
import type { RunRecord } from '../storage/checkpoint_store';
import { formatLoss, formatPercent, formatStat } from './format';
import { CHOICE_SPECS, KNOB_SPECS } from './knobs';

/** A run's name without its data's name in front (the Data row says it): "LSTM 8 · Dec 2, 04:43:58". */
export function shortName(run: RunRecord): string {
  const prefix = `${run.datasetName} · `;
  return run.name.startsWith(prefix) ? run.name.slice(prefix.length) : run.name;
}

export interface SettingRow {
  key: string;
  label: string;
  /** One text per run, in the runs' order. */
  values: string[];
  /** True when not every run has the same value. */
  differs: boolean;
}

/** The settings a run is compared by, in the order a person reads them; the knobs' labels where there is one. */
const SETTINGS: { key: string; label?: string; read: (r: RunRecord) => unknown }[] = [
  { key: 'datasetName', label: 'Data', read: (r) => r.datasetName },
  ...(['cell', 'hiddenSize', 'numLayers', 'bidirectional', 'dropout', 'headOn', 'loss', 'window', 'inputSize', 'outputSize', 'vocabSize'] as const).map((key) => ({ key, read: (r: RunRecord) => r.config[key] })),
  ...(['optimizer', 'learningRate', 'batchSize', 'epochs', 'clipNorm', 'weightDecay', 'schedule', 'scheduleStepEpochs', 'scheduleGamma', 'schedulePatience', 'minLearningRate', 'valFraction', 'seed'] as const).map((key) => ({ key, read: (r: RunRecord) => r.config[key] })),
];

const EXTRA_LABELS: Record<string, string> = {
  bidirectional: 'Bidirectional',
  loss: 'Loss',
  window: 'Window',
  inputSize: 'Inputs per step',
  outputSize: 'Outputs',
  vocabSize: 'Vocabulary',
  valFraction: 'Validation share',
};

function labelOf(key: string): string {
  return KNOB_SPECS.find((s) => s.key === key)?.label ?? CHOICE_SPECS.find((s) => s.key === key)?.label ?? EXTRA_LABELS[key] ?? key;
}

function text(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (v === undefined || v === null) return '—';
  return String(v);
}

/** Every compared setting of the runs, each marked when the runs differ in it. */
export function settingsRows(runs: RunRecord[]): SettingRow[] {
  return SETTINGS.map(({ key, label, read }) => {
    const values = runs.map((r) => text(read(r)));
    return { key, label: label ?? labelOf(key), values, differs: values.some((v) => v !== values[0]) };
  });
}

export interface MetricRow {
  label: string;
  values: string[];
  /** Raw numbers for tests and tools (NaN where unknown). */
  raw: number[];
  /** Index of the best run in this row (lowest error, highest accuracy), or -1. */
  best: number;
  /** A baseline's row (the data's own simple predictor), not the model's. */
  baseline: boolean;
}

function bestIndex(raw: number[], higherIsBetter: boolean): number {
  let best = -1;
  raw.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    if (best < 0 || (higherIsBetter ? v > raw[best] : v < raw[best])) best = i;
  });
  return raw.filter(Number.isFinite).length > 1 ? best : -1;
}

function row(label: string, raw: number[], format: (v: number) => string, higherIsBetter: boolean, baseline = false): MetricRow {
  return { label, raw, values: raw.map((v) => (Number.isFinite(v) ? format(v) : '—')), best: baseline ? -1 : bestIndex(raw, higherIsBetter), baseline };
}

/**
 * The runs' losses, their stored validation metrics, and each baseline's score on each run's data (RMSE for a
 * forecast, accuracy for a classifier), so a model's number sits beside what a trivial predictor gets.
 */
export function metricRows(runs: RunRecord[]): MetricRow[] {
  const bestVal = runs.map((r) => r.history.find((h) => h.epoch === r.bestEpoch)?.valLoss ?? NaN);
  const lastVal = runs.map((r) => r.history.at(-1)?.valLoss ?? NaN);
  const rows = [row('Best val loss', bestVal, formatLoss, false), row('Last val loss', lastVal, formatLoss, false)];
  const classify = runs.some((r) => r.metrics?.kind === 'classify' || r.config.loss === 'cross_entropy');
  const metric = (pick: (m: NonNullable<RunRecord['metrics']>) => number | undefined) => runs.map((r) => (r.metrics ? pick(r.metrics) ?? NaN : NaN));
  if (classify) {
    rows.push(row('Accuracy', metric((m) => (m.kind === 'classify' ? m.accuracy : undefined)), formatPercent, true));
    rows.push(row('Macro F1', metric((m) => (m.kind === 'classify' ? m.macroF1 : undefined)), formatPercent, true));
  } else {
    rows.push(row('MSE', metric((m) => (m.kind === 'forecast' ? m.mse : undefined)), formatStat, false));
    rows.push(row('RMSE', metric((m) => (m.kind === 'forecast' ? m.rmse : undefined)), formatStat, false));
    rows.push(row('MAE', metric((m) => (m.kind === 'forecast' ? m.mae : undefined)), formatStat, false));
  }
  const names = [...new Set(runs.flatMap((r) => (r.baselines ?? []).map((b) => b.name)))];
  for (const name of names) {
    const raw = runs.map((r) => {
      const v = r.baselines?.find((b) => b.name === name)?.validation;
      if (!v) return NaN;
      return classify ? ('accuracy' in v ? v.accuracy : NaN) : 'rmse' in v ? v.rmse : NaN;
    });
    rows.push(row(`Baseline ${name} (${classify ? 'accuracy' : 'RMSE'})`, raw, classify ? formatPercent : formatStat, classify, true));
  }
  return rows;
}

export interface GradLines {
  /** One line per run that has a stored gradient flow: ‖∂L/∂h_t‖ by t, null where not drawable (log axis). */
  lines: { runIndex: number; values: (number | null)[] }[];
  /** The longest window among them (the x axis runs t = 0 … window − 1). */
  window: number;
  /** Whole decades that hold every drawn value. */
  domain: [number, number];
  /** Runs saved without a gradient flow (older runs, or stopped before the first probe). */
  missing: number[];
}

/** 10^k exactly as written (10 ** -4 is 0.00009999999999999999). */
function decade(k: number): number {
  return Number(`1e${k}`);
}

/** The runs' latest gradient flows on one axis (shorter windows padded at the end). */
export function gradLines(runs: RunRecord[]): GradLines {
  const withFlow = runs.map((r, i) => ({ r, i })).filter(({ r }) => r.gradFlow && r.gradFlow.norms.length > 0);
  const window = Math.max(0, ...withFlow.map(({ r }) => r.gradFlow!.norms.length));
  let lo = Infinity;
  let hi = -Infinity;
  const lines = withFlow.map(({ r, i }) => {
    const values = Array.from({ length: window }, (_, t): number | null => {
      const v = r.gradFlow!.norms[t];
      if (v === undefined || !Number.isFinite(v) || v <= 0) return null;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      return v;
    });
    return { runIndex: i, values };
  });
  let domain: [number, number] = [1e-3, 1];
  if (Number.isFinite(lo)) domain = [decade(Math.floor(Math.log10(lo))), decade(Math.ceil(Math.log10(hi)))];
  if (domain[1] <= domain[0]) domain = [domain[0], domain[0] * 10];
  return { lines, window, domain, missing: runs.map((_, i) => i).filter((i) => !withFlow.some((w) => w.i === i)) };
}
