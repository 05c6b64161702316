// Data for the gradient-flow panel (pure): the latest profile per cell type as chart rows, and the across-training
// heatmap as log10 norms laid out for HeatmapCanvas.
import type { GradColumn } from '../store';
import { logNorm } from '../heatmap';

/** Rows { t, lstm?, gru?, rnn? } of ‖dL/dh_t‖ for each cell type's latest probe of the same window. */
export function gradLineRows(byCell: Partial<Record<string, GradColumn & { window: number }>>, window: number): { rows: Record<string, number | null>[]; cells: string[]; domain: [number, number] } {
  const cells = (['lstm', 'gru', 'rnn'] as const).filter((c) => byCell[c] && byCell[c]!.window === window);
  const rows = Array.from({ length: window }, (_, t) => {
    const row: Record<string, number | null> = { t };
    for (const c of cells) {
      const v = byCell[c]!.norms[t];
      row[c] = Number.isFinite(v) && v > 0 ? v : null;
    }
    return row;
  });
  let lo = Infinity, hi = -Infinity;
  for (const row of rows) for (const c of cells) {
    const v = row[c];
    if (v !== null && v !== undefined) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  // A decade of room at least, on whole powers of ten.
  const domain: [number, number] = Number.isFinite(lo) ? [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + (hi === lo ? 1e-9 : 0))] : [1e-3, 1];
  if (domain[1] <= domain[0]) domain[1] = domain[0] * 10;
  return { rows, cells, domain };
}

/** The history as a heatmap: columns are probes (training time), rows time steps; values log10 ‖dL/dh_t‖. */
export function gradHeatmap(history: GradColumn[]): { values: Float32Array; columns: number; window: number; domain: [number, number] } | null {
  if (history.length === 0) return null;
  const window = history[0].norms.length;
  const values = new Float32Array(history.length * window);
  let lo = Infinity, hi = -Infinity;
  history.forEach((col, k) => {
    for (let t = 0; t < window; t++) {
      const v = logNorm(col.norms[t]);
      values[k * window + t] = v;
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  });
  if (!Number.isFinite(lo)) return null;
  return { values, columns: history.length, window, domain: hi > lo ? [lo, hi] : [lo - 1, hi + 1] };
}
