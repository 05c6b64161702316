// The default forecast transform, picked from the training part: seasonal difference where a season explains the
// changes, difference where the series wanders or trends (persistence is hard to beat), none where it reverts.
import { transformProblem, type TransformName } from './target_transform';

export interface TransformChoice {
  name: TransformName;
  /** Why, in a sentence for the data summary. */
  reason: string;
}

const fmt = (v: number) => (Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(3) : String(Number(v.toPrecision(3))));

/** Mean square of v[p] - v[p - lag] over every series (NaN skipped). */
function lagMeanSquare(series: Float64Array[], lag: number): number {
  let sq = 0, n = 0;
  for (const v of series) {
    for (let p = lag; p < v.length; p++) {
      const d = v[p] - v[p - lag];
      if (Number.isFinite(d)) {
        sq += d * d;
        n++;
      }
    }
  }
  return n > 0 ? sq / n : NaN;
}

/** Mean square distance of the values from their own series' mean. */
function spread(series: Float64Array[]): number {
  let sq = 0, n = 0;
  for (const v of series) {
    let s = 0, c = 0;
    for (const x of v) if (Number.isFinite(x)) { s += x; c++; }
    const mean = s / c;
    for (const x of v) if (Number.isFinite(x)) { sq += (x - mean) ** 2; n++; }
  }
  return n > 0 ? sq / n : NaN;
}

/** `training[s]`: series s's training values of the first target. */
export function chooseTransform(training: Float64Array[], season: number | null, window: number, horizon: number): TransformChoice {
  const step = lagMeanSquare(training, 1);
  const level = spread(training);
  if (!Number.isFinite(step) || !Number.isFinite(level) || level === 0) return { name: 'none', reason: 'Transform none: too few training values to judge the series.' };
  if (season !== null && transformProblem({ name: 'seasonal-difference', season }, window, horizon) === null) {
    const seasonal = lagMeanSquare(training, season);
    if (seasonal < 0.9 * step) {
      return {
        name: 'seasonal-difference',
        reason:
          `Transform seasonal-difference: in training, the change from one season (${season} steps) earlier (RMS ${fmt(Math.sqrt(seasonal))}) is smaller than the change from one step to the next (RMS ${fmt(Math.sqrt(step))}), ` +
          'so the model predicts the change from a season earlier; untrained, it is the seasonal-naive forecast.',
      };
    }
  }
  if (window >= 2 && step < 0.5 * level) {
    return {
      name: 'difference',
      reason:
        `Transform difference: in training, one step changes the value by RMS ${fmt(Math.sqrt(step))} while the values spread by RMS ${fmt(Math.sqrt(level))} around their mean (it trends, shifts or moves slowly), ` +
        'so the model predicts the change from the last value; untrained, it is the persistence forecast.',
    };
  }
  return {
    name: 'none',
    reason: `Transform none: one step changes the value by RMS ${fmt(Math.sqrt(step))}, as much as the values spread around their mean (RMS ${fmt(Math.sqrt(level))}), so the model predicts the value itself.`,
  };
}
