// Forecast target transforms (difference, seasonal difference, log, per-window normalization): one definition of
// how a target column's raw window becomes its input feature and how the head's output goes back to original units.
//
// For a target column with raw values v_0 … v_{T-1} in one window (u_t = ln v_t under 'log'):
//   none                 feature_t = (v_t - a) / b                      y_h = a + b · out_h
//   log                  feature_t = (u_t - a) / b                      y_h = exp(a + b · out_h)
//   difference           feature_t = (v_t - v_{t-1}) / inputScale, 0 at t = 0
//                                                                      y_h = v_{T-1} + outputScale · out_h
//   seasonal-difference  feature_t as difference                       y_h = v_{T-1+h-m·ceil(h/m)} + outputScale · out_h
//   window-normalize     feature_t = (v_t - mean(v)) / inputScale      y_h = mean(v) + outputScale · out_h
// (a, b: the column's normalization, fitted on the training part; h = 1 … horizon; m = season.) With out = 0 the
// model is persistence (difference), seasonal naive (seasonal-difference) or the window mean (window-normalize).
// Every map is affine in the (logged) window, so ONNX and the scripts apply it as constant matrices.

export type TransformName = 'none' | 'difference' | 'seasonal-difference' | 'log' | 'window-normalize';
export const TRANSFORM_NAMES: readonly TransformName[] = ['none', 'difference', 'seasonal-difference', 'log', 'window-normalize'];

/** Scales of one target column under a transform (unused, 1, for 'none' and 'log', which use the normalization). */
export interface TransformedColumn {
  column: string;
  inputScale: number;
  outputScale: number;
}

/** The transform of a forecast model, saved in model.json (`transform`); absent in older files means 'none'. */
export interface ForecastTransform {
  name: TransformName;
  /** seasonal-difference: the season m in steps (window ≥ m and horizon ≤ m); null otherwise. */
  season: number | null;
  /** One entry per target column, in targetColumns order. */
  columns: TransformedColumn[];
}

export const isTransformName = (s: string): s is TransformName => (TRANSFORM_NAMES as readonly string[]).includes(s);

/** True for the transforms whose target features and outputs are relative to the window (difference and kin). */
export function mixesTime(name: TransformName): boolean {
  return name === 'difference' || name === 'seasonal-difference' || name === 'window-normalize';
}

/**
 * Original-unit outputs from the head's outputs: y = g(offset + scale · out) per value, g = exp under 'log'.
 * offset is per value ([count][horizon][targets]), scale per target.
 */
export interface ForecastDecoder {
  offset: Float64Array;
  scale: Float64Array;
  exp: boolean;
}

export function decodeForecast(out: ArrayLike<number>, d: ForecastDecoder): Float64Array {
  if (out.length !== d.offset.length) throw new Error(`${out.length} outputs for ${d.offset.length} decoder offsets.`);
  const K = d.scale.length;
  const y = new Float64Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const v = d.offset[i] + d.scale[i % K] * out[i];
    y[i] = d.exp ? Math.exp(v) : v;
  }
  return y;
}

/** The position in the window (0 … T-1) whose value the output h steps ahead (h ≥ 1) is relative to. */
export function seasonalSource(T: number, h: number, m: number): number {
  return T - 1 + h - m * Math.ceil(h / m);
}

/**
 * The affine maps of one transform for a window of T steps and `horizon` steps ahead, on one target column's
 * (logged) values v: feature = (M · v) / inputScale, and reference_h = C[h] · v, so y_h = reference_h + outputScale ·
 * out_h. Null for 'none' and 'log' (the column's normalization applies). M is [T][T] row-major, C [horizon][T].
 */
export function transformMatrices(t: Pick<ForecastTransform, 'name' | 'season'>, T: number, horizon: number): { M: Float64Array; C: Float64Array } | null {
  if (!mixesTime(t.name)) return null;
  const M = new Float64Array(T * T);
  const C = new Float64Array(horizon * T);
  if (t.name === 'window-normalize') {
    for (let r = 0; r < T; r++) for (let s = 0; s < T; s++) M[r * T + s] = (r === s ? 1 : 0) - 1 / T;
    C.fill(1 / T);
  } else {
    for (let r = 1; r < T; r++) {
      M[r * T + r] = 1;
      M[r * T + r - 1] = -1;
    }
    for (let h = 1; h <= horizon; h++) {
      const src = t.name === 'difference' ? T - 1 : seasonalSource(T, h, t.season!);
      C[(h - 1) * T + src] = 1;
    }
  }
  return { M, C };
}

