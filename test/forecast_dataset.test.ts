// Tests sliding-window forecasting datasets (time-ordered split, train-only normalization, size errors) and the built-in series.
import { describe, it, expect } from 'vitest';
import { buildForecastDataset, denormalize, normalize, type ForecastDataset } from '../src/data/forecast_dataset';
import { DataError } from '../src/data/data_error';
import { BUILTIN_DATASET_NAME, noisySineCsv } from '../src/data/builtin_datasets';
import { numericColumnNames, parseCsvText, toNumericColumn } from '../src/data/csv';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

/** Series whose value at row i is 3*i + 5, so a denormalized value reveals its row. */
function rowCodedSeries(length: number): Float64Array {
  return Float64Array.from({ length }, (_, i) => 3 * i + 5);
}
const rowOf = (normalized: number, ds: ForecastDataset) => Math.round((denormalize(normalized, ds.normalization) - 5) / 3) + 0; // + 0 turns -0 into 0

describe('buildForecastDataset', () => {
  it('makes stride-1 windows split at floor(len * (1 - valFraction)) with the right counts and layout', () => {
    const ds = buildForecastDataset(rowCodedSeries(100), 'y', 10, 0.2);
    expect(ds.trainCount).toBe(70); // targets 10..79
    expect(ds.valCount).toBe(20); // targets 80..99
    expect(ds.trainX.length).toBe(70 * 10);
    expect(ds.trainY.length).toBe(70);
    expect(ds.valX.length).toBe(20 * 10);
    expect(ds.valY.length).toBe(20);
    expect(ds.seriesLength).toBe(100);
    expect([ds.column, ds.window, ds.inputSize, ds.outputSize]).toEqual(['y', 10, 1, 1]);
    for (let k = 0; k < ds.trainCount; k++) {
      expect(rowOf(ds.trainY[k], ds)).toBe(k + 10);
      for (let t = 0; t < 10; t++) expect(rowOf(ds.trainX[k * 10 + t], ds)).toBe(k + t);
    }
    for (let k = 0; k < ds.valCount; k++) {
      expect(rowOf(ds.valY[k], ds)).toBe(80 + k);
      for (let t = 0; t < 10; t++) expect(rowOf(ds.valX[k * 10 + t], ds)).toBe(70 + k + t);
    }
  });

  it('never puts a validation target before the cut nor a training target at or after it', () => {
    const length = 57;
    const valFraction = 0.3;
    const cut = Math.floor(length * (1 - valFraction));
    const ds = buildForecastDataset(rowCodedSeries(length), 'y', 5, valFraction);
    const trainTargets = Array.from(ds.trainY, (v) => rowOf(v, ds));
    const valTargets = Array.from(ds.valY, (v) => rowOf(v, ds));
    expect(Math.max(...trainTargets)).toBe(cut - 1);
    expect(Math.min(...valTargets)).toBe(cut);
    expect(Math.max(...valTargets)).toBe(length - 1);
    expect(ds.trainCount + ds.valCount).toBe(length - 5);
  });

  it('fits mean and std on rows before the cut only', () => {
    const series = Float64Array.from({ length: 50 }, (_, i) => (i < 40 ? Math.sin(i) * 2 + 1 : 1000 + i));
    const ds = buildForecastDataset(series, 'y', 4, 0.2);
    const head = Array.from(series.subarray(0, 40));
    const mean = head.reduce((a, b) => a + b, 0) / head.length;
    const std = Math.sqrt(head.reduce((a, b) => a + (b - mean) ** 2, 0) / head.length);
    expect(ds.normalization).toEqual({ kind: 'zscore', column: 'y', mean: expect.closeTo(mean, 12), std: expect.closeTo(std, 12) });
    expect(ds.trainY[0]).toBeCloseTo((series[4] - mean) / std, 5);
    expect(ds.valY[ds.valCount - 1]).toBeCloseTo((series[49] - mean) / std, 2);
  });

  it('uses std 1 when the training part is constant', () => {
    const series = Float64Array.from({ length: 20 }, (_, i) => (i < 16 ? 4 : 9));
    const ds = buildForecastDataset(series, 'flat', 3, 0.2);
    expect(ds.normalization.mean).toBe(4);
    expect(ds.normalization.std).toBe(1);
    expect(ds.trainY[0]).toBe(0);
    expect(ds.valY[0]).toBe(5);
  });

  it('normalize and denormalize are inverses', () => {
    const n = { kind: 'zscore' as const, column: 'v', mean: -3.5, std: 0.25 };
    expect(normalize(-3, n)).toBeCloseTo(2, 12);
    expect(denormalize(normalize(123.456, n), n)).toBeCloseTo(123.456, 10);
  });

  it('reports too few rows with the row count, the window and the minimum needed', () => {
    const e = errorOf(() => buildForecastDataset(rowCodedSeries(31), 'value', 24, 0.2));
    expect(e.message).toContain('has 31 rows');
    expect(e.message).toContain('window of 24');
    expect(e.message).toContain('at least 32 rows');
    const ok = buildForecastDataset(rowCodedSeries(32), 'value', 24, 0.2);
    expect([ok.trainCount, ok.valCount]).toEqual([1, 7]);
    expect(errorOf(() => buildForecastDataset(new Float64Array(0), 'value', 1, 0.5)).message).toContain('has 0 rows');
  });

  it('validates the window, the validation fraction and the values', () => {
    const s = rowCodedSeries(100);
    expect(errorOf(() => buildForecastDataset(s, 'y', 0, 0.2)).message).toContain('at least 1 time step (got 0)');
    expect(errorOf(() => buildForecastDataset(s, 'y', 2.5, 0.2)).message).toContain('(got 2.5)');
    for (const f of [0, 1, -0.1, Number.NaN]) {
      expect(errorOf(() => buildForecastDataset(s, 'y', 4, f)).message).toContain('between 0 and 1');
    }
    s[7] = Number.NaN;
    const bad = errorOf(() => buildForecastDataset(s, 'y', 4, 0.2));
    expect(bad.message).toContain('Row 8 of column "y" is NaN');
    expect(bad.row).toBe(8);
  });
});

