// Tests CSV parsing (delimiters, quoting, odd headers, structural errors, file checks) and numeric column conversion.
import { describe, it, expect } from 'vitest';
import { numericColumnNames, parseCsvFile, parseCsvText, toNumericColumn } from '../src/data/csv';
import { DataError } from '../src/data/data_error';

function errorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

async function asyncErrorOf(promise: Promise<unknown>): Promise<DataError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

describe('parseCsvText', () => {
  it('parses a plain comma CSV into columns and trims cells', () => {
    const t = parseCsvText('step, value \n0, 1.5\n1 ,2.5\n');
    expect(t.header).toEqual(['step', 'value']);
    expect(t.rowCount).toBe(2);
    expect(t.columns).toEqual([
      ['0', '1'],
      ['1.5', '2.5'],
    ]);
    expect(t.rowLines).toEqual([2, 3]);
  });

  it('strips a UTF-8 byte order mark from the first header name', () => {
    const t = parseCsvText('\uFEFFtime,value\n1,2\n');
    expect(t.header).toEqual(['time', 'value']);
  });

  it('detects semicolon and tab delimiters', () => {
    const semi = parseCsvText('a;b;c\n1;2;3\n4;5;6\n');
    expect(semi.header).toEqual(['a', 'b', 'c']);
    expect(semi.columns[2]).toEqual(['3', '6']);
    const tab = parseCsvText('a\tb\n1\t2\n\n3\t4\n');
    expect(tab.header).toEqual(['a', 'b']);
    expect(tab.columns[1]).toEqual(['2', '4']);
  });

  it('keeps commas and newlines inside quoted fields, and counts lines correctly after them', () => {
    const t = parseCsvText('name,value\n"Smith, J.",1\n"two\nlines",2\nplain,x\n');
    expect(t.columns[0]).toEqual(['Smith, J.', 'two\nlines', 'plain']);
    expect(t.rowLines).toEqual([2, 3, 5]);
    expect(errorOf(() => toNumericColumn(t, 'value')).message).toContain('Row 3, column "value": "x" is not a number (line 5 of the file)');
  });

  it('handles CRLF line endings', () => {
    const t = parseCsvText('a,b\r\n1,2\r\n3,4\r\n');
    expect(t.rowCount).toBe(2);
    expect(t.columns[1]).toEqual(['2', '4']);
    expect(Array.from(toNumericColumn(t, 'b'))).toEqual([2, 4]);
  });

  it('skips blank and whitespace-only lines, including before the header, without renumbering file lines', () => {
    const t = parseCsvText('\n\na,b\n1,2\n\n   \n3,4\n\n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rowCount).toBe(2);
    expect(t.rowLines).toEqual([4, 7]);
  });

  it('works with __proto__, duplicate and empty header names', () => {
    const t = parseCsvText('__proto__,x,x,,constructor\n1,2,3,4,5\n6,7,8,9,10\n');
    expect(t.header).toEqual(['__proto__', 'x', 'x', '', 'constructor']);
    expect(Array.from(toNumericColumn(t, '__proto__'))).toEqual([1, 6]);
    expect(Array.from(toNumericColumn(t, ''))).toEqual([4, 9]);
    expect(Array.from(toNumericColumn(t, 'constructor'))).toEqual([5, 10]);
    expect(numericColumnNames(t)).toEqual(['__proto__', 'x', '', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const dup = errorOf(() => toNumericColumn(t, 'x'));
    expect(dup.message).toContain('"x" appears 2 times in the header (columns 2, 3)');
  });

  it('tolerates one trailing empty field on data rows', () => {
    const t = parseCsvText('a,b\n1,2,\n3,4\n');
    expect(t.columns).toEqual([
      ['1', '3'],
      ['2', '4'],
    ]);
  });

  it('reports a ragged row with its row number, line number and field counts', () => {
    const e = errorOf(() => parseCsvText('a,b,c\n1,2,3\n\n4,5\n6,7,8\n'));
    expect(e.row).toBe(2);
    expect(e.message).toContain('Row 2 (line 4 of the file) has 2 fields, but the header (line 1) has 3 columns');
    const extra = errorOf(() => parseCsvText('a,b\n1,2\n3,4,5\n'));
    expect(extra.message).toContain('Row 2 (line 3 of the file) has 3 fields, but the header (line 1) has 2 columns');
  });

  it('reports an unterminated quote with its row', () => {
    const e = errorOf(() => parseCsvText('a,b\n1,2\n"3,4\n5,6\n'));
    expect(e.message).toContain('Row 2 (line 3 of the file) has a quoted field that is never closed');
  });

  it('rejects an empty file and a header-only file with their own messages', () => {
    expect(errorOf(() => parseCsvText('')).message).toContain('The file is empty');
    expect(errorOf(() => parseCsvText('\uFEFF \n\n')).message).toContain('The file is empty');
    const headerOnly = errorOf(() => parseCsvText('step,value\n\n'));
    expect(headerOnly.message).toContain('has a header but no data rows (the header is on line 1)');
  });
});

describe('parseCsvFile', () => {
  it('reads a Blob of UTF-8 text, including non-ASCII header names', async () => {
    const t = await parseCsvFile(new Blob(['\uFEFFtempérature;°C\n1;2\n']));
    expect(t.header).toEqual(['température', '°C']);
    expect(t.rowCount).toBe(1);
  });

  it('rejects invalid UTF-8 bytes', async () => {
    const latin1 = new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xe9, 0x2c, 0x31, 0x0a]); // "a,b\n\xe9,1\n"
    const e = await asyncErrorOf(parseCsvFile(new Blob([latin1])));
    expect(e.message).toContain('not a UTF-8 text CSV');
    expect(e.message).toContain('not valid UTF-8');
  });

  it('rejects NUL bytes (binary or UTF-16 files)', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00, 0x31, 0x00]);
    const e = await asyncErrorOf(parseCsvFile(new Blob([utf16])));
    expect(e.message).toContain('not a UTF-8 text CSV');
    expect(e.message).toContain('NUL byte at byte offset 3');
  });

  it('refuses a file over the size limit, naming both sizes in MB', async () => {
    const blob = new Blob([new Uint8Array(3 * 1024 * 1024).fill(0x31)]);
    const e = await asyncErrorOf(parseCsvFile(blob, 2 * 1024 * 1024));
    expect(e.message).toContain('The file is 3 MB, over the 2 MB limit');
    const fits = await parseCsvFile(new Blob(['v\n1\n']), 4);
    expect(fits.rowCount).toBe(1);
  });
});

