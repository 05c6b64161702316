// Data for the loss charts, pure: smoothing, log-axis gaps, LTTB down-sampling, and the per-step gradient series.
import { downsampleRows } from '../lttb';
import { smoothSeries } from '../smoothing';
import type { ChartRow } from '../store';

/** Points drawn per curve at most; longer histories are down-sampled with LTTB. */
export const MAX_DRAWN = 400;

/** Train and validation curves smoothed, with values a log axis cannot show removed, down-sampled for drawing. */
export function lossChartRows(rows: ChartRow[], smoothing: number, log: boolean): ChartRow[] {
  const train = smoothSeries(rows.map((r) => r.train), smoothing);
  const val = smoothSeries(rows.map((r) => r.val), smoothing);
  const ok = (v: number | null) => (v === null || (log && v <= 0) ? null : v);
  const out = rows.map((r, i) => ({ ...r, train: ok(train[i]), val: ok(val[i]) }));
  return downsampleRows(out, 'epoch', ['train', 'val'], MAX_DRAWN);
}

/** Per-step series kept by the UI (appended in place; `version` changes with every append). */
export interface StepSeries {
  version: number;
  /** Position in epochs (step / steps per epoch). */
  x: number[];
  gradNorm: number[];
}

export function newStepSeries(): StepSeries {
  return { version: 0, x: [], gradNorm: [] };
}

/** Gradient norms per step (down-sampled) and the learning rate per epoch, for the small chart under the losses. */
export function lrGradSeries(series: StepSeries, rows: ChartRow[]): { grad: (number | null)[]; gradDomain: [number, number]; lr: (number | null)[]; lrDomain: [number, number] } {
  const points = series.x.map((x, i) => ({ x, g: Number.isFinite(series.gradNorm[i]) && series.gradNorm[i] > 0 ? series.gradNorm[i] : null }));
  const grad = downsampleRows(points, 'x', ['g'], MAX_DRAWN).map((p) => p.g);
  const lr = rows.filter((r) => r.epoch > 0).map((r) => r.lr);
  return { grad, gradDomain: logDomain(grad), lr, lrDomain: logDomain(lr) };
}

/** Whole powers of ten around the positive values (a decade at least). */
export function logDomain(values: (number | null)[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (v !== null && v > 0 && Number.isFinite(v)) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return [1e-3, 1];
  const a = 10 ** Math.floor(Math.log10(lo));
  const b = 10 ** Math.ceil(Math.log10(hi));
  return b > a ? [a, b] : [a, a * 10];
}

/** Whole epochs from 0 to `max`, at most about 10 of them, always ending at `max`. */
export function epochTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 10));
  const out: number[] = [];
  for (let e = 0; e < max; e += step) out.push(e);
  out.push(max);
  if (out.length >= 2 && out[out.length - 1] - out[out.length - 2] < step / 2) out.splice(out.length - 2, 1);
  return out;
}

/** The loss axis: powers of ten (with 2 and 5 between when the range is narrow) on a log axis; 0 and 4 nice steps on a linear one. */
export function lossTicks(rows: ChartRow[], log: boolean): { domain: [number, number]; ticks: number[] } {
  let lo = Infinity, hi = -Infinity;
  for (const r of rows) for (const v of [r.train, r.val]) if (v !== null && Number.isFinite(v) && (!log || v > 0)) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!Number.isFinite(lo)) return { domain: log ? [0.01, 1] : [0, 1], ticks: log ? [0.01, 0.1, 1] : [0, 0.5, 1] };
  if (!log) {
    const step = niceStep(hi / 4);
    const top = Math.ceil(hi / step) * step || 1;
    const ticks = [];
    for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(6)));
    return { domain: [0, top], ticks };
  }
  const a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi) + 1e-12);
  const ticks: number[] = [];
  for (let k = a; k <= b; k++) for (const m of b - a <= 2 ? [1, 2, 5] : [1]) {
    const t = Number((m * 10 ** k).toPrecision(6));
    if (t >= 10 ** a && t <= 10 ** b) ticks.push(t);
  }
  return { domain: [10 ** a, 10 ** Math.max(b, a + 1)], ticks };
}

function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}