describe('built-in noisy sine', () => {
  it('is a deterministic step,value CSV with the requested rows and 4-decimal values', () => {
    const csv = noisySineCsv();
    expect(csv).toBe(noisySineCsv(800, 7));
    expect(noisySineCsv(800, 8)).not.toBe(csv);
    expect(BUILTIN_DATASET_NAME).toBe('Noisy multi-frequency sine (built in)');
    const table = parseCsvText(csv);
    expect(table.header).toEqual(['step', 'value']);
    expect(table.rowCount).toBe(800);
    expect(numericColumnNames(table)).toEqual(['step', 'value']);
    for (const cell of table.columns[1]) expect(cell).toMatch(/^-?\d+\.\d{4}$/);
    expect(parseCsvText(noisySineCsv(50, 1)).rowCount).toBe(50);
  });

  it('is predictable from a 24-step window: a least-squares linear forecaster gets validation MSE far below 1', () => {
    const series = toNumericColumn(parseCsvText(noisySineCsv()), 'value');
    const ds = buildForecastDataset(series, 'value', 24, 0.2);
    const w = fitLinearForecaster(ds);
    let sum = 0;
    for (let k = 0; k < ds.valCount; k++) {
      const err = predictLinear(w, ds.valX.subarray(k * 24, (k + 1) * 24)) - ds.valY[k];
      sum += err * err;
    }
    const valMse = sum / ds.valCount;
    expect(valMse).toBeLessThan(0.05);
  });
});

/** Ordinary least squares (normal equations with a tiny ridge) of the target on the window plus a bias. */
function fitLinearForecaster(ds: ForecastDataset): Float64Array {
  const d = ds.window + 1;
  const a = Array.from({ length: d }, () => new Float64Array(d + 1)); // augmented [X^T X | X^T y]
  for (let k = 0; k < ds.trainCount; k++) {
    const row = [...ds.trainX.subarray(k * ds.window, (k + 1) * ds.window), 1];
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) a[i][j] += row[i] * row[j];
      a[i][d] += row[i] * ds.trainY[k];
    }
  }
  for (let i = 0; i < d; i++) a[i][i] += 1e-6;
  for (let col = 0; col < d; col++) {
    let pivot = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let j = col; j <= d; j++) a[r][j] -= f * a[col][j];
    }
  }
  return Float64Array.from({ length: d }, (_, i) => a[i][d] / a[i][i]);
}

function predictLinear(w: Float64Array, window: Float32Array): number {
  let y = w[window.length];
  for (let i = 0; i < window.length; i++) y += w[i] * window[i];
  return y;
}
