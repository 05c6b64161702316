// Streams a CSV (File/Blob, text chunks, bytes, or a string) through PapaParse into a typed DataTable, with progress.
//
// One code path for the browser, a Web Worker and Node:
//   browser or worker:  const table = await parseCsvBlob(file, { onProgress: (p) => show(p.bytesRead / p.totalBytes!) });
//   any text or bytes:   await parseCsvStream(chunks, { totalBytes })   — chunks: ReadableStream or (async) iterable
//                        of strings or Uint8Array (UTF-8 bytes are decoded strictly; a byte order mark is dropped)
//   a whole string:      await parseCsvString(text)
//   Node file path:      parseCsvPath(path) in csv_node.ts (kept apart so browser bundles never import node:fs).
// Text is parsed in batches (1 MiB by default) with Papa.Parser, PapaParse's incremental parser: each batch yields the
// complete rows, and the unfinished last row waits for the next batch. Rows go straight into typed columns
// (see column_builder.ts), so raw cell strings are kept only for text columns. In a worker, call parseCsvBlob there
// and keep the DataTable there (or post it back: it holds only typed arrays and string arrays).
import Papa from 'papaparse';
import { DataError } from './data_error';
import type { DataTable } from './table';
import { TableAssembler } from './table_assembler';

export type CsvChunk = string | Uint8Array;
export type CsvSource = ReadableStream<CsvChunk> | AsyncIterable<CsvChunk> | Iterable<CsvChunk>;

/** Files over 1 GiB are refused unless a caller sets another maxBytes. */
export const DEFAULT_MAX_BYTES = 1024 ** 3;
const DEFAULT_BATCH_CHARS = 1 << 20;
/** A single row longer than this (in characters) is taken for an unclosed quote. */
const MAX_ROW_CHARS = 32 * 1024 * 1024;
const BYTES_PER_MB = 1024 * 1024;

export interface ParseProgress {
  /** Bytes (or characters, for string chunks) read so far; never decreases. */
  bytesRead: number;
  /** The whole size when known (a File's size, a file's length on disk), else null. */
  totalBytes: number | null;
  /** Rows parsed so far. */
  rowsRead: number;
}

export interface CsvReadOptions {
  /** The size of the whole input, for progress and for allocating the columns once. */
  totalBytes?: number;
  /** Refuse input larger than this many bytes (default DEFAULT_MAX_BYTES, 1 GiB). */
  maxBytes?: number;
  /** Whether the first row holds column names; 'auto' (default) decides from the first 50 rows. */
  header?: boolean | 'auto';
  /** The field delimiter; 'auto' (default) detects comma, semicolon, tab or pipe. */
  delimiter?: 'auto' | ',' | ';' | '\t' | '|';
  /** Called after every batch and once at the end. */
  onProgress?: (progress: ParseProgress) => void;
  /** Stops reading (with a DataError) when aborted, e.g. because the person picked another file. */
  signal?: AbortSignal;
  /** Characters per parsing batch (default 1 MiB). */
  batchChars?: number;
}