describe('numeric columns', () => {
  const table = parseCsvText(
    ['date,value,label,sparse,weird,empty', '2024-01-01,1.5,a,,0x10,', '2024-01-02,-2e3,b,7,1,', '2024-01-03,+.5,c,,2,'].join('\n'),
  );

  it('lists columns whose non-empty cells are all plain finite numbers', () => {
    expect(numericColumnNames(table)).toEqual(['value', 'sparse']);
  });

  it('converts a numeric column', () => {
    expect(Array.from(toNumericColumn(table, 'value'))).toEqual([1.5, -2000, 0.5]);
  });

  it('names row, column, value and file line for a text cell', () => {
    const e = errorOf(() => toNumericColumn(table, 'label'));
    expect(e.message).toBe(
      'Row 1, column "label": "a" is not a number (line 2 of the file). Fix or remove that cell, or pick another target column.',
    );
    expect(e.row).toBe(1);
    expect(e.column).toBe('label');
    expect(e.value).toBe('a');
  });

  it('gives empty cells their own message', () => {
    const e = errorOf(() => toNumericColumn(table, 'sparse'));
    expect(e.message).toContain('Row 1, column "sparse" is empty (line 2 of the file)');
  });

  it('hints at decimal commas and rejects non-finite numbers', () => {
    const t = parseCsvText('a;b\n1,5;1e999\n');
    expect(errorOf(() => toNumericColumn(t, 'a')).message).toContain('decimal comma');
    expect(errorOf(() => toNumericColumn(t, 'b')).message).toContain('"1e999" is not a finite number');
  });

  it('rejects an unknown column name, listing the header', () => {
    const e = errorOf(() => toNumericColumn(table, 'Value'));
    expect(e.message).toContain('There is no column named "Value"');
    expect(e.message).toContain('"value"');
  });
});
