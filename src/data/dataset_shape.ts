// Guesses a table's shape (one series, long format, wide one-sequence-per-row, text or single words + label) and the task.
import { profileColumn, timeMilliseconds, type ColumnProfile } from './column_stats';
import { groupRows, rowsByGroup } from './groups';
import type { Column, DataTable } from './table';

export type DatasetShape = 'one-series' | 'long' | 'wide' | 'text-label';
export type Task = 'forecast' | 'classify-sequences' | 'classify-text' | 'generate';

export interface ShapeGuess {
  shape: DatasetShape;
  suggestedTask: Task;
  /** The column giving each row's time (a date, or a whole-number step column), or null for row order. */
  timeColumn: string | null;
  /** The column naming each row's series in long format, else null. */
  groupColumn: string | null;
  /** The class column for classification, else null. */
  labelColumn: string | null;
  /** The free-text column for text classification, else null. */
  textColumn: string | null;
  /** Text classification: 'char' when the texts are single words (names, vocabulary), 'word' for free text; else null. */
  textTokens: 'word' | 'char' | null;
  /** Numeric columns holding the values (the series, or the time steps of a wide row). */
  valueColumns: string[];
  /** One sentence on why, for people. */
  reason: string;
}

const STEP_NAME = /^(t|time|time_?step|step|steps|index|idx|seq|sequence|tick|period|hour|day|week|month|timestamp|date)$/i;
const LABEL_NAME = /^(label|labels|class|classes|target|y|category|activity|outcome|diagnosis|sentiment|species|genre|topic)$|label|class/i;
const GROUP_NAME = /id$|^id|symbol|ticker|station|location|city|country|store|series|group|sensor|device|unit|region|site|name|item|sku|subject|user/i;
/** Wide format needs at least this many numeric columns (time steps) per row. */
const MIN_WIDE_STEPS = 8;
/** A column of single words: at least this share of its distinct texts are one word of letters. */
const SINGLE_WORD_SHARE = 0.8;

export function guessShape(table: DataTable): ShapeGuess {
  const profiles = table.columns.map(profileColumn);
  const numeric = profiles.filter((p) => p.type === 'number' || p.type === 'integer');
  const time = findTimeColumn(table, profiles);
  const labels = labelCandidates(table, profiles, time);
  const label = labels[0] ?? null;
  const text = profiles.find((p) => p.type === 'text' && p.name !== label?.name && ((p.meanTextLength ?? 0) >= 12 || (p.spaceShare ?? 0) >= 0.5));
  const base = { timeColumn: time?.name ?? null, groupColumn: null, labelColumn: null, textColumn: null, textTokens: null };

  if (text && label) {
    const words = isWordColumn(text);
    return {
      ...base,
      shape: 'text-label',
      suggestedTask: 'classify-text',
      labelColumn: label.name,
      textColumn: text.name,
      textTokens: words ? 'char' : 'word',
      valueColumns: [],
      reason: words
        ? singleWordsReason(text, label)
        : `Column ${JSON.stringify(text.name)} holds free text and ${JSON.stringify(label.name)} a label for each row.`,
    };
  }
  if (time) {
    const group = findGroupColumn(table, profiles, time, label);
    if (group) {
      const perGroupLabel = labels.find((p) => p.name !== group.name && LABEL_NAME.test(p.name) && constantWithinGroups(table, p.name, group.name)) ?? null;
      const values = numeric.filter((p) => p.name !== time.name && p.name !== group.name && p.name !== perGroupLabel?.name).map((p) => p.name);
      return {
        ...base,
        shape: 'long',
        suggestedTask: perGroupLabel ? 'classify-sequences' : 'forecast',
        groupColumn: group.name,
        labelColumn: perGroupLabel?.name ?? null,
        valueColumns: values,
        reason:
          `Several series in long format: column ${JSON.stringify(group.name)} names the series and ${JSON.stringify(time.name)} orders each one` +
          (perGroupLabel ? `; ${JSON.stringify(perGroupLabel.name)} labels each series.` : '.'),
      };
    }
  }
  const steps = numeric.filter((p) => p.name !== label?.name);
  const labelAtEdge = label && (label.index === 0 || label.index === table.columns.length - 1 || LABEL_NAME.test(label.name));
  if (!time && label && labelAtEdge && steps.length >= MIN_WIDE_STEPS) {
    return {
      ...base,
      shape: 'wide',
      suggestedTask: 'classify-sequences',
      labelColumn: label.name,
      valueColumns: steps.map((p) => p.name),
      reason: `Each row looks like one sequence: ${steps.length} numeric columns as time steps and ${JSON.stringify(label.name)} as its class.`,
    };
  }
  // Single words with a label (names and their gender, words and their part of speech): classify their letters. A
  // column of many different words always qualifies; a repeating one (a category) only when no column holds numbers.
  // The words have more distinct values than their label (a word column can be a label candidate too).
  for (const l of labels) {
    const noNumbers = numeric.every((p) => p.name === time?.name || p.name === l.name);
    const words = profiles.find((p) => p.name !== l.name && p.name !== time?.name && isWordColumn(p) && p.distinct > l.distinct && (p.type === 'text' || noNumbers));
    if (!words) continue;
    return {
      ...base,
      shape: 'text-label',
      suggestedTask: 'classify-text',
      labelColumn: l.name,
      textColumn: words.name,
      textTokens: 'char',
      valueColumns: [],
      reason: singleWordsReason(words, l),
    };
  }
  return {
    ...base,
    shape: 'one-series',
    suggestedTask: 'forecast',
    valueColumns: numeric.filter((p) => p.name !== time?.name).map((p) => p.name),
    reason: time ? `One time series ordered by ${JSON.stringify(time.name)}.` : 'One time series in row order (no date or time column was found).',
  };
}

