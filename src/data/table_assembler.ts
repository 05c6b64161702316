// Turns parsed CSV rows into a DataTable: finds the header row (or its absence), checks row lengths, fills the columns.
import { guessDecimalMark, isMissingCell, parseNumberCell, type DecimalMark } from './cell_values';
import { ColumnBuilder } from './column_builder';
import { DataError } from './data_error';
import { readDateCell } from './dates';
import type { DataTable } from './table';

/** Rows looked at before deciding whether the first one is a header and how decimals are written. */
const SAMPLE_ROWS = 50;

export interface AssemblerOptions {
  delimiter: string;
  /** The line break counted for line numbers ('\n', or '\r' for old Mac files). */
  lineBreak: string;
  /** true / false force it; 'auto' decides from the first rows. */
  header: boolean | 'auto';
}

export class TableAssembler {
  private pending: string[][] = [];
  private pendingLines: number[] = [];
  private names: string[] | null = null;
  private hasHeader = false;
  private headerLine = 0;
  private builders: ColumnBuilder[] = [];
  private rowLines = new Int32Array(1024);
  private rowCount = 0;
  private nextLine = 1;
  private skippedBlankRows = 0;
  private decimalMark: DecimalMark = '.';
  private reservedRows = 0;

  constructor(private readonly options: AssemblerOptions) {}

  /** Rows taken in so far (data rows, plus rows still held back to decide about the header). */
  get rowsRead(): number {
    return this.rowCount + this.pending.length;
  }

  /** "Row 12 (line 13 of the file)" for the next row, for messages about a row the parser could not finish. */
  describeNextRow(): { text: string; row?: number } {
    if (this.names === null && this.pending.length > 0) this.decideHeader();
    if (this.names !== null) return { text: `Row ${this.rowCount + 1} (line ${this.nextLine} of the file)`, row: this.rowCount + 1 };
    if (this.pending.length === 0) return { text: `The first row (line ${this.nextLine} of the file)` };
    return { text: `The row on line ${this.nextLine} of the file` };
  }

  /** A hint that the whole file will have about this many rows, so columns are allocated once. */
  reserve(rows: number): void {
    this.reservedRows = Math.max(this.reservedRows, Math.ceil(rows));
    for (const b of this.builders) b.reserve(this.reservedRows);
  }

  /** Takes rows as the CSV parser returns them; `mayHaveLineBreaksInCells` when the text had quote characters. */
  addRows(rows: string[][], mayHaveLineBreaksInCells: boolean): void {
    const lineBreak = this.options.lineBreak;
    for (const raw of rows) {
      const line = this.nextLine;
      this.nextLine++;
      if (mayHaveLineBreaksInCells) for (const cell of raw) this.nextLine += countOf(cell, lineBreak);
      let blank = true;
      for (let i = 0; i < raw.length; i++) {
        const cell = raw[i].trim();
        raw[i] = cell;
        if (cell !== '') blank = false;
      }
      const cells = raw;
      if (blank) {
        this.skippedBlankRows++;
        continue;
      }
      if (this.names === null) {
        this.pending.push(cells);
        this.pendingLines.push(line);
        if (this.pending.length >= SAMPLE_ROWS) this.decideHeader();
      } else this.addDataRow(cells, line);
    }
  }

  /** The finished table; throws a DataError for an empty or header-only file. */
  finish(): DataTable {
    if (this.names === null) {
      if (this.pending.length === 0) throw new DataError('The file is empty: it needs a header row and at least one data row.');
      this.decideHeader();
    }
    if (this.rowCount === 0) {
      throw new DataError(
        `The file has a header but no data rows (the header is on line ${this.headerLine}). Add at least one row of values below the header.`,
      );
    }
    let columns = this.builders.map((b) => b.finish());
    // A trailing delimiter on every line makes a last column with no name and no values: leave it out.
    const last = columns[columns.length - 1];
    if (columns.length > 1 && last.name === '' && last.missing === this.rowCount) columns = columns.slice(0, -1);
    return {
      columns,
      rowCount: this.rowCount,
      rowLines: this.rowLines.slice(0, this.rowCount),
      hasHeader: this.hasHeader,
      delimiter: this.options.delimiter,
      decimalMark: this.decimalMark,
      skippedBlankRows: this.skippedBlankRows,
    };
  }

