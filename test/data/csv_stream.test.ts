// Tests the streaming CSV reader: delimiters, quoting, line endings, BOM, headers, locales, missing markers, chunking, progress.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvBlob, parseCsvStream, parseCsvString, type ParseProgress } from '../../src/data/csv_stream';
import { columnNamed, numericValues, type DataTable } from '../../src/data/table';
import { asyncErrorOf, errorOf, fixturePath, numbersOf, textsOf } from './helpers';

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

describe('reading real-world CSV files', () => {
  it('reads a European export: semicolons, decimal commas, thousands dots, day-first dates, NA', async () => {
    const t = await parseCsvPath(fixturePath('european_semicolon.csv'));
    expect(t.delimiter).toBe(';');
    expect(t.decimalMark).toBe(',');
    expect(t.columns.map((c) => c.name)).toEqual(['Datum', 'Temperatur', 'Umsatz', 'Filiale']);
    expect(numbersOf(t, 'Temperatur')).toEqual([1.5, -0.25, 3.75, NaN]);
    expect(numbersOf(t, 'Umsatz')).toEqual([1234.5, 987, 12000, 5.5]);
    expect(numbersOf(t, 'Datum')).toEqual([day(2023, 2, 1), day(2023, 2, 2), day(2023, 2, 13), day(2023, 2, 14)]);
    const datum = columnNamed(t, 'Datum');
    expect(datum.kind === 'date' && [datum.format, datum.ambiguousDayMonth]).toEqual(['DD.MM.YYYY', false]);
    expect(textsOf(t, 'Filiale')).toEqual(['Nord', 'Süd', 'Nord', 'Süd']);
    expect(columnNamed(t, 'Temperatur').missing).toBe(1);
  });

  it('handles a BOM, CRLF, blank lines, trailing delimiters and quoted fields with commas, quotes and line breaks', async () => {
    for (const t of [await parseCsvPath(fixturePath('quoted_crlf_bom.csv')), await parseCsvBlob(new Blob([readFileSync(fixturePath('quoted_crlf_bom.csv'))]))]) {
      expect(t.columns.map((c) => c.name)).toEqual(['id', 'comment', 'amount']);
      expect(t.rowCount).toBe(3);
      expect(textsOf(t, 'comment')).toEqual(['Smith, J.', 'two\r\nlines', 'she said "hi"']);
      expect(numbersOf(t, 'amount')).toEqual([10, 20, 30]);
      expect(Array.from(t.rowLines)).toEqual([2, 4, 6]);
      expect(t.skippedBlankRows).toBeGreaterThanOrEqual(1);
    }
  });

  it('detects a file without a header and names the columns column_1…', async () => {
    const t = await parseCsvPath(fixturePath('no_header.csv'));
    expect(t.hasHeader).toBe(false);
    expect(t.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(t.rowCount).toBe(3);
    expect(numbersOf(t, 'column_1')).toEqual([1.5, 4, 7]);
    expect(Array.from(t.rowLines)).toEqual([1, 2, 3]);
    const forced = await parseCsvPath(fixturePath('no_header.csv'), { header: true });
    expect(forced.columns.map((c) => c.name)).toEqual(['1.5', '2', '3']);
    expect(forced.rowCount).toBe(2);
  });

  it('reads tabs, thousands separators and missing markers', async () => {
    const t = await parseCsvPath(fixturePath('tab_thousands.csv'));
    expect(t.delimiter).toBe('\t');
    expect(numbersOf(t, 'population')).toEqual([1234567, 98000, 1500, NaN]);
    expect(numbersOf(t, 'area')).toEqual([12.5, NaN, NaN, 7]);
    expect(columnNamed(t, 'area').missing).toBe(2);
  });

  it('treats NA, NaN, null, N/A, none and empty cells as missing, with pipes as delimiters', async () => {
    const t = await parseCsvPath(fixturePath('pipe_missing.csv'));
    expect(t.delimiter).toBe('|');
    expect(numbersOf(t, 'a')).toEqual([1, NaN, NaN, 4]);
    expect(numbersOf(t, 'b')).toEqual([NaN, 2, NaN, 5]);
    expect(textsOf(t, 'c')).toEqual(['x', '', 'y', '']);
    expect(t.columns.map((c) => c.missing)).toEqual([2, 2, 2]);
  });

  it('keeps header names as data: __proto__, constructor, duplicates and empty names', async () => {
    const t = await parseCsvPath(fixturePath('odd_headers.csv'));
    expect(t.columns.map((c) => c.name)).toEqual(['__proto__', 'constructor', 'x', 'x', '', 'toString']);
    expect(numbersOf(t, '__proto__')).toEqual([1, 7]);
    expect(numbersOf(t, 'constructor')).toEqual([2, 8]);
    expect(numbersOf(t, '')).toEqual([5, 11]);
    expect(numbersOf(t, 'toString')).toEqual([6, 12]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(errorOf(() => columnNamed(t, 'x')).message).toContain('"x" appears 2 times in the header (columns 3, 4)');
    expect(errorOf(() => columnNamed(t, 'X')).message).toContain('There is no column named "X"');
  });

  it('reads old Mac CR-only line endings and a forced delimiter', async () => {
    const t = await parseCsvString('a,b\r1,2\r3,4\r');
    expect(numbersOf(t, 'b')).toEqual([2, 4]);
    const forced = await parseCsvString('a;b,c\n1;2,5\n', { delimiter: ';' });
    expect(forced.columns.map((c) => c.name)).toEqual(['a', 'b,c']);
  });

  it('keeps a mostly-numeric column numeric and names the row, line, column and value of a text cell', async () => {
    const t = await parseCsvPath(fixturePath('text_in_numeric.csv'));
    const value = columnNamed(t, 'value');
    expect(value.kind).toBe('number');
    const e = errorOf(() => numericValues(t, 'value', 'a target'));
    expect(e.message).toContain('Row 3 (line 4 of the file), column "value": "oops" is not a number');
    expect([e.row, e.column, e.value]).toEqual([3, 'value', 'oops']);
  });

  it('turns a column that is mostly text into a text column, even when it starts with numbers', async () => {
    const rows = ['code,v', '1,1', '2,2', ...Array.from({ length: 20 }, (_, i) => `A${i},${i}`)];
    const t = await parseCsvString(rows.join('\n'));
    expect(columnNamed(t, 'code').kind).toBe('text');
    expect(textsOf(t, 'code').slice(0, 3)).toEqual(['1', '2', 'A0']);
    expect(errorOf(() => numericValues(t, 'code', 'an input')).message).toContain('Column "code" holds text, not numbers');
  });
});

describe('streaming', () => {
  const text =
    'id;note;value\n' +
    Array.from({ length: 60 }, (_, i) => `${i};"multi\nline ""${i}"" é; ü";${(i * 1.25).toFixed(2).replace('.', ',')}`).join('\n') +
    '\n';

  function summary(t: DataTable) {
    return { names: t.columns.map((c) => c.name), kinds: t.columns.map((c) => c.kind), lines: Array.from(t.rowLines), notes: textsOf(t, 'note'), values: numbersOf(t, 'value') };
  }

  it('gives the same table whatever the batch size or byte chunk boundaries (even inside a UTF-8 character)', async () => {
    const whole = summary(await parseCsvString(text));
    expect(whole.values[3]).toBe(3.75);
    expect(whole.notes[2]).toBe('multi\nline "2" é; ü');
    expect(whole.lines.slice(0, 3)).toEqual([2, 4, 6]);
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), fc.integer({ min: 5, max: 400 }), async (cuts, batchChars) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        const t = await parseCsvStream(chunks, { batchChars });
        expect(summary(t)).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a ReadableStream and an async iterable, reporting monotonic progress up to the total', async () => {
    const bytes = new TextEncoder().encode(text);
    const progress: ParseProgress[] = [];
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += 50)));
      },
    });
    const t = await parseCsvStream(stream, { totalBytes: bytes.length, batchChars: 64, onProgress: (p) => progress.push(p) });
    expect(t.rowCount).toBe(60);
    expect(progress.length).toBeGreaterThan(3);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].bytesRead).toBeGreaterThanOrEqual(progress[i - 1].bytesRead);
      expect(progress[i].rowsRead).toBeGreaterThanOrEqual(progress[i - 1].rowsRead);
    }
    expect(progress.at(-1)).toEqual({ bytesRead: bytes.length, totalBytes: bytes.length, rowsRead: 60 });
    async function* pieces() {
      for (let i = 0; i < text.length; i += 97) yield text.slice(i, i + 97);
    }
    expect(summary(await parseCsvStream(pieces()))).toEqual(summary(t));
    expect(summary(await parseCsvBlob(new Blob([bytes])))).toEqual(summary(t));
  });

  it('stops with a DataError when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const e = await asyncErrorOf(parseCsvString(text, { signal: controller.signal }));
    expect(e.message).toContain('cancelled');
  });
});
