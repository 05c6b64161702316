// Per-feature normalization (z-score or min-max) fitted on training values only, and its inverse for display and metrics.

export type ScalingMethod = 'zscore' | 'minmax';

/** scaled = (value - center) / scale. z-score: center = mean, scale = std; min-max: center = min, scale = max - min. */
export interface Scaling {
  column: string;
  method: ScalingMethod;
  center: number;
  scale: number;
}

/**
 * Fits a scaling on the given training values (NaN ignored). A feature that is constant in training (or has no
 * training values) gets scale 1, so it is only shifted.
 */
export function fitScaling(column: string, method: ScalingMethod, values: ArrayLike<number>): Scaling {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { column, method, center: 0, scale: 1 };
  let center: number;
  let spread: number;
  if (method === 'zscore') {
    center = sum / count;
    let squares = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) squares += (values[i] - center) ** 2;
    spread = Math.sqrt(squares / count);
  } else {
    center = min;
    spread = max - min;
  }
  // Rounding noise on a constant feature would blow values up; treat it as constant.
  const usable = Number.isFinite(spread) && spread > 1e-12 * Math.max(1, Math.abs(center));
  return { column, method, center, scale: usable ? spread : 1 };
}

export function scaleValue(value: number, s: Scaling): number {
  return (value - s.center) / s.scale;
}

export function unscaleValue(scaled: number, s: Scaling): number {
  return scaled * s.scale + s.center;
}

/**
 * Forecast outputs ([n][horizon][targets], as TrainingSet.y and model predictions) back to original units;
 * `targets` holds one Scaling per target column.
 */
export function unscaleForecast(y: ArrayLike<number>, targets: Scaling[]): Float64Array {
  const out = new Float64Array(y.length);
  const k = targets.length;
  for (let i = 0; i < y.length; i++) out[i] = unscaleValue(y[i], targets[i % k]);
  return out;
}
