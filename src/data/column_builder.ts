// Collects one column's cells while a CSV streams in, storing numbers and dates as Float64Array and text dictionary-coded.
import { infiniteCellValue, isMissingCell, isSingleWord, parseNumberCell, type DecimalMark } from './cell_values';
import { dayMonthEvidence, formatDate, readDateCell, swapDayAndMonth, type DateFamily, type DayMonthOrder } from './dates';
import type { Column } from './table';

/** Distinct texts merged into one dictionary entry per column; past this, new texts are stored without merging. */
const DICTIONARY_MERGE_LIMIT = 1 << 18;
/** A number or date column becomes text once more than this share of its filled cells are not numbers or dates. */
const INVALID_SHARE_FOR_TEXT = 0.1;
/** …checked while streaming only after this many invalid cells, so a few early typos do not decide it. */
const INVALID_COUNT_BEFORE_SWITCH = 100;
/** A text column keeps NA-like words ("Nan", "NA") as words when it holds more distinct texts than this… */
const WORD_LIST_MIN_DISTINCT = 20;
/** …more than this share of its filled cells are distinct, and at least this share of its texts are single words. */
const WORD_LIST_DISTINCT_SHARE = 0.5;
const WORD_LIST_WORD_SHARE = 0.8;

type Kind = 'empty' | 'number' | 'date' | 'text';

