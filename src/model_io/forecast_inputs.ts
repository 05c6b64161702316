// Forecast inputs for a saved model: every window of a new table, laid out and scaled as in training (saved statistics).
import { cyclePosition } from '../data/calendar_features';
import { profileColumn } from '../data/column_stats';
import { timeValues } from '../data/dataset_shape';
import { DataError } from '../data/data_error';
import { formatDate } from '../data/dates';
import { buildGroupSeries, typicalStep } from '../data/forecast_series';
import { groupRows, rowsByGroup } from '../data/groups';
import { cellText, columnNamed, type DataTable, type TextColumn } from '../data/table';
import { modelNumbers } from './model_columns';
import type { InputFeature, ModelManifest } from '../export/manifest';
import { mixesTime, transformWindow, type ForecastDecoder } from '../data/target_transform';
import { dataMissing } from './data_description';
import { droppedNote, type InferenceInputs, type InferenceKey } from './inference_types';

/**
 * Every window of `window` consecutive steps of each series (stride 1), so the last window of a series predicts the
 * steps after the file ends. Series are laid out as in training: grouped, sorted by time, gaps filled or marked by the
 * missing policy (windows never cross an unfilled gap); windows holding a missing input are left out.
 */
export function forecastInputs(m: ModelManifest, table: DataTable): InferenceInputs {
  const features: InputFeature[] = m.features ?? m.inputColumns.map((name) => ({ name, column: name, kind: 'value' }));
  const T = m.window;
  const F = features.length;
  const valueColumns = [...new Set(features.flatMap((f) => (f.kind === 'value' ? [f.column] : [])))];
  const categoryNames = [...new Set(features.flatMap((f) => (f.kind === 'onehot' ? [f.column] : [])))];
  const numeric = valueColumns.map((name) => modelNumbers(table, name, m.targetColumns.includes(name) ? 'a target, also an input' : 'an input'));
  const categories = categoryNames.map((name) => categoryColumn(table, name));
  const timeColumn = m.timeColumn === null ? null : columnNamed(table, m.timeColumn);
  const times = timeColumn ? timeValues(timeColumn) : null;
  const isDate = timeColumn !== null && profileColumn(timeColumn).type === 'date';
  if (features.some((f) => f.kind === 'calendar') && !isDate) {
    throw new DataError(`The model computes calendar features from column ${JSON.stringify(m.timeColumn)}, but in this file it does not hold dates.`, { column: m.timeColumn ?? undefined });
  }

  const grouping = groupRows(table, m.groupColumn);
  const groupRowLists = rowsByGroup(grouping, times);
  const step = typicalStep(groupRowLists, times);
  const missing = dataMissing(m.missing);
  // Fractions 0: interpolation (if chosen) runs over the whole series, as there is no split to keep apart.
  const series = groupRowLists.map((rows) => buildGroupSeries(rows, { numeric, categories, times, step, missing, valFraction: 0, testFraction: 0 }));

  const norm = m.normalization.inputs;
  const transform = m.transform ?? { name: 'none' as const, season: null, columns: [] };
  const K = m.targetColumns.length;
  const mixing = mixesTime(transform.name);
  const windows: { g: number; start: number }[] = [];
  let dropped = 0;
  let tooShort = 0;
  const perSeries = series.map((s, g) => {
    // [length][F] raw feature values (NaN where missing), then normalized.
    const values = new Float64Array(s.length * F);
    for (let p = 0; p < s.length; p++) {
      features.forEach((f, i) => {
        let raw: number;
        if (f.kind === 'value') raw = s.numeric[valueColumns.indexOf(f.column)][p];
        else if (f.kind === 'onehot') {
          const c = categoryNames.indexOf(f.column);
          const code = s.categoryCodes[c][p];
          raw = code >= 0 && categories[c].dictionary[code] === f.value ? 1 : 0;
        } else {
          const angle = 2 * Math.PI * cyclePosition(f.part, s.times![p]);
          raw = f.fn === 'sin' ? Math.sin(angle) : Math.cos(angle);
        }
        // A time-mixing transform reads the targets' raw values (transformed per window below); log reads their log.
        if (i < K && mixing) values[p * F + i] = raw;
        else values[p * F + i] = ((i < K && transform.name === 'log' ? Math.log(raw) : raw) - norm[i].a) / norm[i].b;
      });
    }
    if (s.length < T) tooShort++;
    const bad = new Int32Array(s.length + 1);
    const breaks = new Int32Array(s.length + 1);
    for (let p = 0; p < s.length; p++) {
      let nan = false;
      for (let i = 0; i < F && !nan; i++) nan = Number.isNaN(values[p * F + i]);
      bad[p + 1] = bad[p] + (nan ? 1 : 0);
      breaks[p + 1] = breaks[p] + s.breaks[p];
    }
    for (let start = 0; start + T <= s.length; start++) {
      if (bad[start + T] - bad[start] > 0 || breaks[start + T] - breaks[start + 1] > 0) dropped++;
      else windows.push({ g, start });
    }
    return values;
  });

  const x = new Float32Array(windows.length * T * F);
  const decoder = forecastDecoder(m, windows.length);
  const scratch = new Float64Array(T * F);
  const reference = new Float64Array(decoder.offset.length / Math.max(1, windows.length));
  const keys: InferenceKey[] = windows.map(({ g, start }, n) => {
    const s = series[g];
    if (mixing) {
      scratch.set(perSeries[g].subarray(start * F, (start + T) * F));
      transformWindow(transform, scratch, T, F, reference);
      x.set(scratch, n * T * F);
      decoder.offset.set(reference, n * reference.length);
    } else x.set(perSeries[g].subarray(start * F, (start + T) * F), n * T * F);
    const last = start + T - 1;
    const row = s.rows[last];
    let time: string | null = null;
    if (timeColumn && s.times) time = row >= 0 ? cellText(timeColumn, row) : isDate ? formatDate(s.times[last]) : String(s.times[last]);
    return { row, group: m.groupColumn === null ? null : grouping.names[g], time };
  });
  const notes = droppedNote(dropped, 'window', m.missing);
  if (tooShort > 0) notes.push(`${tooShort} series ${tooShort === 1 ? 'is' : 'are'} shorter than the window of ${T} steps.`);
  if (keys.length === 0) throw new DataError(`This file gives no complete window of ${T} steps to predict from${notes.length ? ` (${notes.join(' ')})` : ''}.`);
  return { count: keys.length, x, keys, notes, decoder };
}

function categoryColumn(table: DataTable, name: string): TextColumn {
  const column = columnNamed(table, name);
  if (column.kind !== 'text') {
    throw new DataError(`The model reads column ${JSON.stringify(name)} as categories, but in this file it holds ${column.kind === 'date' ? 'dates' : 'numbers'}.`, { column: name });
  }
  return column;
}

/**
 * The decoder of `count` windows: offsets left at zero for a time-mixing transform (each window writes its own), else
 * the target normalization (exp'd under 'log'). Outputs are [count][horizon][targets].
 */
function forecastDecoder(m: ModelManifest, count: number): ForecastDecoder {
  const K = m.targetColumns.length;
  const O = m.config.outputSize;
  const t = m.transform;
  const mixing = t !== undefined && mixesTime(t.name);
  const offset = new Float64Array(count * O);
  if (!mixing) for (let i = 0; i < offset.length; i++) offset[i] = m.normalization.targets[i % K].a;
  const scale = Float64Array.from({ length: K }, (_, k) => (mixing ? t.columns[k].outputScale : m.normalization.targets[k].b));
  return { offset, scale, exp: t?.name === 'log' };
}
