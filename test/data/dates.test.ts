// Tests date recognition: ISO, slashes, month names, ambiguous day/month, years and Unix times, in cells and columns.
import { describe, expect, it } from 'vitest';
import { profileColumn, timeMilliseconds } from '../../src/data/column_stats';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { dayMonthEvidence, formatDate, readDateCell, swapDayAndMonth } from '../../src/data/dates';
import { chooseDayMonthOrder, columnNamed } from '../../src/data/table';
import { errorOf, fixturePath, numbersOf } from './helpers';

const utc = Date.UTC;

describe('readDateCell', () => {
  it.each([
    ['2012-01-01', utc(2012, 0, 1), 'YYYY-MM-DD'],
    ['2010-01-01T01:00:00', utc(2010, 0, 1, 1), 'YYYY-MM-DDTHH:mm:ss'],
    ['2010-01-01 13:30', utc(2010, 0, 1, 13, 30), 'YYYY-MM-DD HH:mm'],
    ['2010-01-01T01:00:00.250Z', utc(2010, 0, 1, 1, 0, 0, 250), 'YYYY-MM-DDTHH:mm:ss.SSSZ'],
    ['2010-01-01T01:00:00+02:00', utc(2009, 11, 31, 23), 'YYYY-MM-DDTHH:mm:ssZ'],
    ['1949-03', utc(1949, 2, 1), 'YYYY-MM'],
    ['2015/01/01 01:00:00', utc(2015, 0, 1, 1), 'YYYY/MM/DD HH:mm:ss'],
    ['2015.12.31', utc(2015, 11, 31), 'YYYY.MM.DD'],
    ['Jan 1 2000', utc(2000, 0, 1), 'MMM D YYYY'],
    ['January 15, 2000', utc(2000, 0, 15), 'MMM D, YYYY'],
    ['Sept 3 2001 5:07 PM', utc(2001, 8, 3, 17, 7), 'MMM D YYYY HH:mm A'],
    ['1 Feb 2000', utc(2000, 1, 1), 'D MMM YYYY'],
    ['01-Feb-2000', utc(2000, 1, 1), 'DD-MMM-YYYY'],
    ['01/02/2003', utc(2003, 0, 2), 'MM/DD/YYYY'],
    ['12-31-1999 23:59', utc(1999, 11, 31, 23, 59), 'MM-DD-YYYY HH:mm'],
  ])('%s', (cell, ms, label) => {
    expect(readDateCell(cell)).toEqual({ family: expect.any(String), ms, label });
  });

  it('reads day-first when asked, and refuses impossible dates and non-dates', () => {
    expect(readDateCell('01/02/2003', 'day-first')?.ms).toBe(utc(2003, 1, 1));
    for (const cell of ['2021-02-29', '2020-13-01', '13/13/2020', '2020-01-01T25:00', 'Foo 1 2000', '12', '1.5', 'hello', '', 'Jan 2000']) {
      expect(readDateCell(cell), cell).toBeNull();
    }
    expect(readDateCell('2020-02-29')?.ms).toBe(utc(2020, 1, 29));
  });

  it('tells which day/month orders a cell allows', () => {
    expect(dayMonthEvidence('01/02/2003')).toBe('either');
    expect(dayMonthEvidence('13/02/2003')).toBe('day-first');
    expect(dayMonthEvidence('02/13/2003')).toBe('month-first');
    expect(dayMonthEvidence('2003-02-01')).toBeNull();
    expect(swapDayAndMonth(utc(2003, 0, 2, 5))).toBe(utc(2003, 1, 1, 5));
  });

  it('formats dates for reports', () => {
    expect(formatDate(utc(2020, 4, 6))).toBe('2020-05-06');
    expect(formatDate(utc(2020, 4, 6, 7, 8, 9))).toBe('2020-05-06T07:08:09');
    expect(formatDate(utc(1949, 2, 1), 'year-month')).toBe('1949-03');
  });
});

describe('date columns', () => {
  it('infers each date form of the fixture, with its format', async () => {
    const t = await parseCsvPath(fixturePath('dates.csv'));
    const formats = t.columns.map((c) => [c.name, profileColumn(c).type, profileColumn(c).dateFormat]);
    expect(formats).toEqual([
      ['iso', 'date', 'YYYY-MM-DD'],
      ['iso_time', 'date', 'YYYY-MM-DDTHH:mm:ss'],
      ['slash_time', 'date', 'YYYY/MM/DD HH:mm:ss'],
      ['named', 'date', 'MMM D YYYY'],
      ['ambiguous', 'date', 'MM/DD/YYYY'],
      ['year', 'date', 'YYYY'],
      ['unix_s', 'date', 'unix-seconds'],
      ['unix_ms', 'date', 'unix-ms'],
    ]);
    expect(profileColumn(columnNamed(t, 'ambiguous')).ambiguousDayMonth).toBe(true);
    expect(profileColumn(columnNamed(t, 'iso')).ambiguousDayMonth).toBe(false);
    expect(Array.from(timeMilliseconds(columnNamed(t, 'year'))!)).toEqual([utc(1999, 0, 1), utc(2000, 0, 1), utc(2001, 0, 1)]);
    expect(Array.from(timeMilliseconds(columnNamed(t, 'unix_s'))!)).toEqual(Array.from(timeMilliseconds(columnNamed(t, 'unix_ms'))!));
    expect(timeMilliseconds(columnNamed(t, 'unix_s'))![0]).toBe(utc(2015, 0, 1));
    expect(profileColumn(columnNamed(t, 'named')).min).toBe(utc(2000, 0, 1));
    expect(profileColumn(columnNamed(t, 'named')).max).toBe(utc(2000, 1, 10));
  });

  it('switches to day-first when a later date proves it, re-reading the earlier ones', async () => {
    const t = await parseCsvString('d,v\n01/02/2003,1\n05/06/2003,2\n25/12/2003,3\n');
    const d = columnNamed(t, 'd');
    expect(d.kind === 'date' && [d.format, d.ambiguousDayMonth]).toEqual(['DD/MM/YYYY', false]);
    expect(numbersOf(t, 'd')).toEqual([utc(2003, 1, 1), utc(2003, 5, 5), utc(2003, 11, 25)]);
  });

  it('lets the person choose day-first for an ambiguous column, and refuses when the data decides', async () => {
    const t = await parseCsvString('d,v\n01/02/2003,1\n03/04/2003,2\n');
    chooseDayMonthOrder(t, 'd', 'day-first');
    expect(numbersOf(t, 'd')).toEqual([utc(2003, 1, 1), utc(2003, 3, 3)]);
    expect(profileColumn(columnNamed(t, 'd')).dateFormat).toBe('DD/MM/YYYY');
    chooseDayMonthOrder(t, 'd', 'month-first');
    expect(numbersOf(t, 'd')).toEqual([utc(2003, 0, 2), utc(2003, 2, 4)]);
    const decided = await parseCsvString('d,v\n01/02/2003,1\n01/25/2003,2\n');
    expect(errorOf(() => chooseDayMonthOrder(decided, 'd', 'day-first')).message).toContain('can only be read month first');
    expect(errorOf(() => chooseDayMonthOrder(decided, 'v', 'day-first')).message).toContain('does not hold dates like 01/02/2003');
  });

  it('marks a cell of another form in a date column as invalid, naming it', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},${i}`);
    rows[7] = 'soon,7';
    const t = await parseCsvString(`when,v\n${rows.join('\n')}\n`);
    const p = profileColumn(columnNamed(t, 'when'));
    expect([p.type, p.invalid, p.firstInvalid]).toEqual(['date', 1, { row: 7, value: 'soon' }]);
  });
});
