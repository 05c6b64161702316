// Model quality in original units: forecast errors (MSE, RMSE, MAE) and classification accuracy and F1, plus softmax.
import { unscaleForecast, type Scaling } from '../data/scaling';
import { decodeForecast, type ForecastDecoder } from '../data/target_transform';

export interface ForecastScore {
  /** Predicted values compared (samples × horizon × targets). */
  count: number;
  mse: number;
  rmse: number;
  mae: number;
  /** MSE in normalized units (comparable to the training loss). */
  normalizedMse: number;
  /** The same errors per target column (over every step ahead). */
  perTarget: Record<string, { mse: number; rmse: number; mae: number }>;
}

export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  /** True samples of the class. */
  support: number;
}

export interface ClassificationScore {
  count: number;
  accuracy: number;
  /** Mean F1 over the classes present in the split or predicted. */
  macroF1: number;
  perClass: Record<string, ClassScore>;
}

/**
 * Errors of normalized forecasts `predicted` against normalized targets `actual` (both [n][horizon][targets]), turned
 * back into original units with the split's decoder (a forecast transform) or the targets' scalings; null when there is
 * nothing to compare.
 */
export function forecastScore(predicted: ArrayLike<number>, actual: ArrayLike<number>, targets: Scaling[], decoder?: ForecastDecoder): ForecastScore | null {
  if (actual.length === 0) return null;
  if (predicted.length !== actual.length) throw new Error(`${predicted.length} predictions for ${actual.length} targets.`);
  const p = decoder ? decodeForecast(predicted, decoder) : unscaleForecast(predicted, targets);
  const a = decoder ? decodeForecast(actual, decoder) : unscaleForecast(actual, targets);
  const k = targets.length;
  const sums = targets.map(() => ({ n: 0, sq: 0, abs: 0 }));
  let normalized = 0;
  for (let i = 0; i < a.length; i++) {
    const e = p[i] - a[i];
    const s = sums[i % k];
    s.n++;
    s.sq += e * e;
    s.abs += Math.abs(e);
    normalized += (predicted[i] - actual[i]) ** 2;
  }
  const n = a.length;
  const sq = sums.reduce((t, s) => t + s.sq, 0);
  const abs = sums.reduce((t, s) => t + s.abs, 0);
  const perTarget: ForecastScore['perTarget'] = {};
  targets.forEach((t, j) => {
    const s = sums[j];
    perTarget[t.column] = { mse: s.sq / s.n, rmse: Math.sqrt(s.sq / s.n), mae: s.abs / s.n };
  });
  return { count: n, mse: sq / n, rmse: Math.sqrt(sq / n), mae: abs / n, normalizedMse: normalized / n, perTarget };
}

/** Index of the largest logit of each sample ([n][classes] → [n]). */
export function argmaxRows(logits: ArrayLike<number>, classes: number): Int32Array {
  const n = logits.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** Softmax of each sample's logits ([n][classes]), computed stably in float64. */
export function softmaxRows(logits: ArrayLike<number>, classes: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, logits[i + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[i + c] = Math.exp(logits[i + c] - max);
    for (let c = 0; c < classes; c++) out[i + c] /= sum;
  }
  return out;
}

/** Accuracy, macro F1 and per-class precision/recall/F1 of logits [n][classes] against class ids [n]; null when empty. */
export function classificationScore(logits: ArrayLike<number>, labels: ArrayLike<number>, classNames: string[]): ClassificationScore | null {
  const n = labels.length;
  if (n === 0) return null;
  const K = classNames.length;
  if (logits.length !== n * K) throw new Error(`${logits.length} logits for ${n} samples of ${K} classes.`);
  const predicted = argmaxRows(logits, K);
  const tp = new Array(K).fill(0), fp = new Array(K).fill(0), fn = new Array(K).fill(0);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i], p = predicted[i];
    if (p === y) {
      hits++;
      tp[y]++;
    } else {
      fp[p]++;
      fn[y]++;
    }
  }
  const perClass: ClassificationScore['perClass'] = {};
  let f1Sum = 0;
  let counted = 0;
  classNames.forEach((name, c) => {
    const precision = tp[c] + fp[c] > 0 ? tp[c] / (tp[c] + fp[c]) : 0;
    const recall = tp[c] + fn[c] > 0 ? tp[c] / (tp[c] + fn[c]) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[name] = { precision, recall, f1, support: tp[c] + fn[c] };
    if (tp[c] + fp[c] + fn[c] > 0) {
      f1Sum += f1;
      counted++;
    }
  });
  return { count: n, accuracy: hits / n, macroF1: counted > 0 ? f1Sum / counted : 0, perClass };
}

/** JSON text with NaN and infinities written as null (JSON has no such numbers). */
export function jsonWithNulls(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), indent);
}