/** A text or category column (two distinct values at least) whose distinct texts are nearly all single words. */
function isWordColumn(p: ColumnProfile): boolean {
  return (p.type === 'text' || p.type === 'category') && p.distinct >= 2 && (p.wordShare ?? 0) >= SINGLE_WORD_SHARE;
}

function singleWordsReason(words: ColumnProfile, label: ColumnProfile): string {
  return (
    `Column ${JSON.stringify(words.name)} holds single words and ${JSON.stringify(label.name)} a label for each row: ` +
    'text classification with characters as the tokens.'
  );
}

/** The first date column, else a whole-number column named like a time step ("t", "step", "index", …). */
function findTimeColumn(table: DataTable, profiles: ColumnProfile[]): ColumnProfile | null {
  const date = profiles.find((p) => p.type === 'date');
  if (date) return date;
  return profiles.find((p) => p.type === 'integer' && STEP_NAME.test(p.name.trim()) && p.distinct >= 2) ?? null;
}

/**
 * Columns that could hold class labels (categories, or whole numbers with 2–50 distinct values, repeated), best
 * first: label-like names (categories before numbers), then the first column, the last column, other categories.
 */
function labelCandidates(table: DataTable, profiles: ColumnProfile[], time: ColumnProfile | null): ColumnProfile[] {
  const filled = (p: ColumnProfile) => table.rowCount - p.missing;
  const candidates = profiles.filter(
    (p) =>
      p.name !== time?.name &&
      p.distinct >= 2 &&
      p.distinct <= Math.max(2, filled(p) / 2) &&
      (p.type === 'category' || (p.type === 'integer' && p.distinct <= 50)),
  );
  const last = table.columns.length - 1;
  const rank = (p: ColumnProfile) =>
    LABEL_NAME.test(p.name) ? (p.type === 'category' ? 0 : 1) : p.index === 0 ? 2 : p.index === last ? 3 : p.type === 'category' ? 4 : 5;
  return candidates.filter((p) => rank(p) < 5).sort((a, b) => rank(a) - rank(b) || a.index - b.index);
}

/**
 * A column that splits the rows into series: the time column repeats across its groups (at least a fifth of the
 * times are repeats) but hardly within one (under 5% of rows).
 */
function findGroupColumn(table: DataTable, profiles: ColumnProfile[], time: ColumnProfile, label: ColumnProfile | null): ColumnProfile | null {
  const timeColumn = table.columns[time.index];
  const times = timeValues(timeColumn);
  const filled = table.rowCount - time.missing;
  if (filled - time.distinct < 0.2 * filled) return null;
  const candidates = profiles
    .filter((p) => p.index !== time.index && p.distinct >= 2 && p.distinct <= filled / 2 && (p.type === 'category' || p.type === 'integer' || p.type === 'text'))
    .sort((a, b) => Number(GROUP_NAME.test(b.name)) - Number(GROUP_NAME.test(a.name)) || Number(a.name === label?.name) - Number(b.name === label?.name) || a.index - b.index);
  for (const p of candidates) {
    const groups = rowsByGroup(groupRows(table, p.name), times);
    let repeats = 0;
    for (const rows of groups) for (let i = 1; i < rows.length; i++) if (times[rows[i]] === times[rows[i - 1]]) repeats++;
    if (repeats < 0.05 * filled) return p;
  }
  return null;
}

/** Times of a date, year or Unix-time column in milliseconds, or the numbers of a step column. */
export function timeValues(column: Column): Float64Array {
  const ms = timeMilliseconds(column);
  if (ms) return ms;
  if (column.kind === 'text') return new Float64Array(column.codes.length).fill(NaN);
  return column.values;
}

function constantWithinGroups(table: DataTable, labelName: string, groupName: string): boolean {
  const labels = groupRows(table, labelName).codes;
  const groups = groupRows(table, groupName).codes;
  const seen = new Map<number, number>();
  for (let r = 0; r < table.rowCount; r++) {
    if (groups[r] < 0 || labels[r] < 0) continue;
    const known = seen.get(groups[r]);
    if (known === undefined) seen.set(groups[r], labels[r]);
    else if (known !== labels[r]) return false;
  }
  return true;
}
