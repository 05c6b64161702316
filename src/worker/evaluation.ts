// Predictions against truth on the validation split, in original units: forecast lines and errors, or a confusion
// matrix with per-class precision, recall and F1. Pure: the worker runs it, the UI only draws the result.
import { decodeForecast, unscaleForecast, type TrainingSet } from '../data/index';
import { argmaxRows, forecastScore } from '../model_io/metrics';
import type { ClassEvaluation, ForecastEvaluation } from './protocol';

/** Most points the forecast chart gets (the latest ones). */
export const MAX_FORECAST_POINTS = 600;

/**
 * The first target of the validation series with the model's forecasts over it: point i is a table row, `actual` its
 * value and predicted[h][i] the forecast made h+1 steps earlier. With several series only the first one is drawn.
 */
export function evaluateForecast(set: TrainingSet, predicted: Float32Array, label: ((row: number) => string) | null): ForecastEvaluation {
  const v = set.validation;
  const K = set.targets?.length ?? 1;
  const H = set.horizon ?? 1;
  const scalings = set.normalization?.targets ?? [];
  const metrics = scalings.length > 0 ? forecastScore(predicted, v.y, scalings, v.decoder) : null;
  const original = (y: ArrayLike<number>) => (v.decoder ? decodeForecast(y, v.decoder) : scalings.length > 0 ? unscaleForecast(y, scalings) : Float64Array.from(y));
  const pred = original(predicted);
  const actual = original(v.y);
  const group = v.count > 0 ? v.group[0] : 0;
  const points = new Map<number, { actual: number | null; predicted: (number | null)[] }>();
  for (let i = 0; i < v.count; i++) {
    if (v.group[i] !== group || v.row[i] < 0) continue;
    for (let h = 0; h < H; h++) {
      const row = v.row[i] + h + 1;
      let p = points.get(row);
      if (!p) {
        p = { actual: null, predicted: new Array(H).fill(null) };
        points.set(row, p);
      }
      const k = (i * H + h) * K;
      p.actual = actual[k];
      p.predicted[h] = pred[k];
    }
  }
  const rows = [...points.keys()].sort((a, b) => a - b).slice(-MAX_FORECAST_POINTS);
  const groups = new Set(Array.from(v.group)).size;
  return {
    kind: 'forecast',
    target: set.targets?.[0] ?? set.outputNames[0] ?? 'value',
    horizon: H,
    x: rows.map((r) => r + 1),
    xLabels: label ? rows.map((r) => label(r)) : null,
    actual: rows.map((r) => points.get(r)!.actual),
    predicted: Array.from({ length: H }, (_, h) => rows.map((r) => points.get(r)!.predicted[h])),
    groupNote: groups > 1 ? `Showing the series ${JSON.stringify(set.groupNames[group] ?? String(group))} (1 of ${groups}); the errors cover all of them.` : null,
    metrics: metrics && { count: metrics.count, mse: metrics.mse, rmse: metrics.rmse, mae: metrics.mae, normalizedMse: metrics.normalizedMse },
  };
}

/** Confusion matrix (rows: actual, columns: predicted), per-class precision / recall / F1, accuracy and macro F1. */
export function evaluateClasses(classNames: string[], logits: ArrayLike<number>, labels: ArrayLike<number>): ClassEvaluation {
  const K = classNames.length;
  const n = labels.length;
  const predicted = argmaxRows(logits, K);
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let hits = 0;
  for (let i = 0; i < n; i++) {
    confusion[labels[i]][predicted[i]]++;
    if (labels[i] === predicted[i]) hits++;
  }
  let f1Sum = 0;
  let counted = 0;
  const perClass = classNames.map((name, c) => {
    const tp = confusion[c][c];
    let support = 0;
    let column = 0;
    for (let k = 0; k < K; k++) {
      support += confusion[c][k];
      column += confusion[k][c];
    }
    const precision = column > 0 ? tp / column : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (support + column > 0) {
      f1Sum += f1;
      counted++;
    }
    return { name, precision, recall, f1, support };
  });
  return { kind: 'classify', classNames, confusion, perClass, accuracy: n > 0 ? hits / n : NaN, macroF1: counted > 0 ? f1Sum / counted : NaN, count: n };
}
