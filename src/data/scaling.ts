// Per-feature normalization (z-score or min-max) fitted on training values only, and its inverse for display and metrics.

export type ScalingMethod = 'zscore' | 'minmax';

/** scaled = (value - center) / scale. z-score: center = mean, scale = std; min-max: center = min, scale = max - min. */
export interface Scaling {
  column: string;
  method: ScalingMethod;
  center: number;
  scale: number;
}

/** The largest float32; scaled values go to the engine as float32, so beyond this they would become Infinity. */
export const FLOAT32_MAX = 3.4028234663852886e38;
/** Magnitudes between these are summed and squared directly; outside, the values are divided by the largest first. */
const DIRECT_MAX = 1e100;
const DIRECT_MIN = 1e-100;

/**
 * Fits a scaling on the given training values (NaN ignored). A feature that is constant in training (or has no
 * training values) gets scale 1, so it is only shifted. Values near the ends of the double range (±1e300, 1e-300)
 * are first divided by their largest magnitude, so neither the sum nor the squares overflow or underflow.
 */
export function fitScaling(column: string, method: ScalingMethod, values: ArrayLike<number>): Scaling {
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { column, method, center: 0, scale: 1 };
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  let center: number;
  let spread: number;
  if (method === 'zscore') {
    // Sums of v / unit, then back in units: unit 1 for ordinary values, so their scaling is exactly as before.
    const unit = magnitude > DIRECT_MAX || (magnitude > 0 && magnitude < DIRECT_MIN) ? magnitude : 1;
    let sum = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) sum += values[i] / unit;
    const mean = sum / count;
    let squares = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) squares += (values[i] / unit - mean) ** 2;
    center = mean * unit;
    spread = Math.sqrt(squares / count) * unit;
  } else {
    center = min;
    spread = max - min;
    if (!Number.isFinite(spread)) spread = Number.MAX_VALUE; // min and max more than the double range apart: scaled to [0, 2]
  }
  // Rounding noise on a constant feature would blow values up; treat it as constant.
  // Relative to the values' size: to 1 or the center as before, or to the largest value when every value is below 1.
  const size = magnitude < 1 ? magnitude : Math.max(1, Math.abs(center));
  const usable = Number.isFinite(spread) && spread > 1e-12 * size && spread > 0;
  return { column, method, center, scale: usable ? spread : 1 };
}

/** (value - center) / scale, also where the difference alone would overflow (value and center ±1e308 apart). */
export function scaleValue(value: number, s: Scaling): number {
  const scaled = (value - s.center) / s.scale;
  if (Number.isFinite(scaled) || !Number.isFinite(value)) return scaled;
  return value / s.scale - s.center / s.scale;
}

/** scaled · scale + center, also where the product alone would overflow but the sum does not. */
export function unscaleValue(scaled: number, s: Scaling): number {
  const value = scaled * s.scale + s.center;
  if (Number.isFinite(value) || !Number.isFinite(scaled)) return value;
  return (scaled + s.center / s.scale) * s.scale;
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
