// Tests every data error a person can meet (issue 4's list): each must be a DataError saying what is wrong and where.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { DEFAULT_MAX_BYTES, parseCsvBlob, parseCsvStream, parseCsvString } from '../../src/data/csv_stream';
import { buildTrainingSet } from '../../src/data/training_set';
import { asyncErrorOf, errorOf, fixturePath } from './helpers';

describe('file-level errors', () => {
  it('empty file', async () => {
    expect((await asyncErrorOf(parseCsvPath(fixturePath('empty.csv')))).message).toBe('The file is empty: it needs a header row and at least one data row.');
    expect((await asyncErrorOf(parseCsvString('\uFEFF \r\n\n  \n'))).message).toContain('The file is empty');
  });

  it('header only', async () => {
    const e = await asyncErrorOf(parseCsvPath(fixturePath('header_only.csv')));
    expect(e.message).toBe('The file has a header but no data rows (the header is on line 1). Add at least one row of values below the header.');
  });

  it('binary data, UTF-16, a ZIP/xlsx file and non-UTF-8 text', async () => {
    const nul = await asyncErrorOf(parseCsvBlob(new Blob([new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x00, 0x32])])));
    expect(nul.message).toContain('not a UTF-8 text CSV: it contains a NUL byte at byte offset 5');
    const utf16 = await asyncErrorOf(parseCsvBlob(new Blob([new Uint8Array([0xff, 0xfe, 0x61, 0x00])])));
    expect(utf16.message).toContain('UTF-16');
    const zip = await asyncErrorOf(parseCsvBlob(new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])])));
    expect(zip.message).toContain('ZIP archive (an Excel .xlsx workbook is one)');
    const latin1 = new TextEncoder().encode('name,value\nabc,1\n');
    const bytes = new Uint8Array([...latin1, 0x63, 0x61, 0x66, 0xe9, 0x2c, 0x32, 0x0a]); // "café,2" in Latin-1
    const e = await asyncErrorOf(parseCsvBlob(new Blob([bytes])));
    expect(e.message).toContain(`the bytes at offset ${latin1.length + 3} are not valid UTF-8`);
    expect(e.message).toContain('Save it as "CSV UTF-8"');
  });

  it('a file cut in the middle of a UTF-8 character', async () => {
    const bytes = new TextEncoder().encode('a,b\n1,é');
    const e = await asyncErrorOf(parseCsvStream([bytes.subarray(0, bytes.length - 1)]));
    expect(e.message).toContain('not valid UTF-8');
  });

  it('ragged rows, with the row and line numbers and the field counts', async () => {
    const e = await asyncErrorOf(parseCsvPath(fixturePath('ragged.csv')));
    expect(e.message).toContain('Row 2 (line 3 of the file) has 2 fields, but the header (line 1) has 3 columns');
    expect(e.message).toContain('the delimiter is a comma (",")');
    expect(e.row).toBe(2);
    const noHeader = await asyncErrorOf(parseCsvString('1,2\n3,4\n5\n'));
    expect(noHeader.message).toContain('Row 3 (line 3 of the file) has 1 field, but the first row (line 1) has 2 columns');
  });

  it('unclosed and malformed quotes, with the row', async () => {
    const unclosed = await asyncErrorOf(parseCsvString('a,b\n1,2\n"3,4\n5,6\n'));
    expect(unclosed.message).toContain('Row 2 (line 3 of the file) has a quoted field that is never closed');
    const malformed = await asyncErrorOf(parseCsvString('a,b\n1,2\n3,"4"x\n5,6\n'));
    expect(malformed.message).toContain('Row 2 (line 3 of the file) has a malformed quoted field');
  });

  it('a file over the size cap (1 GiB by default), naming both sizes', async () => {
    expect(DEFAULT_MAX_BYTES).toBe(1024 ** 3);
    const huge = { size: 1.5 * 1024 ** 3, stream: () => new Blob([]).stream() } as unknown as Blob;
    expect((await asyncErrorOf(parseCsvBlob(huge))).message).toBe(
      'The file is 1536 MB, over the 1024 MB limit. Use a smaller file (for example, fewer rows or only the columns you need).',
    );
    const small = await asyncErrorOf(parseCsvBlob(new Blob(['v\n'.repeat(2 * 1024 * 1024)]), { maxBytes: 3 * 1024 * 1024 }));
    expect(small.message).toContain('The file is 4 MB, over the 3 MB limit');
    // A stream of unknown size is stopped once it passes the cap.
    const endless = (function* () {
      for (let i = 0; i < 100; i++) yield 'x\n'.repeat(1000);
    })();
    expect((await asyncErrorOf(parseCsvStream(endless, { maxBytes: 10_000 }))).message).toContain('The file is over the 0.00954 MB limit');
  });
});

