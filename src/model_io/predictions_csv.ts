// Predictions as CSV text in original units: forecasts per window, or a class and its probabilities per input.
import { decodeForecast } from '../data/target_transform';
import type { ModelManifest } from '../export/manifest';
import type { InferenceInputs } from './inference_types';
import { softmaxRows } from './metrics';

/** A CSV field, quoted when it holds a delimiter, quote, line break or surrounding spaces. */
export function csvField(value: string | number): string {
  const s = typeof value === 'number' ? formatNumber(value) : value;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Nine significant digits: every float32 output survives, without float64 noise. */
export function formatNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(9))) : '';
}

/** Output names of a forecast model: "price t+1", "price t+2", … (step-major, as the outputs). */
export function forecastOutputNames(m: ModelManifest): string[] {
  const horizon = m.config.outputSize / m.targetColumns.length;
  return Array.from({ length: horizon }, (_, h) => m.targetColumns.map((t) => `${t} t+${h + 1}`)).flat();
}

/** Forecasts [count][horizon][targets] in normalized units back to original units with the saved target scaling. */
export function denormalizeForecasts(m: ModelManifest, outputs: ArrayLike<number>): Float64Array {
  const n = m.normalization.targets;
  const out = new Float64Array(outputs.length);
  for (let i = 0; i < outputs.length; i++) {
    const s = n[i % n.length];
    out[i] = outputs[i] * s.b + s.a;
  }
  return out;
}

/**
 * The predictions CSV (header and one line per input). Forecast: the series (group column), `last_row` (1-based data
 * row of the window's last step, empty for a step filled into a time gap), `last_<time column>`, then one column per
 * output ("price t+1", …), in original units. Classification: `row` (or the series for long format), `predicted`
 * (class name), then `p(<class>)` per class (softmax of the logits).
 */
export function predictionsCsv(m: ModelManifest, inputs: InferenceInputs, outputs: Float32Array): string {
  const lines: string[] = [];
  const push = (fields: (string | number)[]) => lines.push(fields.map(csvField).join(','));
  if (m.task === 'forecast') {
    const names = forecastOutputNames(m);
    const values = inputs.decoder ? decodeForecast(outputs, inputs.decoder) : denormalizeForecasts(m, outputs);
    const O = names.length;
    push([...(m.groupColumn ? [m.groupColumn] : []), 'last_row', ...(m.timeColumn ? [`last_${m.timeColumn}`] : []), ...names]);
    inputs.keys.forEach((k, i) => {
      const row = k.row >= 0 ? String(k.row + 1) : '';
      push([...(m.groupColumn ? [k.group ?? ''] : []), row, ...(m.timeColumn ? [k.time ?? ''] : []), ...Array.from(values.subarray(i * O, (i + 1) * O))]);
    });
  } else {
    const classes = m.classNames ?? [];
    const K = classes.length;
    const p = softmaxRows(outputs, K);
    const long = m.layout === 'long' && m.task === 'classify-sequences';
    push([long ? (m.groupColumn ?? 'series') : 'row', 'predicted', ...classes.map((c) => `p(${c})`)]);
    inputs.keys.forEach((k, i) => {
      const probs = Array.from(p.subarray(i * K, (i + 1) * K));
      let best = 0;
      for (let c = 1; c < K; c++) if (outputs[i * K + c] > outputs[i * K + best]) best = c;
      push([long ? (k.group ?? '') : String(k.row + 1), classes[best], ...probs]);
    });
  }
  return `${lines.join('\n')}\n`;
}
