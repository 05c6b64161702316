// The parsed CSV as typed columns (numbers and dates as Float64Array, text dictionary-coded) and ways to read it.
import { infiniteCellValue, quoteCell } from './cell_values';
import { DataError } from './data_error';
import { formatDate, swapDayAndMonth, type DateFamily } from './dates';

/** Cells of a number or date column that were neither a value nor missing ("abc" among numbers), in row order. */
export interface InvalidCells {
  /** 0-based data rows. */
  rows: number[];
  /** The cells as written (trimmed). */
  values: string[];
}

interface ColumnBase {
  /** Header name as written ('' and duplicates allowed), or column_1… when the file has no header row. */
  name: string;
  /** 0-based position in the file. */
  index: number;
  /** Empty cells and missing-value markers (NA, NaN, null, …). */
  missing: number;
}

export interface NumberColumn extends ColumnBase {
  kind: 'number';
  /** One value per data row; NaN where the cell is missing or invalid. */
  values: Float64Array;
  invalid: InvalidCells;
}

export interface DateColumn extends ColumnBase {
  kind: 'date';
  /** UTC milliseconds per data row; NaN where the cell is missing or invalid. */
  values: Float64Array;
  family: DateFamily;
  /** The form of the first date, e.g. 'YYYY-MM-DD' or 'MM/DD/YYYY HH:mm'. */
  format: string;
  /** True for 01/02/2003-style dates where every cell also reads the other way (month-first was chosen). */
  ambiguousDayMonth: boolean;
  invalid: InvalidCells;
}

export interface TextColumn extends ColumnBase {
  kind: 'text';
  /** Index into `dictionary` per data row; -1 where the cell is missing. */
  codes: Int32Array;
  /** Distinct cell texts in order of first appearance (repeats possible once `dictionaryComplete` is false). */
  dictionary: string[];
  /** False when the column had so many distinct texts that repeats stopped being merged. */
  dictionaryComplete: boolean;
  /** NA-like words ("NA", "Nan", "none") read as missing here (code -1), with their rows in order; see writtenText. */
  missingWords?: InvalidCells;
}

export type Column = NumberColumn | DateColumn | TextColumn;

export interface DataTable {
  columns: Column[];
  /** Data rows (the header row is not counted). */
  rowCount: number;
  /** 1-based line of the file on which each data row starts. */
  rowLines: Int32Array;
  hasHeader: boolean;
  delimiter: string;
  decimalMark: '.' | ',';
  /** Blank lines (and rows with every cell empty) that were skipped. */
  skippedBlankRows: number;
}

/** The one column with this name; a DataError names the header when it is absent or written more than once. */
export function columnNamed(table: DataTable, name: string): Column {
  const matches = table.columns.filter((c) => c.name === name);
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    const known = table.columns.map((c) => JSON.stringify(c.name)).join(', ');
    throw new DataError(`There is no column named ${JSON.stringify(name)}. The columns are: ${known}.`, { column: name });
  }
  throw new DataError(
    `The column name ${JSON.stringify(name)} appears ${matches.length} times in the header (columns ${matches.map((c) => c.index + 1).join(', ')}). ` +
      'Rename the duplicates in the file so each column can be chosen.',
    { column: name },
  );
}

/** "Row 12 (line 13 of the file)" for 0-based data row r. */
export function describeRow(table: DataTable, row: number): string {
  return `Row ${row + 1} (line ${table.rowLines[row]} of the file)`;
}

/** The cell as text for display: numbers as written by JavaScript, dates as ISO, '' when missing. */
export function cellText(column: Column, row: number): string {
  if (column.kind === 'text') {
    const code = column.codes[row];
    return code < 0 ? '' : column.dictionary[code];
  }
  const v = column.values[row];
  if (Number.isNaN(v)) {
    const k = column.invalid.rows.indexOf(row);
    return k < 0 ? '' : column.invalid.values[k];
  }
  return column.kind === 'date' ? formatDate(v, column.family) : String(v);
}

/**
 * cellText, except that an NA-like word read as missing in a text column comes back as written: for a model that
 * reads the column as text, where "Nan" may be a name.
 */
export function writtenText(column: Column, row: number): string {
  const words = column.kind === 'text' ? column.missingWords : undefined;
  if (!words || column.kind !== 'text' || column.codes[row] >= 0) return cellText(column, row);
  let lo = 0;
  let hi = words.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words.rows[mid] < row) lo = mid + 1;
    else hi = mid;
  }
  return words.rows[lo] === row ? words.values[lo] : '';
}

/**
 * The numeric values of a column for a use such as "a target": NaN marks missing cells. Throws a DataError naming
 * the row, line, column and value of the first cell that is text in a number column, or when the column is text.
 */
