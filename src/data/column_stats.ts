// Profiles a column (type, missing, distinct, min/max/mean) and reads number columns of years or Unix times as dates.
import { isSingleWord } from './cell_values';
import type { Column, DataTable, NumberColumn, TextColumn } from './table';

export type ColumnType = 'number' | 'integer' | 'category' | 'text' | 'date';
/** How a number column becomes time: calendar years, or seconds / milliseconds since 1970. */
export type NumericTimeUnit = 'year' | 'unix-seconds' | 'unix-ms';

export interface ColumnProfile {
  name: string;
  index: number;
  type: ColumnType;
  missing: number;
  /** Cells that are neither values of the column's type nor missing (text among numbers). */
  invalid: number;
  firstInvalid: { row: number; value: string } | null;
  /** Distinct filled values (a lower bound when `distinctIsLowerBound`). */
  distinct: number;
  distinctIsLowerBound: boolean;
  /** Numbers and dates (dates in UTC milliseconds, also for years and Unix times); null for text. */
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** Filled values never decrease from one row to the next (numbers and dates). */
  nonDecreasing: boolean;
  /** Dates: the form, e.g. 'YYYY-MM-DD', 'MM/DD/YYYY', 'YYYY', 'unix-seconds'. */
  dateFormat?: string;
  ambiguousDayMonth?: boolean;
  /** Number columns read as dates. */
  timeUnit?: NumericTimeUnit;
  /** Text: mean length of the distinct texts, and the share of them containing a space. */
  meanTextLength?: number;
  spaceShare?: number;
  /** Text: the share of the distinct texts that are one word of letters ("Anna", "O'Neil"; see isSingleWord). */
  wordShare?: number;
  /** Categories: the most frequent values with their counts (at most 10). */
  topValues?: { value: string; count: number }[];
}

const cache = new WeakMap<Column, ColumnProfile>();
const YEAR_NAME = /year|yr|jahr|ann[ée]e|año|anno/i;
const TIME_NAME = /time|date|epoch|unix|stamp|^ts$|^t$/i;

/** The column's profile, computed once per column (a pass plus one sort for numbers). */
export function profileColumn(column: Column): ColumnProfile {
  let p = cache.get(column);
  if (!p) {
    p = column.kind === 'text' ? profileText(column) : profileNumbers(column);
    cache.set(column, p);
  }
  return p;
}

export function profileTable(table: DataTable): ColumnProfile[] {
  return table.columns.map(profileColumn);
}

/** Times in milliseconds for a date column or a number column of years / Unix times; null for other columns. */
export function timeMilliseconds(column: Column): Float64Array | null {
  if (column.kind === 'date') return column.values;
  if (column.kind !== 'number') return null;
  const unit = profileColumn(column).timeUnit;
  if (!unit) return null;
  const out = new Float64Array(column.values.length);
  for (let r = 0; r < out.length; r++) {
    const v = column.values[r];
    out[r] = Number.isNaN(v) ? NaN : unit === 'year' ? Date.UTC(v, 0, 1) : unit === 'unix-seconds' ? v * 1000 : v;
  }
  return out;
}

