// Legacy synchronous CSV reader into raw string cells, used by src/ui/controller.ts until it moves to csv_stream.ts + training_set.ts.
import Papa from 'papaparse';
import { DataError } from './data_error';

export interface CsvTable {
  /** Header names in file order; kept as data, so duplicates, '' and '__proto__' are all fine. */
  header: string[];
  rowCount: number;
  /** Raw trimmed cells, columnar: columns[c][r] is data row r (0-based) of header column c. */
  columns: string[][];
  /**
   * 1-based line of the file on which each data row starts (rowLines[r] for data row r).
   * Filled in by parseCsvText; when absent, row r is assumed to be on line r + 2.
   */
  rowLines?: number[];
}

const DEFAULT_MAX_BYTES = 1024 ** 3;
const BYTES_PER_MB = 1024 * 1024;

/** Parses CSV text with a header row; throws DataError describing the first structural problem. */
export function parseCsvText(text: string): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!/\S/.test(text)) throw new DataError('The file is empty: it needs a header row and at least one data row.');

  const delimiter = detectDelimiter(text);
  const breakCode = lineBreakCode(text);
  // Filled in by the row callback below (an object, so TypeScript does not narrow it to its initial value).
  const state = {
    header: null as string[] | null,
    headerLine: 0,
    columns: [] as string[][],
    rowLines: [] as number[],
    problem: null as DataError | null,
    cursor: 0, // character offset where the next row starts
    lineAtCursor: 1, // 1-based file line of that character
  };

  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      const line = state.lineAtCursor;
      const rowEnd = result.meta.cursor;
      for (let i = state.cursor; i < rowEnd; i++) if (text.charCodeAt(i) === breakCode) state.lineAtCursor++;
      state.cursor = rowEnd;
      const row = state.rowLines.length + 1; // the data row number this row would get

      const quoteError = result.errors.find((e) => e.type === 'Quotes');
      if (quoteError) {
        const where = state.header === null ? `The header row (line ${line} of the file)` : `Row ${row} (line ${line} of the file)`;
        const what =
          quoteError.code === 'MissingQuotes'
            ? 'has a quoted field that is never closed'
            : 'has a malformed quoted field (text after a closing quote)';
        state.problem = new DataError(
          `${where} ${what}. Check for a stray double quote (") in that row; a literal quote inside a quoted field is written as "".`,
          state.header === null ? {} : { row },
        );
        parser.abort();
        return;
      }
      const cells = result.data.map((cell) => cell.trim());
      if (cells.length === 1 && cells[0] === '') return; // blank line

      if (state.header === null) {
        state.header = cells;
        state.headerLine = line;
        state.columns = cells.map(() => []);
        return;
      }
      const expected = state.header.length;
      if (cells.length === expected + 1 && cells[expected] === '') cells.pop(); // tolerated trailing delimiter
      if (cells.length !== expected) {
        state.problem = new DataError(
          `Row ${row} (line ${line} of the file) has ${cells.length} field${cells.length === 1 ? '' : 's'}, ` +
            `but the header (line ${state.headerLine}) has ${expected} column${expected === 1 ? '' : 's'}. ` +
            `Every row needs exactly ${expected} fields (the delimiter is ${describeDelimiter(delimiter)}); ` +
            `check that row for a missing value, an extra value, or a delimiter inside a value that is not quoted.`,
          { row },
        );
        parser.abort();
        return;
      }
      for (let c = 0; c < expected; c++) state.columns[c].push(cells[c]);
      state.rowLines.push(line);
    },
  });

  const { header, columns, rowLines, problem } = state;
  if (problem) throw problem;
  if (header === null) throw new DataError('The file is empty: it needs a header row and at least one data row.');
  if (rowLines.length === 0) {
    throw new DataError(
      `The file has a header but no data rows (the header is on line ${state.headerLine}). Add at least one row of values below the header.`,
    );
  }
  return { header, rowCount: rowLines.length, columns, rowLines };
}