export function numericValues(table: DataTable, name: string, use: string): Float64Array {
  const column = columnNamed(table, name);
  if (column.kind === 'text') {
    const first = firstFilledRow(column);
    const sample = first < 0 ? '' : ` (for example ${describeRow(table, first).toLowerCase()} holds ${quoteCell(cellText(column, first))})`;
    throw new DataError(
      `Column ${JSON.stringify(name)} holds text, not numbers${sample}, so it cannot be used as ${use}. Choose a numeric column.`,
      { column: name },
    );
  }
  if (column.invalid.rows.length > 0) {
    const { infinite, other } = splitInvalid(table, column);
    if (other.length === 0) throw infiniteCellsError(table, name, infinite, use);
    const row = column.invalid.rows[other[0]];
    const value = column.invalid.values[other[0]];
    const more = other.length - 1;
    const what = column.kind === 'date' ? `a date like the others (${column.format})` : 'a number';
    throw new DataError(
      `${describeRow(table, row)}, column ${JSON.stringify(name)}: ${quoteCell(value)} is not ${what}, and the column is used as ${use}. ` +
        `Fix or empty that cell${more > 0 ? ` (and ${more} more like it)` : ''}, or leave the column out.`,
      { row: row + 1, column: name, value },
    );
  }
  return column.values;
}

/** Positions in `column.invalid` of the cells that write infinity ("inf", "-inf", "1e999") and of the other ones. */
export function splitInvalid(table: DataTable, column: NumberColumn | DateColumn): { infinite: number[]; other: number[] } {
  const infinite: number[] = [];
  const other: number[] = [];
  column.invalid.values.forEach((v, k) => (column.kind === 'number' && !Number.isNaN(infiniteCellValue(v, table.decimalMark)) ? infinite : other).push(k));
  return { infinite, other };
}

/** "row 18 (line 19 of the file): "inf", row 91 (line 92): "-inf"" for the first few of the given invalid cells. */
export function listInvalidCells(table: DataTable, column: NumberColumn | DateColumn, positions: number[], max = 5): string {
  const shown = positions.slice(0, max).map((k, i) => {
    const row = column.invalid.rows[k];
    return `row ${row + 1} (line ${table.rowLines[row]}${i === 0 ? ' of the file' : ''}): ${quoteCell(column.invalid.values[k])}`;
  });
  return shown.join(', ') + (positions.length > max ? ` and ${positions.length - max} more` : '');
}

function infiniteCellsError(table: DataTable, name: string, positions: number[], use: string): DataError {
  const column = columnNamed(table, name) as NumberColumn;
  const n = positions.length;
  const first = positions[0];
  return new DataError(
    `Column ${JSON.stringify(name)} holds ${n === 1 ? 'an infinite value' : `${n} infinite values`} (${listInvalidCells(table, column, positions)}), ` +
      `and the column is used as ${use}; a model can only learn from finite numbers. Empty ${n === 1 ? 'that cell' : 'those cells'} to treat ` +
      `${n === 1 ? 'it as a missing value' : 'them as missing values'}, which the missing-value policy then handles (drop the windows or sequences ` +
      `that touch ${n === 1 ? 'it' : 'them'}, forward-fill or interpolate), or write finite numbers there.`,
    { row: column.invalid.rows[first] + 1, column: name, value: column.invalid.values[first] },
  );
}

function firstFilledRow(column: TextColumn): number {
  for (let r = 0; r < column.codes.length; r++) if (column.codes[r] >= 0) return r;
  return -1;
}

/**
 * Re-reads an ambiguous 01/02/2003-style date column in the other order (the parser assumed month first). Replaces
 * the column in `table`; throws when the column's dates already tell day and month apart.
 */
export function chooseDayMonthOrder(table: DataTable, name: string, order: 'month-first' | 'day-first'): void {
  const column = columnNamed(table, name);
  if (column.kind !== 'date' || column.family !== 'day-month') {
    throw new DataError(`Column ${JSON.stringify(name)} does not hold dates like 01/02/2003, so there is no day/month order to choose.`, { column: name });
  }
  const current = column.format.startsWith('DD') ? 'day-first' : 'month-first';
  if (current === order) return;
  if (!column.ambiguousDayMonth) {
    throw new DataError(`The dates in column ${JSON.stringify(name)} can only be read ${current === 'day-first' ? 'day first' : 'month first'} (some day is above 12).`, { column: name });
  }
  const values = column.values.map((v) => (Number.isNaN(v) ? v : swapDayAndMonth(v)));
  const format = (order === 'day-first' ? column.format.replace(/^MM(.)DD/, 'DD$1MM') : column.format.replace(/^DD(.)MM/, 'MM$1DD'));
  table.columns[table.columns.indexOf(column)] = { ...column, values, format, ambiguousDayMonth: true };
}
