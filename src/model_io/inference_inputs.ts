// Engine inputs for a saved model from a new table of the same schema, with the model's saved normalization/vocabulary.
import { DataError } from '../data/data_error';
import { timeValues } from '../data/dataset_shape';
import { groupRows, rowsByGroup } from '../data/groups';
import { fillMissing } from '../data/missing_values';
import { tokenize } from '../data/text_set';
import { columnNamed, writtenText, type DataTable } from '../data/table';
import { modelNumbers } from './model_columns';
import type { ModelManifest } from '../export/manifest';
import { dataMissing } from './data_description';
import { forecastInputs } from './forecast_inputs';
import { droppedNote, type InferenceInputs, type InferenceKey } from './inference_types';

export type { InferenceInputs, InferenceKey } from './inference_types';

/** Columns the model reads, with what it uses each for (labels are not needed to predict). */
export function requiredColumns(m: ModelManifest): { column: string; use: string }[] {
  const out: { column: string; use: string }[] = [];
  const add = (column: string | null | undefined, use: string) => {
    if (column && !out.some((c) => c.column === column)) out.push({ column, use });
  };
  if (m.task === 'classify-text') add(m.inputColumns[0], 'the text column');
  else if (m.layout === 'wide' && m.task === 'classify-sequences') (m.sequenceColumns ?? []).forEach((c, t) => add(c, `time step ${t + 1}`));
  else {
    const features = m.features ?? m.inputColumns.map((name) => ({ name, column: name, kind: 'value' as const }));
    for (const f of features) add(f.column, f.kind === 'value' ? (m.targetColumns.includes(f.column) ? 'a target, also read as an input' : 'an input') : f.kind === 'onehot' ? 'a category input' : 'the calendar features');
  }
  add(m.timeColumn, 'the time column');
  add(m.groupColumn, 'the group column');
  return out;
}

/** Throws a DataError naming the first column the model needs that the table lacks (or holds twice). */
export function checkColumns(m: ModelManifest, table: DataTable): void {
  const names = table.columns.map((c) => JSON.stringify(c.name)).join(', ');
  for (const { column, use } of requiredColumns(m)) {
    const count = table.columns.filter((c) => c.name === column).length;
    if (count === 0) {
      throw new DataError(
        `The model was trained with column ${JSON.stringify(column)} (${use}), but this file has no column of that name. Its columns are: ${names}. ` +
          'Use a file with the same columns as the training data.',
        { column },
      );
    }
    if (count > 1) columnNamed(table, column); // throws the "appears twice" message
  }
}

/**
 * The model's inputs from `table`, built the way training built them but with the saved normalization and vocabulary
 * (nothing is refitted): forecasting gives every window (stride 1; the last one predicts past the end of the file),
 * sequence and text classification one input per row (wide, text) or per series (long). Throws a DataError when a
 * needed column is missing or holds text where the model reads numbers.
 */
export function buildInferenceInputs(m: ModelManifest, table: DataTable): InferenceInputs {
  checkColumns(m, table);
  if (m.task === 'forecast') return forecastInputs(m, table);
  if (m.task === 'classify-text') return textInputs(m, table);
  return m.layout === 'wide' ? wideInputs(m, table) : longInputs(m, table);
}

function finish(x: Float32Array, width: number, keys: InferenceKey[], notes: string[], what: string): InferenceInputs {
  if (keys.length === 0) throw new DataError(`This file gives no ${what} to predict from${notes.length ? ` (${notes.join(' ')})` : ''}.`);
  return { count: keys.length, x: x.length === keys.length * width ? x : x.slice(0, keys.length * width), keys, notes };
}

function textInputs(m: ModelManifest, table: DataTable): InferenceInputs {
  const v = m.vocabulary;
  if (!v) throw new DataError('model.json describes a text model without a vocabulary.');
  const T = m.window;
  const column = columnNamed(table, m.inputColumns[0]);
  const ids = new Map(v.tokens.map((t, i) => [t, i]));
  const x = new Float32Array(table.rowCount * T).fill(v.padId);
  const keys: InferenceKey[] = [];
  let empty = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const tokens = tokenize(writtenText(column, r), v.level, v.lowercase).slice(0, T);
    if (tokens.length === 0) empty++;
    const offset = v.padSide === 'left' ? T - tokens.length : 0;
    tokens.forEach((t, k) => (x[r * T + offset + k] = ids.get(t) ?? v.unknownId));
    keys.push({ row: r, group: null, time: null });
  }
  const notes = empty > 0 ? [`${empty} row${empty === 1 ? ' has' : 's have'} no text; ${empty === 1 ? 'its' : 'their'} input is all padding.`] : [];
  return finish(x, T, keys, notes, 'text');
}

function wideInputs(m: ModelManifest, table: DataTable): InferenceInputs {
  const columns = m.sequenceColumns ?? [];
  const T = columns.length;
  const values = columns.map((name, t) => modelNumbers(table, name, `time step ${t + 1}`));
  const n = m.normalization.inputs[0];
  const policy = dataMissing(m.missing);
  const x = new Float32Array(table.rowCount * T);
  const keys: InferenceKey[] = [];
  let dropped = 0;
  for (let r = 0; r < table.rowCount; r++) {
    const seq = Float64Array.from(values, (col) => col[r]);
    fillMissing(seq, policy);
    if (seq.some(Number.isNaN)) {
      dropped++;
      continue;
    }
    const at = keys.length * T;
    seq.forEach((v, t) => (x[at + t] = (v - n.a) / n.b));
    keys.push({ row: r, group: null, time: null });
  }
  return finish(x, T, keys, droppedNote(dropped, 'row', m.missing), 'complete row');
}

function longInputs(m: ModelManifest, table: DataTable): InferenceInputs {
  if (!m.groupColumn) throw new DataError('model.json describes a long-format sequence model without a group column.');
  const T = m.window;
  const F = m.inputColumns.length;
  const values = m.inputColumns.map((name) => modelNumbers(table, name, 'an input'));
  const times = m.timeColumn ? timeValues(columnNamed(table, m.timeColumn)) : null;
  const grouping = groupRows(table, m.groupColumn);
  const groups = rowsByGroup(grouping, times);
  const policy = dataMissing(m.missing);
  const norm = m.normalization.inputs;
  const x = new Float32Array(groups.length * T * F);
  const keys: InferenceKey[] = [];
  let dropped = 0;
  groups.forEach((rows, g) => {
    if (rows.length === 0) return;
    const cols = values.map((col) => {
      const out = Float64Array.from(rows, (r) => col[r]);
      fillMissing(out, policy);
      return out;
    });
    if (cols.some((c) => c.some(Number.isNaN))) {
      dropped++;
      return;
    }
    const skip = Math.max(0, rows.length - T);
    const offset = Math.max(0, T - rows.length);
    const at = keys.length * T * F;
    for (let t = skip; t < rows.length; t++) {
      for (let f = 0; f < F; f++) x[at + (offset + t - skip) * F + f] = (cols[f][t] - norm[f].a) / norm[f].b;
    }
    keys.push({ row: rows[0], group: grouping.names[g], time: null });
  });
  return finish(x, T * F, keys, droppedNote(dropped, 'series', m.missing), 'complete series');
}
