// The report shown after loading a CSV: per-column profiles, the guessed shape and task, and warnings worth reading.
import { profileColumn, type ColumnProfile } from './column_stats';
import { guessShape, timeValues, type ShapeGuess } from './dataset_shape';
import { formatDate } from './dates';
import { groupRows, rowsByGroup } from './groups';
import { columnNamed, listInvalidCells, splitInvalid, type DataTable } from './table';

export type WarningKind = 'unsorted-time' | 'duplicate-time' | 'irregular-gaps' | 'constant-column' | 'empty-column' | 'invalid-cells' | 'ambiguous-dates' | 'many-missing';

export interface DataWarning {
  kind: WarningKind;
  column: string;
  message: string;
}

export interface TableReport extends ShapeGuess {
  rows: number;
  columns: ColumnProfile[];
  warnings: DataWarning[];
  hasHeader: boolean;
  delimiter: string;
  decimalMark: '.' | ',';
}

export function describeTable(table: DataTable): TableReport {
  const columns = table.columns.map(profileColumn);
  const shape = guessShape(table);
  const warnings: DataWarning[] = [];
  for (const p of columns) warnings.push(...columnWarnings(table, p));
  if (shape.timeColumn !== null) warnings.push(...timeWarnings(table, shape.timeColumn, shape.groupColumn));
  return { rows: table.rowCount, columns, ...shape, warnings, hasHeader: table.hasHeader, delimiter: table.delimiter, decimalMark: table.decimalMark };
}

function columnWarnings(table: DataTable, p: ColumnProfile): DataWarning[] {
  const out: DataWarning[] = [];
  const name = JSON.stringify(p.name);
  const filled = table.rowCount - p.missing;
  if (filled === 0) out.push({ kind: 'empty-column', column: p.name, message: `Column ${name} is empty in every row.` });
  else if (p.distinct === 1 && filled > 1 && !p.distinctIsLowerBound) {
    out.push({ kind: 'constant-column', column: p.name, message: `Column ${name} has the same value in every filled row, so it carries no information.` });
  }
  if (filled > 0 && p.missing > 0.2 * table.rowCount) {
    const share = Math.round((100 * p.missing) / table.rowCount);
    out.push({ kind: 'many-missing', column: p.name, message: `Column ${name} is missing in ${p.missing} of ${table.rowCount} rows (${share}%).` });
  }
  const column = table.columns[p.index];
  const invalid = p.firstInvalid && column.kind !== 'text' ? splitInvalid(table, column) : null;
  if (invalid && column.kind !== 'text' && invalid.infinite.length > 0) {
    const n = invalid.infinite.length;
    out.push({
      kind: 'invalid-cells',
      column: p.name,
      message:
        `Column ${name} has ${n === 1 ? 'an infinite value' : `${n} infinite values`}, which a model cannot learn from: ${listInvalidCells(table, column, invalid.infinite)}. ` +
        `Empty ${n === 1 ? 'it' : 'them'} to treat ${n === 1 ? 'it as a missing value' : 'them as missing values'} (the missing-value policy — drop, forward-fill or interpolate — then applies).`,
    });
  }
  if (invalid && column.kind !== 'text' && invalid.other.length > 0) {
    const k = invalid.other[0];
    const [row, value] = [column.invalid.rows[k], column.invalid.values[k]];
    const count = invalid.other.length;
    const what = p.type === 'date' ? 'dates like the others' : 'numbers';
    out.push({
      kind: 'invalid-cells',
      column: p.name,
      message:
        `Column ${name} has ${count} cell${count === 1 ? '' : 's'} that ${count === 1 ? 'is' : 'are'} not ${what}; the first is row ${row + 1} ` +
        `(line ${table.rowLines[row]} of the file): ${JSON.stringify(value)}. Fix ${count === 1 ? 'it' : 'them'} before using the column.`,
    });
  }
  if (p.ambiguousDayMonth) {
    out.push({
      kind: 'ambiguous-dates',
      column: p.name,
      message: `Column ${name}: every date reads both as month/day and as day/month; they were read as ${p.dateFormat} (month first unless chosen otherwise). Choose the other order if that is wrong.`,
    });
  }
  return out;
}

/** Unsorted and repeated times, and gaps much longer than the usual step, within each group. */
function timeWarnings(table: DataTable, timeName: string, groupName: string | null): DataWarning[] {
  const column = columnNamed(table, timeName);
  const times = timeValues(column);
  const isDate = profileColumn(column).type === 'date';
  const show = (v: number) => (isDate ? formatDate(v) : String(v));
  const fileOrder = rowsByGroup(groupRows(table, groupName), null);
  const where = groupName === null ? '' : ` within a ${JSON.stringify(groupName)} series`;
  const name = JSON.stringify(timeName);
  const out: DataWarning[] = [];

  let backwards = 0;
  let firstBackwards = -1;
  for (const rows of fileOrder) {
    let previous = -Infinity;
    for (const r of rows) {
      const t = times[r];
      if (Number.isNaN(t)) continue;
      if (t < previous) {
        backwards++;
        if (firstBackwards < 0 || r < firstBackwards) firstBackwards = r;
      }
      previous = t;
    }
  }
  if (backwards > 0) {
    out.push({
      kind: 'unsorted-time',
      column: timeName,
      message: `Column ${name} is not in time order${where}: ${backwards} row${backwards === 1 ? ' goes' : 's go'} back in time (the first is row ${firstBackwards + 1}). Rows will be sorted by time.`,
    });
  }

  const sorted = rowsByGroup(groupRows(table, groupName), times);
  const steps: number[] = [];
  let repeats = 0;
  let firstRepeat = -1;
  for (const rows of sorted) {
    for (let i = 1; i < rows.length; i++) {
      const step = times[rows[i]] - times[rows[i - 1]];
      if (step === 0) {
        repeats++;
        if (firstRepeat < 0) firstRepeat = rows[i];
      } else steps.push(step);
    }
  }
  if (repeats > 0) {
    out.push({
      kind: 'duplicate-time',
      column: timeName,
      message: `Column ${name} repeats a time${where} ${repeats} time${repeats === 1 ? '' : 's'} (first at row ${firstRepeat + 1}: ${show(times[firstRepeat])}).`,
    });
  }
  if (steps.length >= 2) {
    const usual = median(steps);
    let gaps = 0;
    let longest = 0;
    for (const s of steps) {
      if (s > 1.5 * usual) gaps++;
      longest = Math.max(longest, s);
    }
    if (gaps > 0) {
      const unit = isDate ? duration : (v: number) => String(v);
      out.push({
        kind: 'irregular-gaps',
        column: timeName,
        message: `Column ${name} has ${gaps} gap${gaps === 1 ? '' : 's'} longer than the usual step of ${unit(usual)} (the longest is ${unit(longest)}).`,
      });
    }
  }
  return out;
}

export function median(values: number[]): number {
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A duration in milliseconds for people: "1 day", "15 minutes", "2.5 hours". */
export function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000 * 365.25, 'year'],
    [86_400_000 * 30.44, 'month'],
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, label] of units) {
    if (ms >= size * 0.98) {
      const n = Number((ms / size).toPrecision(2));
      return `${n} ${label}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
