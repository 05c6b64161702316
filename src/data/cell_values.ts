// Reads single CSV cells: which texts mean "missing", and numbers with decimal commas or thousands separators.

/** Cell texts (compared lower-case, after trimming) that mean "no value here". The empty cell is missing too. */
export const MISSING_TOKENS: readonly string[] = ['na', 'n/a', 'nan', 'null', 'none', 'nil', '#n/a', '?', '-nan'];
const MISSING_SET = new Set(MISSING_TOKENS);
const LONGEST_MISSING_TOKEN = Math.max(...MISSING_TOKENS.map((t) => t.length));

/**
 * True for an empty cell or one of MISSING_TOKENS in any letter case (the cell must already be trimmed). Columns of
 * numbers, dates, categories and sentences read these as missing; a column of many different single words (names,
 * vocabulary) keeps them as words, since "Nan" or "Na" is a word there (see ColumnBuilder).
 */
export function isMissingCell(cell: string): boolean {
  if (cell.length === 0) return true;
  if (cell.length > LONGEST_MISSING_TOKEN) return false;
  return MISSING_SET.has(cell.toLowerCase());
}

const SINGLE_WORD = /^[\p{L}\p{M}]+(?:['’.\-][\p{L}\p{M}]+)*\.?$/u;

/** True for one word of letters ("Anna", "O'Neil", "Jean-Luc", "Mr."): no digits, spaces or other marks. */
export function isSingleWord(text: string): boolean {
  return text.length <= 64 && SINGLE_WORD.test(text);
}

/** How numbers are written in a file: '.' (1,234.5) or ',' (1.234,5) as the decimal mark. */
export type DecimalMark = '.' | ',';

const DECIMAL_COMMA = /^[+-]?\d*,\d+([eE][+-]?\d+)?$/;
const DOT_THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/; // 1,234,567.89
const COMMA_THOUSANDS = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/; // 1.234.567,89
const SPACE_THOUSANDS = /^[+-]?\d{1,3}([ \u00a0\u202f']\d{3})+([.,]\d+)?$/; // 1 234 567,89 or 1'234'567.89

const INFINITY_WORD = /^([+-]?)(inf|infinity|\u221e)$/i;

/**
 * +Infinity or -Infinity for a trimmed cell that writes an infinite number ("inf", "-inf", "Infinity", "∞") or a
 * number too large for a double ("1e400"); NaN for every other cell. parseNumberCell reads these as no number.
 */
export function infiniteCellValue(cell: string, mark: DecimalMark = '.'): number {
  const word = INFINITY_WORD.exec(cell);
  if (word) return word[1] === '-' ? -Infinity : Infinity;
  const v = readNumberCell(cell, mark);
  return v === Infinity || v === -Infinity ? v : NaN;
}

/**
 * The number a trimmed cell holds, or NaN when it is not one. Accepts plain decimals and scientific notation;
 * with mark '.', thousands separated by commas ("1,234.5"); with mark ',', decimal commas ("1,5") and thousands
 * separated by dots ("1.234,5"); either way, thousands separated by spaces or apostrophes. Hex, "Infinity" and
 * values that overflow to ±Infinity are not numbers.
 */
export function parseNumberCell(cell: string, mark: DecimalMark = '.'): number {
  return finite(readNumberCell(cell, mark));
}

/** parseNumberCell before overflow is refused: ±Infinity for numbers past the double range, NaN for non-numbers. */
function readNumberCell(cell: string, mark: DecimalMark): number {
  if (isPlainNumber(cell)) {
    // With a decimal comma, "1.234" is one thousand two hundred thirty-four, as a spreadsheet in that locale shows it.
    if (mark === ',' && COMMA_THOUSANDS.test(cell)) return Number(cell.replace(/\./g, ''));
    return Number(cell);
  }
  const c = cell.charCodeAt(0);
  // Every other accepted form starts with a digit, a sign, or a separator before digits.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 44)) return NaN;
  if (mark === '.') {
    if (DOT_THOUSANDS.test(cell)) return Number(cell.replace(/,/g, ''));
  } else {
    if (DECIMAL_COMMA.test(cell)) return Number(cell.replace(',', '.'));
    if (COMMA_THOUSANDS.test(cell)) return Number(cell.replace(/\./g, '').replace(',', '.'));
  }
  if (SPACE_THOUSANDS.test(cell)) {
    const digits = cell.replace(/[ \u00a0\u202f']/g, '');
    return Number(mark === ',' ? digits.replace(',', '.') : digits.replace(/,/g, ''));
  }
  return NaN;
}

/** Same as /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, written out because it runs on every cell of a big file. */
function isPlainNumber(cell: string): boolean {
  const n = cell.length;
  let i = 0;
  let c = cell.charCodeAt(0);
  if (c === 43 || c === 45) c = cell.charCodeAt(++i); // + -
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = cell.charCodeAt(++i);
  }
  if (c === 46) {
    c = cell.charCodeAt(++i); // .
    while (c >= 48 && c <= 57) {
      digits++;
      c = cell.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (c === 101 || c === 69) {
    c = cell.charCodeAt(++i); // e E
    if (c === 43 || c === 45) c = cell.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      exponent++;
      c = cell.charCodeAt(++i);
    }
    if (exponent === 0) return false;
  }
  return i === n;
}

function finite(v: number): number {
  return Number.isFinite(v) ? v : NaN;
}

/**
 * Guesses the decimal mark from sample cells: ',' only when the delimiter is not a comma and more cells look like
 * "1,5" than like "1.5" (thousands-separated forms are left out of the count, being ambiguous).
 */
export function guessDecimalMark(sampleCells: Iterable<string>, delimiter: string): DecimalMark {
  if (delimiter === ',') return '.';
  let commas = 0;
  let dots = 0;
  for (const cell of sampleCells) {
    if (/^[+-]?\d*,\d+$/.test(cell) && !/^[+-]?\d{1,3},\d{3}$/.test(cell)) commas++;
    else if (/^[+-]?\d*\.\d+$/.test(cell) && !/^[+-]?\d{1,3}\.\d{3}$/.test(cell)) dots++;
    else if (/^[+-]?\d{1,3}(\.\d{3})+,\d+$/.test(cell)) commas++;
    else if (/^[+-]?\d{1,3}(,\d{3})+\.\d+$/.test(cell)) dots++;
  }
  return commas > dots ? ',' : '.';
}

/** A cell shortened for an error message, JSON-quoted so spaces and quotes show: "abc…". */
export function quoteCell(cell: string, max = 40): string {
  return JSON.stringify(cell.length > max ? `${cell.slice(0, max)}…` : cell);
}
