// Tests column profiles, dataset shape detection with the suggested task, and the warnings of the table report.
import { describe, expect, it } from 'vitest';
import { profileColumn } from '../../src/data/column_stats';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { describeTable, duration } from '../../src/data/describe_table';
import { suggestedChoices } from '../../src/data/training_set';
import { columnNamed } from '../../src/data/table';
import { fixturePath } from './helpers';

describe('column profiles', () => {
  it('reports type, missing, distinct, min, max and mean', async () => {
    const t = await parseCsvString('n,i,c,s,e\n1.5,1,red,a long free text here,\n2.5,2,blue,another free text,\nNA,2,red,and a third one,\n');
    const [n, i, c, s, e] = t.columns.map(profileColumn);
    expect(n).toMatchObject({ type: 'number', missing: 1, distinct: 2, min: 1.5, max: 2.5, mean: 2, std: 0.5 });
    expect(i).toMatchObject({ type: 'integer', missing: 0, distinct: 2, min: 1, max: 2 });
    expect(c).toMatchObject({ type: 'category', distinct: 2, topValues: [{ value: 'red', count: 2 }, { value: 'blue', count: 1 }] });
    expect(profileColumn(columnNamed(await parseCsvString(`s\n${Array.from({ length: 40 }, (_, k) => `text number ${k}`).join('\n')}\n`), 's')).type).toBe('text');
    expect(s.type).toBe('text'); // sentences of four words or more
    expect(e).toMatchObject({ type: 'text', missing: 3, distinct: 0 });
  });
});

describe('dataset shapes', () => {
  it.each([
    ['one_series.csv', { shape: 'one-series', suggestedTask: 'forecast', timeColumn: 'date', groupColumn: null }],
    ['long_tickers.csv', { shape: 'long', suggestedTask: 'forecast', timeColumn: 'date', groupColumn: 'ticker', valueColumns: ['close'] }],
    ['wide_ucr.csv', { shape: 'wide', suggestedTask: 'classify-sequences', timeColumn: null, labelColumn: 'column_1' }],
    ['text_label.csv', { shape: 'text-label', suggestedTask: 'classify-text', textColumn: 'review', labelColumn: 'sentiment' }],
  ])('%s', async (file, expected) => {
    const report = describeTable(await parseCsvPath(fixturePath(file)));
    expect(report).toMatchObject(expected);
    expect(report.reason.length).toBeGreaterThan(10);
  });

  it('finds long-format sequence classification when a label is constant within each series', async () => {
    const rows = ['subject,t,x,y,activity'];
    for (let s = 0; s < 6; s++) for (let t = 0; t < 5; t++) rows.push(`s${s},${t},${t * s},${-t},${s % 2 ? 'walk' : 'run'}`);
    const report = describeTable(await parseCsvString(rows.join('\n')));
    expect(report).toMatchObject({ shape: 'long', suggestedTask: 'classify-sequences', groupColumn: 'subject', timeColumn: 't', labelColumn: 'activity' });
  });

  it('uses row order when there is no time column, and names a step column as the time', async () => {
    const plain = describeTable(await parseCsvString('a,b\n1,2\n3,5\n4,4\n'));
    expect([plain.shape, plain.timeColumn, plain.valueColumns]).toEqual(['one-series', null, ['a', 'b']]);
    const stepped = describeTable(await parseCsvString('step,value\n0,2\n1,5\n2,4\n'));
    expect([stepped.timeColumn, stepped.valueColumns]).toEqual(['step', ['value']]);
  });

  it('suggests choices that build for each shape', async () => {
    for (const file of ['one_series.csv', 'long_tickers.csv', 'wide_ucr.csv', 'text_label.csv']) {
      const choices = suggestedChoices(await parseCsvPath(fixturePath(file)));
      expect(choices.task).toBe(describeTable(await parseCsvPath(fixturePath(file))).suggestedTask);
    }
    expect(suggestedChoices(await parseCsvPath(fixturePath('one_series.csv')))).toMatchObject({ targets: ['promo'], timeColumn: 'date', window: 12 });
  });
});

describe('warnings', () => {
  it('flags unsorted and repeated timestamps, irregular gaps and a constant column', async () => {
    const report = describeTable(await parseCsvPath(fixturePath('messy_time.csv')));
    const messages = Object.fromEntries(report.warnings.map((w) => [w.kind, w.message]));
    expect(messages['unsorted-time']).toBe('Column "when" is not in time order: 1 row goes back in time (the first is row 4). Rows will be sorted by time.');
    expect(messages['duplicate-time']).toBe('Column "when" repeats a time 1 time (first at row 5: 2020-01-03).');
    expect(messages['irregular-gaps']).toBe('Column "when" has 1 gap longer than the usual step of 1 day (the longest is 10 days).');
    expect(messages['constant-column']).toBe('Column "site" has the same value in every filled row, so it carries no information.');
  });

  it('flags invalid cells, ambiguous dates, empty columns and many missing values', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `0${(i % 9) + 1}/0${(i % 3) + 1}/2020,${i === 4 ? 'oops' : i},,${i % 2 ? 'NA' : i}`);
    const report = describeTable(await parseCsvString(`d,v,empty,half\n${rows.join('\n')}\n`));
    const kinds = report.warnings.map((w) => `${w.kind}:${w.column}`);
    expect(kinds).toEqual(expect.arrayContaining(['ambiguous-dates:d', 'invalid-cells:v', 'empty-column:empty', 'many-missing:half']));
    expect(report.warnings.find((w) => w.kind === 'invalid-cells')!.message).toBe(
      'Column "v" has 1 cell that is not numbers; the first is row 5 (line 6 of the file): "oops". Fix it before using the column.',
    );
  });

  it('writes durations for people', () => {
    expect(duration(86_400_000)).toBe('1 day');
    expect(duration(31 * 86_400_000)).toBe('1 month');
    expect(duration(15 * 60_000)).toBe('15 minutes');
    expect(duration(500)).toBe('500 ms');
  });
});