function profileNumbers(column: Exclude<Column, TextColumn>): ColumnProfile {
  const values = column.values;
  let count = 0;
  for (let r = 0; r < values.length; r++) if (!Number.isNaN(values[r])) count++;
  const sorted = new Float64Array(count);
  let k = 0;
  let sum = 0;
  let integer = true;
  let nonDecreasing = true;
  let previous = -Infinity;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (Number.isNaN(v)) continue;
    sorted[k++] = v;
    sum += v;
    if (integer && !Number.isInteger(v)) integer = false;
    if (v < previous) nonDecreasing = false;
    previous = v;
  }
  sorted.sort();
  let distinct = count > 0 ? 1 : 0;
  for (let i = 1; i < count; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  // Near the ends of the double range (±1e300), sum and squares in units of the largest magnitude, so neither overflows.
  const magnitude = count > 0 ? Math.max(Math.abs(sorted[0]), Math.abs(sorted[count - 1])) : 0;
  const per = magnitude > 1e100 ? magnitude : 1;
  if (per !== 1) {
    sum = 0;
    for (let i = 0; i < count; i++) sum += sorted[i] / per;
  }
  const mean = count > 0 ? (sum / count) * per : null;
  let squares = 0;
  if (mean !== null) for (let i = 0; i < count; i++) squares += ((sorted[i] - mean) / per) ** 2;
  const base: ColumnProfile = {
    name: column.name,
    index: column.index,
    type: column.kind === 'date' ? 'date' : integer && count > 0 ? 'integer' : 'number',
    missing: column.missing,
    invalid: column.invalid.rows.length,
    firstInvalid: column.invalid.rows.length > 0 ? { row: column.invalid.rows[0], value: column.invalid.values[0] } : null,
    distinct,
    distinctIsLowerBound: false,
    min: count > 0 ? sorted[0] : null,
    max: count > 0 ? sorted[count - 1] : null,
    mean,
    std: mean === null ? null : Math.sqrt(squares / count) * per,
    nonDecreasing,
  };
  if (column.kind === 'date') return { ...base, dateFormat: column.format, ambiguousDayMonth: column.ambiguousDayMonth };
  const unit = numericTimeUnit(column, base, integer);
  if (!unit) return base;
  const toMs = (v: number | null) => (v === null ? null : unit === 'year' ? Date.UTC(v, 0, 1) : unit === 'unix-seconds' ? v * 1000 : v);
  return { ...base, type: 'date', timeUnit: unit, dateFormat: unit === 'year' ? 'YYYY' : unit, min: toMs(base.min), max: toMs(base.max), mean: null, std: null };
}

/**
 * Years: whole numbers 1000–2999 in a column named like "year" (or a first column that never decreases). Unix times:
 * seconds 1e8–4.2e9 or milliseconds 1e11–4.2e12 in a column named like "time"/"timestamp", or whole and increasing.
 */
function numericTimeUnit(column: NumberColumn, p: ColumnProfile, integer: boolean): NumericTimeUnit | null {
  if (p.min === null || p.max === null || p.distinct < 2) return null;
  const increasingWhole = integer && p.nonDecreasing && p.distinct >= 3;
  if (integer && p.min >= 1000 && p.max <= 2999 && (YEAR_NAME.test(column.name) || (column.index === 0 && p.nonDecreasing))) return 'year';
  const hinted = TIME_NAME.test(column.name);
  if (p.min >= 1e8 && p.max <= 4.2e9 && (hinted || increasingWhole)) return 'unix-seconds';
  if (p.min >= 1e11 && p.max <= 4.2e12 && (hinted || increasingWhole)) return 'unix-ms';
  return null;
}

function profileText(column: TextColumn): ColumnProfile {
  const counts = new Int32Array(column.dictionary.length);
  for (let r = 0; r < column.codes.length; r++) if (column.codes[r] >= 0) counts[column.codes[r]]++;
  let used = 0;
  let length = 0;
  let spaced = 0;
  let words = 0;
  let singleWords = 0;
  column.dictionary.forEach((text, code) => {
    if (counts[code] === 0) return;
    used++;
    length += text.length;
    if (isSingleWord(text)) singleWords++;
    if (/\s/.test(text)) spaced++;
    words += text.split(/\s+/).filter((w) => w !== '').length;
  });
  const filled = column.codes.length - column.missing;
  const meanTextLength = used > 0 ? length / used : 0;
  // Sentences (four words or more on average) are free text however often they repeat.
  const sentences = used > 0 && words / used >= 4;
  const category = used > 0 && !sentences && (used <= 20 || (used <= 0.5 * filled && used <= 10_000 && meanTextLength <= 40));
  const profile: ColumnProfile = {
    name: column.name,
    index: column.index,
    type: category ? 'category' : 'text',
    missing: column.missing,
    invalid: 0,
    firstInvalid: null,
    distinct: used,
    distinctIsLowerBound: !column.dictionaryComplete,
    min: null,
    max: null,
    mean: null,
    std: null,
    nonDecreasing: false,
    meanTextLength,
    spaceShare: used > 0 ? spaced / used : 0,
    wordShare: used > 0 ? singleWords / used : 0,
  };
  if (category) {
    const order = Array.from(counts.keys()).filter((c) => counts[c] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
    profile.topValues = order.slice(0, 10).map((c) => ({ value: column.dictionary[c], count: counts[c] }));
  }
  return profile;
}