export class ColumnBuilder {
  private kind: Kind = 'empty';
  private length = 0;
  private missing = 0;
  private capacity: number;
  private values = new Float64Array(0);
  private codes = new Int32Array(0);
  private invalidRows: number[] = [];
  private invalidValues: string[] = [];
  /** Invalid cells of a number column that write infinity ("inf", "1e999"): numbers, so they never make it text. */
  private infinite = 0;
  /** Before the first value: per row, 0 for an empty cell or 1 + the index in `leadingSpellings` of an NA-like word. */
  private leadingWords: Uint8Array | null = null;
  private leadingSpellings: string[] = [];
  /** NA-like words a text column read as missing, for writtenText. */
  private missingWords: { rows: number[]; values: string[] } | null = null;
  private dictionary: string[] = [];
  private lookup: Map<string, number> | null = new Map();
  private dateFamily: DateFamily = 'iso';
  private dateFormat = '';
  private dayMonth: DayMonthOrder | 'undecided' = 'undecided';

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly mark: DecimalMark,
    initialCapacity = 1024,
  ) {
    this.capacity = Math.max(16, initialCapacity);
  }

  /** Makes room for at least `rows` rows in total (a hint from the file size; growing still works past it). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(rows);
  }

  /**
   * Appends the next row's cell (already trimmed). NA-like words are missing in number and date columns; a text
   * column keeps them as texts until finish() decides (missing, unless the column is a list of single words).
   */
  add(cell: string): void {
    const row = this.length++;
    if (cell.length === 0 || (this.kind !== 'text' && isMissingCell(cell))) {
      this.missing++;
      if (this.kind === 'empty') {
        if (cell.length > 0) this.noteLeadingWord(row, cell);
        return;
      }
      this.ensureRoom(row);
      if (this.kind === 'text') this.codes[row] = -1;
      else this.values[row] = NaN;
      return;
    }
    if (this.kind === 'empty') this.startAs(cell, row);
    this.ensureRoom(row);
    if (this.kind === 'number') {
      const v = parseNumberCell(cell, this.mark);
      this.values[row] = v;
      if (Number.isNaN(v)) this.markInvalid(row, cell, !Number.isNaN(infiniteCellValue(cell, this.mark)));
    } else if (this.kind === 'date') {
      const ms = this.readDate(cell);
      this.values[row] = ms;
      if (Number.isNaN(ms)) this.markInvalid(row, cell, false);
    } else {
      this.codes[row] = this.codeOf(cell);
    }
  }

  /** The finished column; the builder must not be used afterwards. */
  finish(): Column {
    const filled = this.length - this.missing;
    if ((this.kind === 'number' || this.kind === 'date') && this.invalidRows.length - this.infinite > INVALID_SHARE_FOR_TEXT * filled) this.switchToText();
    if (this.kind === 'text') this.numbersFromMostlyNumericText();
    if (this.kind === 'text') this.missingWordsUnlessWordList();
    const base = { name: this.name, index: this.index, missing: this.missing };
    if (this.kind === 'empty') return { ...base, kind: 'text', codes: new Int32Array(this.length).fill(-1), dictionary: [], dictionaryComplete: true };
    if (this.kind === 'text') {
      const text = { ...base, kind: 'text' as const, codes: trimmed(this.codes, this.length), dictionary: this.dictionary, dictionaryComplete: this.lookup !== null };
      return this.missingWords ? { ...text, missingWords: this.missingWords } : text;
    }
    const invalid = { rows: this.invalidRows, values: this.invalidValues };
    const values = trimmed(this.values, this.length);
    if (this.kind === 'number') return { ...base, kind: 'number', values, invalid };
    return {
      ...base,
      kind: 'date',
      values,
      family: this.dateFamily,
      format: this.dateFamily === 'day-month' ? this.dayMonthFormat() : this.dateFormat,
      ambiguousDayMonth: this.dateFamily === 'day-month' && this.dayMonth === 'undecided',
      invalid,
    };
  }

  private startAs(cell: string, row: number): void {
    if (!Number.isNaN(parseNumberCell(cell, this.mark)) || !Number.isNaN(infiniteCellValue(cell, this.mark))) this.kind = 'number';
    else {
      const date = readDateCell(cell);
      if (date) {
        this.kind = 'date';
        this.dateFamily = date.family;
        this.dateFormat = date.label;
      } else this.kind = 'text';
    }
    this.resize(Math.max(this.capacity, row + 1));
    if (this.kind === 'text') {
      this.codes.fill(-1, 0, row);
      // NA-like words before the first text are texts too (finish() decides whether they mean missing).
      const words = this.leadingWords;
      if (words) {
        for (let r = 0; r < row; r++) {
          if (words[r] === 0) continue;
          this.codes[r] = this.codeOf(this.leadingSpellings[words[r] - 1]);
          this.missing--;
        }
      }
    } else this.values.fill(NaN, 0, row);
    this.leadingWords = null;
    this.leadingSpellings = [];
  }

  private noteLeadingWord(row: number, cell: string): void {
    let k = this.leadingSpellings.indexOf(cell);
    if (k < 0) k = this.leadingSpellings.push(cell) - 1;
    if (k >= 255) return; // more spellings than any NA-like word has: this one stays missing
    if (!this.leadingWords || this.leadingWords.length <= row) {
      const grownWords = new Uint8Array(Math.max(1024, Math.ceil((row + 1) * 1.5)));
      if (this.leadingWords) grownWords.set(this.leadingWords);
      this.leadingWords = grownWords;
    }
    this.leadingWords[row] = k + 1;
  }

  private readDate(cell: string): number {
    if (this.dateFamily === 'day-month' && this.dayMonth === 'undecided') {
      const evidence = dayMonthEvidence(cell);
      if (evidence === 'day-first') {
        // Every earlier date read both ways; re-read them day-first.
        for (let r = 0; r < this.length - 1; r++) if (!Number.isNaN(this.values[r])) this.values[r] = swapDayAndMonth(this.values[r]);
        this.dayMonth = 'day-first';
      } else if (evidence === 'month-first') this.dayMonth = 'month-first';
    }
    const reading = readDateCell(cell, this.dayMonth === 'day-first' ? 'day-first' : 'month-first');
    return reading && reading.family === this.dateFamily ? reading.ms : NaN;
  }

  private dayMonthFormat(): string {
    const order = this.dayMonth === 'day-first' ? 'day-first' : 'month-first';
    const sep = /^(MM|DD)(.)/.exec(this.dateFormat)?.[2] ?? '/';
    const head = order === 'day-first' ? `DD${sep}MM${sep}YYYY` : `MM${sep}DD${sep}YYYY`;
    return head + this.dateFormat.slice(10);
  }

  private markInvalid(row: number, cell: string, infinite: boolean): void {
    this.invalidRows.push(row);
    this.invalidValues.push(cell);
    if (infinite) this.infinite++;
    const count = this.invalidRows.length - this.infinite;
    const filled = this.length - this.missing;
    if (count > INVALID_COUNT_BEFORE_SWITCH && count > INVALID_SHARE_FOR_TEXT * filled) this.switchToText();
  }

  /** Turns a number or date column into text: values become their display text, invalid cells return as written. */
  private switchToText(): void {
    const { values, invalidRows, invalidValues } = this;
    const family = this.kind === 'date' ? this.dateFamily : null;
    this.kind = 'text';
    this.codes = new Int32Array(this.capacity);
    let next = 0;
    for (let r = 0; r < this.length; r++) {
      const v = values[r];
      if (!Number.isNaN(v)) this.codes[r] = this.codeOf(family ? formatDate(v, family) : String(v));
      else if (next < invalidRows.length && invalidRows[next] === r) this.codes[r] = this.codeOf(invalidValues[next++]);
      else this.codes[r] = -1;
    }
    this.values = new Float64Array(0);
    this.invalidRows = [];
    this.invalidValues = [];
    this.infinite = 0;
  }

  /**
   * A text column whose filled cells are at least 90% numbers becomes a number column with the rest invalid
   * (infinities count as numbers for the share; NA-like words become missing and do not count).
   */
  private numbersFromMostlyNumericText(): void {
    if (this.lookup === null || this.dictionary.length === 0) return;
    const parsed = this.dictionary.map((text) => parseNumberCell(text, this.mark));
    const missingWord = this.dictionary.map((text) => isMissingCell(text));
    const infinite = this.dictionary.map((text) => !Number.isNaN(infiniteCellValue(text, this.mark)));
    const counts = new Int32Array(this.dictionary.length);
    for (let r = 0; r < this.length; r++) if (this.codes[r] >= 0) counts[this.codes[r]]++;
    let numbers = 0;
    let infinities = 0;
    let filled = 0;
    parsed.forEach((v, k) => {
      if (missingWord[k]) return;
      filled += counts[k];
      if (!Number.isNaN(v)) numbers += counts[k];
      else if (infinite[k]) infinities += counts[k];
    });
    if (numbers === 0 || numbers + infinities < (1 - INVALID_SHARE_FOR_TEXT) * filled) return;
    const codes = this.codes;
    this.kind = 'number';
    this.values = new Float64Array(this.length);
    for (let r = 0; r < this.length; r++) {
      const code = codes[r];
      this.values[r] = code < 0 ? NaN : parsed[code];
      if (code < 0 || !Number.isNaN(parsed[code])) continue;
      if (missingWord[code]) this.missing++;
      else {
        this.invalidRows.push(r);
        this.invalidValues.push(this.dictionary[code]);
        if (infinite[code]) this.infinite++;
      }
    }
    this.codes = new Int32Array(0);
    this.dictionary = [];
  }

  /**
   * NA-like words in a text column mean missing, unless the column is a list of single words with many different
   * values (names, vocabulary): there "Nan" or "NA" is one of the words. Missing words leave the dictionary.
   */
  private missingWordsUnlessWordList(): void {
    const missingWord = this.dictionary.map((text) => isMissingCell(text));
    if (!missingWord.includes(true)) return;
    const counts = new Int32Array(this.dictionary.length);
    for (let r = 0; r < this.length; r++) if (this.codes[r] >= 0) counts[this.codes[r]]++;
    let used = 0;
    let filled = 0;
    let words = 0;
    this.dictionary.forEach((text, k) => {
      if (missingWord[k] || counts[k] === 0) return;
      used++;
      filled += counts[k];
      if (isSingleWord(text)) words++;
    });
    const wordList = used > WORD_LIST_MIN_DISTINCT && used > WORD_LIST_DISTINCT_SHARE * filled && words >= WORD_LIST_WORD_SHARE * used;
    if (wordList) return;
    const remap = new Int32Array(this.dictionary.length);
    const kept: string[] = [];
    this.dictionary.forEach((text, k) => (remap[k] = missingWord[k] ? -1 : kept.push(text) - 1));
    const read = { rows: [] as number[], values: [] as string[] };
    for (let r = 0; r < this.length; r++) {
      const code = this.codes[r];
      if (code < 0) continue;
      this.codes[r] = remap[code];
      if (remap[code] >= 0) continue;
      this.missing++;
      read.rows.push(r);
      read.values.push(this.dictionary[code]);
    }
    this.missingWords = read;
    this.dictionary = kept;
    if (this.lookup !== null) this.lookup = new Map(kept.map((text, k) => [text, k]));
  }

  private codeOf(text: string): number {
    if (this.lookup === null) return this.dictionary.push(text) - 1;
    let code = this.lookup.get(text);
    if (code === undefined) {
      code = this.dictionary.push(text) - 1;
      if (this.dictionary.length > DICTIONARY_MERGE_LIMIT) this.lookup = null;
      else this.lookup.set(text, code);
    }
    return code;
  }

  private ensureRoom(row: number): void {
    if (row >= this.capacity) this.resize(Math.max(row + 1, Math.ceil(this.capacity * 1.5)));
  }

  private resize(capacity: number): void {
    this.capacity = capacity;
    if (this.kind === 'text') this.codes = grown(this.codes, capacity, this.length);
    else if (this.kind === 'number' || this.kind === 'date') this.values = grown(this.values, capacity, this.length);
  }
}

function grown<T extends Float64Array | Int32Array>(a: T, capacity: number, used: number): T {
  if (a.length >= capacity) return a;
  const out = (a instanceof Float64Array ? new Float64Array(capacity) : new Int32Array(capacity)) as T;
  out.set(a.subarray(0, Math.min(used, a.length)));
  return out;
}

/** The first `length` entries: a view when little space is wasted, else a compact copy. */
function trimmed<T extends Float64Array | Int32Array>(a: T, length: number): T {
  if (a.length === length) return a;
  if (a.length <= length * 1.125) return a.subarray(0, length) as T;
  return a.slice(0, length) as T;
}