  private decideHeader(): void {
    const rows = this.pending;
    this.decimalMark = guessDecimalMark(
      (function* () {
        for (const r of rows) yield* r;
      })(),
      this.options.delimiter,
    );
    const forced = this.options.header;
    this.hasHeader = forced === 'auto' ? looksLikeHeader(rows, this.decimalMark) : forced;
    const width = rows[0].length;
    this.names = this.hasHeader ? rows[0] : Array.from({ length: width }, (_, i) => `column_${i + 1}`);
    this.headerLine = this.pendingLines[0];
    this.builders = this.names.map((name, i) => new ColumnBuilder(name, i, this.decimalMark, this.reservedRows || 1024));
    const lines = this.pendingLines;
    this.pending = [];
    this.pendingLines = [];
    for (let k = this.hasHeader ? 1 : 0; k < rows.length; k++) this.addDataRow(rows[k], lines[k]);
  }

  private addDataRow(cells: string[], line: number): void {
    const names = this.names!;
    const expected = names.length;
    if (cells.length > expected && cells.slice(expected).every((c) => c === '')) cells.length = expected; // trailing delimiters
    if (cells.length < expected && names.slice(cells.length).every((n) => n === '')) while (cells.length < expected) cells.push('');
    if (cells.length !== expected) {
      const row = this.rowCount + 1;
      const reference = this.hasHeader ? `the header (line ${this.headerLine})` : `the first row (line ${this.headerLine})`;
      throw new DataError(
        `Row ${row} (line ${line} of the file) has ${cells.length} field${cells.length === 1 ? '' : 's'}, ` +
          `but ${reference} has ${expected} column${expected === 1 ? '' : 's'}. ` +
          `Every row needs exactly ${expected} fields (the delimiter is ${describeDelimiter(this.options.delimiter)}); ` +
          'check that row for a missing value, an extra value, or a delimiter inside a value that is not quoted.',
        { row },
      );
    }
    if (this.rowCount === this.rowLines.length) {
      const grown = new Int32Array(Math.max(this.reservedRows, Math.ceil(this.rowLines.length * 1.5)));
      grown.set(this.rowLines);
      this.rowLines = grown;
    }
    this.rowLines[this.rowCount++] = line;
    for (let c = 0; c < expected; c++) this.builders[c].add(cells[c]);
  }
}

type CellKind = 'missing' | 'value' | 'text';

function cellKind(cell: string, mark: DecimalMark): CellKind {
  if (isMissingCell(cell)) return 'missing';
  if (!Number.isNaN(parseNumberCell(cell, mark)) || readDateCell(cell) !== null) return 'value';
  return 'text';
}

/**
 * Decides whether the first row names the columns. A column whose later cells are numbers or dates votes "header"
 * when its first cell is text, and "no header" when its first cell is a number or date too. Column numbers written as
 * a run of consecutive integers (0,1,2,… as pandas writes them) count as a header. With no votes (all text), a header
 * is assumed, as most files have one.
 */
export function looksLikeHeader(rows: string[][], mark: DecimalMark): boolean {
  if (rows.length < 2) return true;
  const first = rows[0];
  if (isRunOfColumnNumbers(first, mark) && !isRunOfColumnNumbers(rows[1], mark)) return true;
  let forHeader = 0;
  let against = 0;
  for (let c = 0; c < first.length; c++) {
    let values = 0;
    let texts = 0;
    for (let r = 1; r < rows.length; r++) {
      const kind = cellKind(rows[r][c] ?? '', mark);
      if (kind === 'value') values++;
      else if (kind === 'text') texts++;
    }
    if (values === 0 || values < texts) continue;
    const head = cellKind(first[c], mark);
    if (head === 'text') forHeader++;
    else if (head === 'value') against++;
  }
  if (forHeader > 0) return true;
  return against === 0;
}

function isRunOfColumnNumbers(cells: string[], mark: DecimalMark): boolean {
  const numbers = cells.map((c) => parseNumberCell(c, mark)).filter((v) => !Number.isNaN(v));
  if (numbers.length < 3) return false;
  return numbers.every((v, i) => Number.isInteger(v) && (i === 0 || v === numbers[i - 1] + 1)) && numbers[0] <= 1;
}

export function describeDelimiter(delimiter: string): string {
  if (delimiter === '\t') return 'a tab';
  if (delimiter === ',') return 'a comma (",")';
  if (delimiter === ';') return 'a semicolon (";")';
  if (delimiter === '|') return 'a pipe ("|")';
  return JSON.stringify(delimiter);
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n++;
  return n;
}
