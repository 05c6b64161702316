// Legacy one-column, one-step sliding windows (used by src/ui/controller.ts; training_set.ts is the general builder).
import { DataError } from './data_error';

/** Z-score normalization fitted on the training part of the series: x' = (x - mean) / std. */
export interface Normalization {
  kind: 'zscore';
  column: string;
  mean: number;
  std: number;
}

export interface ForecastDataset {
  column: string;
  window: number;
  inputSize: 1;
  outputSize: 1;
  trainCount: number;
  valCount: number;
  /** [trainCount][window][1], batch-first, normalized. */
  trainX: Float32Array;
  /** [trainCount][1]: the value right after each window, normalized. */
  trainY: Float32Array;
  /** [valCount][window][1], batch-first, normalized. */
  valX: Float32Array;
  /** [valCount][1], normalized. */
  valY: Float32Array;
  normalization: Normalization;
  seriesLength: number;
}

/**
 * Windows of `window` rows predicting the next row, stride 1. The series is cut at
 * floor(length * (1 - valFraction)): windows whose target row is before the cut train, the rest validate
 * (their inputs may reach back before the cut). Mean and std come from the rows before the cut only;
 * a (near-)constant training part gets std 1 so values are only shifted.
 */
export function buildForecastDataset(series: Float64Array, column: string, window: number, valFraction: number): ForecastDataset {
  if (!Number.isInteger(window) || window < 1) {
    throw new DataError(`The window must be a whole number of at least 1 time step (got ${window}).`);
  }
  if (!(valFraction > 0 && valFraction < 1)) {
    throw new DataError(`The validation fraction must be between 0 and 1, exclusive (got ${valFraction}).`);
  }
  const length = series.length;
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(series[i])) {
      throw new DataError(`Row ${i + 1} of column ${JSON.stringify(column)} is ${series[i]}, not a finite number.`, {
        row: i + 1,
        column,
        value: String(series[i]),
      });
    }
  }

  const cut = Math.floor(length * (1 - valFraction));
  const trainCount = Math.max(0, cut - window); // targets window..cut-1
  const firstValTarget = Math.max(cut, window);
  const valCount = Math.max(0, length - firstValTarget); // targets firstValTarget..length-1
  if (trainCount < 1 || valCount < 1) {
    const needed = minimumRows(window, valFraction);
    const need = needed === null ? 'more rows than any series can supply; lower the validation fraction' : `at least ${needed} rows`;
    throw new DataError(
      `Column ${JSON.stringify(column)} has ${length} rows, but a window of ${window} with validation fraction ${valFraction} ` +
        `needs ${need} (enough for 1 training window and 1 validation window). Use a smaller window or a longer series.`,
      { column },
    );
  }

  const normalization = fitZScore(series, cut, column);
  const scaled = new Float64Array(length);
  for (let i = 0; i < length; i++) scaled[i] = normalize(series[i], normalization);

  const train = windowsForTargets(scaled, window, window, trainCount);
  const val = windowsForTargets(scaled, window, firstValTarget, valCount);
  return {
    column,
    window,
    inputSize: 1,
    outputSize: 1,
    trainCount,
    valCount,
    trainX: train.x,
    trainY: train.y,
    valX: val.x,
    valY: val.y,
    normalization,
    seriesLength: length,
  };
}

export function normalize(v: number, n: Normalization): number {
  return (v - n.mean) / n.std;
}

export function denormalize(v: number, n: Normalization): number {
  return v * n.std + n.mean;
}

/** Population mean and std of rows [0, end). */
function fitZScore(series: Float64Array, end: number, column: string): Normalization {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += series[i];
  const mean = sum / end;
  let squares = 0;
  for (let i = 0; i < end; i++) squares += (series[i] - mean) ** 2;
  const std = Math.sqrt(squares / end);
  // A constant training part (std 0, or only rounding noise) would divide by ~0; fall back to std 1.
  const usable = std > 1e-12 * Math.max(1, Math.abs(mean)) && Number.isFinite(std);
  return { kind: 'zscore', column, mean, std: usable ? std : 1 };
}

/** Windows whose targets are rows firstTarget .. firstTarget+count-1, inputs the `window` rows before each. */
function windowsForTargets(scaled: Float64Array, window: number, firstTarget: number, count: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count * window);
  const y = new Float32Array(count);
  for (let k = 0; k < count; k++) {
    const target = firstTarget + k;
    x.set(scaled.subarray(target - window, target), k * window);
    y[k] = scaled[target];
  }
  return { x, y };
}

/** Smallest series length giving at least one training and one validation window, or null if none does. */
function minimumRows(window: number, valFraction: number): number | null {
  const estimate = Math.max(window + 2, Math.floor((window + 1) / (1 - valFraction)) - 2);
  if (!Number.isFinite(estimate)) return null;
  for (let n = estimate; n < estimate + 64; n++) {
    const cut = Math.floor(n * (1 - valFraction));
    if (cut - window >= 1 && n - Math.max(cut, window) >= 1) return n;
  }
  return null;
}