/** Reads a browser File or Node Blob as strict UTF-8 and parses it; refuses files over maxBytes. */
export async function parseCsvFile(file: Blob, maxBytes: number = DEFAULT_MAX_BYTES): Promise<CsvTable> {
  if (file.size > maxBytes) {
    throw new DataError(
      `The file is ${formatMb(file.size)} MB, over the ${formatMb(maxBytes)} MB limit. Use a smaller file (for example, fewer rows or only the needed columns).`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new DataError(
      `The file is not a UTF-8 text CSV: it contains a NUL byte at byte offset ${nul} (binary data, or UTF-16 text). Save it as "CSV UTF-8" and try again.`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DataError(
      'The file is not a UTF-8 text CSV: it contains bytes that are not valid UTF-8 (perhaps a Latin-1/Windows-1252 export or a binary file). Save it as "CSV UTF-8" and try again.',
    );
  }
  return parseCsvText(text);
}

/** Names of columns whose non-empty cells are all finite numbers (with at least one non-empty cell), each listed once. */
export function numericColumnNames(table: CsvTable): string[] {
  const names: string[] = [];
  table.header.forEach((name, c) => {
    const cells = table.columns[c];
    let nonEmpty = 0;
    for (const cell of cells) {
      if (cell === '') continue;
      if (!Number.isFinite(parseNumberCell(cell))) return;
      nonEmpty++;
    }
    if (nonEmpty > 0 && !names.includes(name)) names.push(name);
  });
  return names;
}

/** Converts one column to numbers; throws DataError naming the row, column, value and file line of the first bad cell. */
export function toNumericColumn(table: CsvTable, column: string): Float64Array {
  const indexes: number[] = [];
  table.header.forEach((name, c) => {
    if (name === column) indexes.push(c);
  });
  if (indexes.length === 0) {
    const known = table.header.map((h) => JSON.stringify(h)).join(', ');
    throw new DataError(`There is no column named ${JSON.stringify(column)}. The header has: ${known}.`, { column });
  }
  if (indexes.length > 1) {
    throw new DataError(
      `The column name ${JSON.stringify(column)} appears ${indexes.length} times in the header (columns ${indexes.map((i) => i + 1).join(', ')}). Rename the duplicates so the target column is unambiguous.`,
      { column },
    );
  }
  const cells = table.columns[indexes[0]];
  const out = new Float64Array(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    const cell = cells[r] ?? '';
    const row = r + 1;
    const line = table.rowLines?.[r] ?? r + 2;
    const where = `Row ${row}, column ${JSON.stringify(column)}`;
    if (cell === '') {
      throw new DataError(
        `${where} is empty (line ${line} of the file). Fill in or remove that row, or pick another target column.`,
        { row, column, value: cell },
      );
    }
    const v = parseNumberCell(cell);
    if (!Number.isFinite(v)) {
      const shown = JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);
      const reason = Number.isNaN(v) ? 'is not a number' : 'is not a finite number (too large)';
      const hint = /^[+-]?\d+,\d+$/.test(cell) ? ' It looks like a decimal comma; write decimals with a dot (1.5, not 1,5).' : '';
      throw new DataError(
        `${where}: ${shown} ${reason} (line ${line} of the file). Fix or remove that cell, or pick another target column.${hint}`,
        { row, column, value: cell },
      );
    }
    out[r] = v;
  }
  return out;
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Plain decimal or scientific notation only (no hex, "Infinity", "NaN" or thousands separators); NaN when not a number. */
function parseNumberCell(cell: string): number {
  return NUMBER_PATTERN.test(cell) ? Number(cell) : NaN;
}

/** Uses PapaParse's own delimiter detection on the first rows, ignoring blank lines (comma when undetectable). */
function detectDelimiter(text: string): string {
  const preview = Papa.parse<string[]>(text, { preview: 10, skipEmptyLines: 'greedy' });
  return preview.meta.delimiter || ',';
}

/** The character counted to number lines: '\n' for LF and CRLF files, '\r' for old Mac CR-only files. */
function lineBreakCode(text: string): number {
  const hasLf = text.includes('\n');
  return hasLf || !text.includes('\r') ? 10 : 13;
}

function describeDelimiter(delimiter: string): string {
  if (delimiter === '\t') return 'a tab';
  if (delimiter === ',') return 'a comma (",")';
  if (delimiter === ';') return 'a semicolon (";")';
  if (delimiter === '|') return 'a pipe ("|")';
  return JSON.stringify(delimiter);
}

/** Megabytes (MiB) to three significant digits, e.g. 1024, 1.5, 0.000954. */
function formatMb(bytes: number): string {
  return String(Number((bytes / BYTES_PER_MB).toPrecision(3)));
}