/** Parses a CSV from chunks of text or UTF-8 bytes; throws a DataError a person can act on for every problem. */
export async function parseCsvStream(source: CsvSource, options: CsvReadOptions = {}): Promise<DataTable> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const totalBytes = options.totalBytes ?? null;
  if (totalBytes !== null && totalBytes > maxBytes) throw tooLarge(totalBytes, maxBytes);
  const batchChars = options.batchChars ?? DEFAULT_BATCH_CHARS;
  const decoder = new ChunkDecoder(maxBytes);
  let reader: RowReader | null = null;
  let assembler: TableAssembler | null = null;
  let pieces: string[] = [];
  let pieceChars = 0;
  let reserved = false;

  const parseBatch = (final: boolean) => {
    const text = pieces.length === 1 ? pieces[0] : pieces.join('');
    pieces = [];
    pieceChars = 0;
    if (!reader || !assembler) {
      const lineBreak = detectLineBreak(text);
      const delimiter = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : detectDelimiter(text, lineBreak);
      reader = new RowReader(delimiter, lineBreak);
      assembler = new TableAssembler({ delimiter, lineBreak, header: options.header ?? 'auto' });
    }
    const { rows, quoted, problem } = reader.push(text, final);
    assembler.addRows(rows, quoted);
    if (problem) throw quoteProblem(problem, assembler);
    if (!reserved && !final && totalBytes !== null && decoder.bytesRead > 0 && assembler.rowsRead > 0) {
      assembler.reserve((assembler.rowsRead * totalBytes) / decoder.bytesRead * 1.02 + 16);
      reserved = true;
    }
    options.onProgress?.({ bytesRead: decoder.bytesRead, totalBytes, rowsRead: assembler.rowsRead });
  };

  for await (const chunk of chunksOf(source)) {
    if (options.signal?.aborted) throw new DataError('Reading the file was cancelled.');
    const text = decoder.decode(chunk);
    if (text.length > 0) {
      pieces.push(text);
      pieceChars += text.length;
    }
    if (pieceChars >= batchChars) parseBatch(false);
  }
  const tail = decoder.end();
  if (tail.length > 0) pieces.push(tail);
  parseBatch(true);
  return assembler!.finish();
}

/** Parses a browser File or any Blob (also in a Web Worker, and in Node), refusing one over maxBytes before reading. */
export async function parseCsvBlob(file: Blob, options: CsvReadOptions = {}): Promise<DataTable> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (file.size > maxBytes) throw tooLarge(file.size, maxBytes);
  return parseCsvStream(file.stream() as ReadableStream<Uint8Array>, { ...options, totalBytes: file.size });
}

/** Parses CSV text held in memory (a leading byte order mark is dropped). */
export async function parseCsvString(text: string, options: CsvReadOptions = {}): Promise<DataTable> {
  const size = options.batchChars ?? DEFAULT_BATCH_CHARS;
  function* slices(): Generator<string> {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }
  return parseCsvStream(slices(), { ...options, totalBytes: text.length });
}