/** Why a transform cannot be used with this window and horizon, or null. */
export function transformProblem(t: Pick<ForecastTransform, 'name' | 'season'>, window: number, horizon: number): string | null {
  if (t.name === 'seasonal-difference') {
    const m = t.season;
    if (m === null || !Number.isInteger(m) || m < 1) return 'The seasonal-difference transform needs a season: no season was found or given (set one, or choose the difference transform).';
    if (window < m) return `The seasonal-difference transform looks one season (${m} steps) back inside the window: use a window of at least ${m} steps (it is ${window}).`;
    if (horizon > m) return `The seasonal-difference transform predicts at most one season ahead: use a horizon of at most ${m} steps (it is ${horizon}).`;
  }
  if ((t.name === 'difference' || t.name === 'seasonal-difference') && window < 2) return `The ${t.name} transform needs a window of at least 2 steps to see a change.`;
  return null;
}

/** Root mean square of the finite values (1 when there are none or they are all 0: a scale must not vanish). */
function rms(sumSquares: number, count: number): number {
  const r = count > 0 ? Math.sqrt(sumSquares / count) : 0;
  return Number.isFinite(r) && r > 0 ? r : 1;
}

/**
 * Fits a transform's scales on the training part of every series: `training[s][k]` holds series s's training values
 * of target k (logged under 'log', NaN where missing). difference: the RMS one-step change for inputs and outputs;
 * seasonal-difference: the RMS change over one season for outputs; window-normalize: the RMS distance of values and
 * of the next value from their window's mean (over every training window of `window` steps).
 */
export function fitTransform(name: TransformName, season: number | null, targets: string[], training: Float64Array[][], window: number): ForecastTransform {
  const columns = targets.map((column, k): TransformedColumn => {
    if (!mixesTime(name)) return { column, inputScale: 1, outputScale: 1 };
    let inSq = 0, inN = 0, outSq = 0, outN = 0;
    for (const series of training) {
      const v = series[k];
      if (name === 'window-normalize') {
        for (let s = 0; s + window < v.length; s++) {
          let sum = 0;
          for (let t = s; t < s + window; t++) sum += v[t];
          const mean = sum / window;
          let sq = 0;
          for (let t = s; t < s + window; t++) sq += (v[t] - mean) ** 2;
          const next = v[s + window] - mean;
          if (Number.isFinite(sq) && Number.isFinite(next)) {
            inSq += sq;
            inN += window;
            outSq += next * next;
            outN++;
          }
        }
        continue;
      }
      for (let p = 1; p < v.length; p++) {
        const d = v[p] - v[p - 1];
        if (Number.isFinite(d)) {
          inSq += d * d;
          inN++;
        }
        if (name === 'seasonal-difference' && p >= season!) {
          const e = v[p] - v[p - season!];
          if (Number.isFinite(e)) {
            outSq += e * e;
            outN++;
          }
        }
      }
    }
    const inputScale = rms(inSq, inN);
    return { column, inputScale, outputScale: name === 'seasonal-difference' ? rms(outSq, outN) : name === 'difference' ? inputScale : rms(outSq, outN) };
  });
  return { name, season: name === 'seasonal-difference' ? season : null, columns };
}

/**
 * Applies a time-mixing transform to one window (what transformMatrices describe, in O(T)): `values` is [T][width]
 * of features where column k < K holds target k's raw value; those columns are overwritten with their transformed
 * features, and the reference of each step ahead is written to `reference` ([horizon][K]). Other columns stay.
 */
export function transformWindow(t: ForecastTransform, values: Float64Array, T: number, width: number, reference: Float64Array): void {
  const K = t.columns.length;
  const horizon = reference.length / K;
  for (let k = 0; k < K; k++) {
    const scale = t.columns[k].inputScale;
    if (t.name === 'window-normalize') {
      let sum = 0;
      for (let s = 0; s < T; s++) sum += values[s * width + k];
      const mean = sum / T;
      for (let h = 0; h < horizon; h++) reference[h * K + k] = mean;
      for (let s = 0; s < T; s++) values[s * width + k] = (values[s * width + k] - mean) / scale;
      continue;
    }
    for (let h = 1; h <= horizon; h++) {
      const src = t.name === 'difference' ? T - 1 : seasonalSource(T, h, t.season!);
      reference[(h - 1) * K + k] = values[src * width + k];
    }
    for (let s = T - 1; s >= 1; s--) values[s * width + k] = (values[s * width + k] - values[(s - 1) * width + k]) / scale;
    values[k] = 0;
  }
}