describe('training-set errors', () => {
  it('a text cell in a column used as numeric names the row, column and value', async () => {
    const table = await parseCsvPath(fixturePath('text_in_numeric.csv'));
    const e = errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 2, testFraction: 0 }));
    expect(e.message).toBe(
      'Row 3 (line 4 of the file), column "value": "oops" is not a number, and the column is used as a target. Fix or empty that cell, or leave the column out.',
    );
    expect([e.row, e.column, e.value]).toEqual([3, 'value', 'oops']);
  });

  it('too few rows for the window and horizon, naming the numbers', async () => {
    const table = await parseCsvString(`v\n${Array.from({ length: 30 }, (_, i) => i).join('\n')}\n`);
    const e = errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['v'], window: 24, horizon: 3 }));
    expect(e.message).toContain('Too few rows: a window of 24 steps and a horizon of 3 (validation 0.2, test 0.1) need at least');
    expect(e.message).toContain('but the series has 30 rows');
    const needed = Number(/at least (\d+) rows/.exec(e.message)![1]);
    const enough = await parseCsvString(`v\n${Array.from({ length: needed }, (_, i) => i).join('\n')}\n`);
    expect(buildTrainingSet(enough, { task: 'forecast', targets: ['v'], window: 24, horizon: 3 }).counts.test).toBeGreaterThanOrEqual(1);
    const fewer = await parseCsvString(`v\n${Array.from({ length: needed - 1 }, (_, i) => i).join('\n')}\n`);
    expect(errorOf(() => buildTrainingSet(fewer, { task: 'forecast', targets: ['v'], window: 24, horizon: 3 })).message).toContain('Too few rows');
  });

  it('only one class', async () => {
    const table = await parseCsvPath(fixturePath('one_class.csv'));
    const e = errorOf(() => buildTrainingSet(table, { task: 'classify-text', textColumn: 'text', labelColumn: 'label' }));
    expect(e.message).toContain('Column "label" has only one class ("pos") in the rows used, so there is nothing to tell apart.');
    const wide = await parseCsvString(`label,a,b\nx,1,2\nx,3,4\n,5,6\n`);
    expect(errorOf(() => buildTrainingSet(wide, { task: 'classify-sequences', format: 'wide', labelColumn: 'label' })).message).toContain('only one class ("x")');
  });

  it('bad choices say which choice and what is allowed', async () => {
    const table = await parseCsvString(`v\n${Array.from({ length: 100 }, (_, i) => i).join('\n')}\n`);
    const build = (extra: object) => errorOf(() => buildTrainingSet(table, { task: 'forecast', targets: ['v'], window: 4, ...extra }));
    expect(build({ window: 0 }).message).toBe('The window must be a whole number from 1 to 4096 (got 0).');
    expect(build({ horizon: 1.5 }).message).toContain('The horizon must be a whole number from 1 to 1000 (got 1.5)');
    expect(build({ valFraction: 0 }).message).toContain('validation fraction must be above 0');
    expect(build({ valFraction: 0.5, testFraction: 0.5 }).message).toContain('add up to 1');
    expect(build({ targets: ['nope'] }).message).toContain('There is no column named "nope"');
    expect(build({ calendar: ['hour'] }).message).toContain('Calendar features need a date column');
    expect(build({ targets: [] }).message).toBe('Choose at least one column to predict.');
  });
});