async function* chunksOf(source: CsvSource): AsyncGenerator<CsvChunk> {
  if (typeof source === 'string') {
    yield source; // a string is iterable too, but one character at a time
    return;
  }
  if (typeof (source as ReadableStream<CsvChunk>).getReader === 'function') {
    const reader = (source as ReadableStream<CsvChunk>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  }
  yield* source as AsyncIterable<CsvChunk> | Iterable<CsvChunk>;
}

/** Feeds text to Papa.Parser batch by batch, holding back the unfinished last row. */
class RowReader {
  private readonly parser: Papa.Parser;
  private partial = '';

  constructor(delimiter: string, lineBreak: string) {
    this.parser = new Papa.Parser({ delimiter, newline: lineBreak as '\n' | '\r', quoteChar: '"' });
  }

  push(text: string, final: boolean): { rows: string[][]; quoted: boolean; problem: 'unclosed' | 'malformed' | null } {
    const input = this.partial + text;
    this.partial = '';
    const quoted = input.includes('"');
    const result = this.parser.parse(input, 0, !final) as Papa.ParseResult<string[]>;
    const rows = result.data;
    // Errors past the last complete row belong to a row that continues in the next batch.
    const bad = result.errors.find((e) => e.type === 'Quotes' && (final || (e.row ?? 0) < rows.length));
    if (bad) {
      const at = Math.min(bad.row ?? rows.length, rows.length);
      return { rows: rows.slice(0, at), quoted, problem: bad.code === 'MissingQuotes' ? 'unclosed' : 'malformed' };
    }
    if (!final) {
      this.partial = input.substring(result.meta.cursor);
      if (this.partial.length > MAX_ROW_CHARS) return { rows, quoted, problem: 'unclosed' };
    }
    return { rows, quoted, problem: null };
  }
}

/** Decodes byte chunks as strict UTF-8, counting bytes and refusing binary data and oversized input. */
class ChunkDecoder {
  bytesRead = 0;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private first = true;

  constructor(private readonly maxBytes: number) {}

  decode(chunk: CsvChunk): string {
    const isText = typeof chunk === 'string';
    const size = isText ? chunk.length : chunk.byteLength;
    if (size === 0) return '';
    if (this.bytesRead + size > this.maxBytes) throw tooLarge(null, this.maxBytes);
    if (isText) {
      const nul = chunk.indexOf('\0');
      if (nul >= 0) throw binary(this.bytesRead + nul);
      const text = this.first && chunk.charCodeAt(0) === 0xfeff ? chunk.slice(1) : chunk;
      this.first = false;
      this.bytesRead += size;
      return text;
    }
    if (this.first) checkSignature(chunk);
    this.first = false;
    const nul = chunk.indexOf(0);
    if (nul >= 0) throw binary(this.bytesRead + nul);
    let text: string;
    try {
      text = this.utf8.decode(chunk, { stream: true });
    } catch {
      throw notUtf8(this.bytesRead + Math.max(0, firstInvalidUtf8(chunk)));
    }
    this.bytesRead += size;
    return text;
  }

  end(): string {
    try {
      return this.utf8.decode();
    } catch {
      throw notUtf8(this.bytesRead - 1);
    }
  }
}

function checkSignature(bytes: Uint8Array): void {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DataError('The file is UTF-16 text, not UTF-8. Save it as "CSV UTF-8" (in Excel: Save As → CSV UTF-8) and try again.');
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw new DataError('The file is a ZIP archive (an Excel .xlsx workbook is one), not CSV text. Open it and save or export it as CSV UTF-8.');
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const extra = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (i + k < b.length && (b[i + k] & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return -1;
}

function detectLineBreak(text: string): string {
  return text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
}

/** PapaParse's delimiter guess over the first 30 non-blank rows; a comma when nothing fits (one column). */
function detectDelimiter(text: string, lineBreak: string): string {
  const sample = text.slice(0, 65536);
  const guess = Papa.parse<string[]>(sample, {
    preview: 30,
    delimitersToGuess: [',', ';', '\t', '|'],
    skipEmptyLines: 'greedy',
    newline: lineBreak as '\n' | '\r',
  });
  return guess.meta.delimiter || ',';
}

function quoteProblem(problem: 'unclosed' | 'malformed', assembler: TableAssembler): DataError {
  const where = assembler.describeNextRow();
  const what = problem === 'unclosed' ? 'has a quoted field that is never closed' : 'has a malformed quoted field (text after a closing quote)';
  return new DataError(
    `${where.text} ${what}. Check for a stray double quote (") in that row; a literal quote inside a quoted field is written as "".`,
    where.row === undefined ? {} : { row: where.row },
  );
}

function tooLarge(size: number | null, maxBytes: number): DataError {
  const limit = `${formatMb(maxBytes)} MB limit`;
  const head = size === null ? `The file is over the ${limit}` : `The file is ${formatMb(size)} MB, over the ${limit}`;
  return new DataError(`${head}. Use a smaller file (for example, fewer rows or only the columns you need).`);
}

function binary(offset: number): DataError {
  return new DataError(
    `The file is not a UTF-8 text CSV: it contains a NUL byte at byte offset ${offset} (binary data, or UTF-16 text). Save it as "CSV UTF-8" and try again.`,
  );
}

function notUtf8(offset: number): DataError {
  return new DataError(
    `The file is not a UTF-8 text CSV: the bytes at offset ${offset} are not valid UTF-8 (perhaps a Latin-1/Windows-1252 export, or a binary file). Save it as "CSV UTF-8" and try again.`,
  );
}

/** Megabytes (MiB): whole from 100 up (1024, 1536), else to three significant digits (1.5, 0.00954). */
export function formatMb(bytes: number): string {
  const mb = bytes / BYTES_PER_MB;
  return String(mb >= 100 ? Math.round(mb) : Number(mb.toPrecision(3)));
}
