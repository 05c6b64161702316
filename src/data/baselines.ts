// Baselines a model must beat, on the same split: persistence and seasonal naive for forecasts, majority class for classes.
import { scaleValue, type Scaling } from './scaling';

/** Forecast errors in the data's original units (and MSE in normalized units, comparable to the training loss). */
export interface ForecastMetrics {
  /** Predicted values compared (windows × horizon × targets). */
  count: number;
  mse: number;
  rmse: number;
  mae: number;
  normalizedMse: number;
}

export interface ClassificationMetrics {
  count: number;
  accuracy: number;
}

export interface Baseline {
  name: 'persistence' | 'seasonal-naive' | 'majority-class';
  /** What it predicts, for people. */
  description: string;
  validation: ForecastMetrics | ClassificationMetrics | null;
  test: ForecastMetrics | ClassificationMetrics | null;
}

/** Accumulates squared and absolute errors of forecasts. */
export class ForecastErrors {
  private count = 0;
  private squares = 0;
  private absolute = 0;
  private normalizedSquares = 0;

  add(predicted: number, actual: number, scaling: Scaling): void {
    const e = predicted - actual;
    this.count++;
    this.squares += e * e;
    this.absolute += Math.abs(e);
    const n = scaleValue(predicted, scaling) - scaleValue(actual, scaling);
    this.normalizedSquares += n * n;
  }

  result(): ForecastMetrics | null {
    if (this.count === 0) return null;
    const mse = this.squares / this.count;
    return { count: this.count, mse, rmse: Math.sqrt(mse), mae: this.absolute / this.count, normalizedMse: this.normalizedSquares / this.count };
  }
}

/** Predicts the class most frequent in training for every sample (ties: the lower class id). */
export function majorityBaseline(train: ArrayLike<number>, validation: ArrayLike<number>, test: ArrayLike<number>, classNames: string[]): Baseline {
  const counts = new Array(classNames.length).fill(0);
  for (let i = 0; i < train.length; i++) counts[train[i]]++;
  const majority = counts.indexOf(Math.max(...counts));
  const accuracy = (ids: ArrayLike<number>): ClassificationMetrics | null => {
    if (ids.length === 0) return null;
    let hits = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] === majority) hits++;
    return { count: ids.length, accuracy: hits / ids.length };
  };
  return {
    name: 'majority-class',
    description: `Always predicts ${JSON.stringify(classNames[majority])}, the most common class in training.`,
    validation: accuracy(validation),
    test: accuracy(test),
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The season length in steps: from the time step when it is a familiar one (minutes → 60, hours → 24, days → 7,
 * weeks → 52, months → 12, quarters → 4), else the lag (up to len/3 and 500) of the highest autocorrelation peak
 * of the last 20,000 training values after its first dip, when that peak is above 0.3; null when there is no clear season.
 */
export function guessSeason(stepMs: number | null, training: Float64Array): number | null {
  if (stepMs !== null) {
    const near = (target: number) => Math.abs(stepMs - target) <= 0.05 * target;
    if (near(60_000)) return 60;
    if (near(HOUR)) return 24;
    if (near(DAY)) return 7;
    if (near(7 * DAY)) return 52;
    if (stepMs >= 28 * DAY && stepMs <= 31 * DAY) return 12;
    if (stepMs >= 89 * DAY && stepMs <= 92 * DAY) return 4;
  }
  const filled = Array.from(training).filter((v) => !Number.isNaN(v));
  const values = filled.slice(-20_000); // enough to see a season, and quick
  const n = values.length;
  const maxLag = Math.min(500, Math.floor(n / 3));
  if (maxLag < 3) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  if (variance === 0) return null;
  const r = new Float64Array(maxLag + 2);
  for (let lag = 1; lag <= maxLag + 1; lag++) {
    let s = 0;
    for (let i = lag; i < n; i++) s += (values[i] - mean) * (values[i - lag] - mean);
    r[lag] = s / variance;
  }
  // A smooth series correlates most with its nearest lags; look for the highest peak after the first dip.
  let lag = 2;
  while (lag <= maxLag && !(r[lag] <= r[lag - 1] && r[lag] <= r[lag + 1])) lag++;
  let best = 0;
  let bestLag = 0;
  for (; lag <= maxLag; lag++) {
    if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > best) {
      best = r[lag];
      bestLag = lag;
    }
  }
  return best > 0.3 ? bestLag : null;
}
