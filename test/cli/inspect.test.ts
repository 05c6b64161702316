// Tests `lstm-playground inspect`: the JSON it prints, --help, usage errors (exit 2) and unreadable files (exit 1).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import type { CliIo } from '../../src/cli/command';
import { inspectCommand } from '../../src/cli/commands/inspect';
import { fixturePath } from '../data/helpers';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await inspectCommand.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('lstm-playground inspect', () => {
  it('prints the schema, shape and suggested task of one series as one JSON object', async () => {
    const { code, out, err } = await run(fixturePath('one_series.csv'));
    expect([code, err]).toEqual([0, '']);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ rows: 120, timeColumn: 'date', groupColumn: null, suggestedTask: 'forecast', shape: 'one-series', warnings: [], header: true, delimiter: ',' });
    expect(report.columns[0]).toEqual({ name: 'date', type: 'date', missing: 0, distinct: 120, min: '2021-01-01', max: '2021-04-30', dateFormat: 'YYYY-MM-DD' });
    expect(report.columns[1]).toMatchObject({ name: 'sales', type: 'number', missing: 0, distinct: expect.any(Number), min: expect.any(Number), max: expect.any(Number) });
    expect(report.columns[2]).toMatchObject({ name: 'promo', type: 'integer', distinct: 2, min: 0, max: 1 });
  });

  it('names the group column of a long file, the label of a wide one and the text of a text file', async () => {
    expect(JSON.parse((await run(fixturePath('long_tickers.csv'))).out)).toMatchObject({ rows: 180, groupColumn: 'ticker', timeColumn: 'date', suggestedTask: 'forecast' });
    expect(JSON.parse((await run(fixturePath('wide_ucr.csv'))).out)).toMatchObject({ rows: 40, header: false, labelColumn: 'column_1', suggestedTask: 'classify-sequences' });
    expect(JSON.parse((await run(fixturePath('text_label.csv'))).out)).toMatchObject({ rows: 60, textColumn: 'review', suggestedTask: 'classify-text' });
  });

  it('reports date formats, ambiguous dates and warnings', async () => {
    const report = JSON.parse((await run(fixturePath('dates.csv'))).out);
    expect(report.columns.map((c: { dateFormat?: string }) => c.dateFormat)).toEqual([
      'YYYY-MM-DD',
      'YYYY-MM-DDTHH:mm:ss',
      'YYYY/MM/DD HH:mm:ss',
      'MMM D YYYY',
      'MM/DD/YYYY',
      'YYYY',
      'unix-seconds',
      'unix-ms',
    ]);
    expect(report.columns[4].ambiguousDayMonth).toBe(true);
    expect(report.warnings).toEqual(expect.arrayContaining([expect.stringContaining('Column "ambiguous": every date reads both')]));
    const messy = JSON.parse((await run(fixturePath('messy_time.csv'))).out);
    expect(messy.warnings).toHaveLength(4);
  });

  it('takes --delimiter and --header', async () => {
    const forced = JSON.parse((await run(fixturePath('no_header.csv'), '--header', 'yes')).out);
    expect([forced.rows, forced.columns[0].name]).toEqual([2, '1.5']);
    const semicolon = JSON.parse((await run(fixturePath('european_semicolon.csv'), '--delimiter=semicolon')).out);
    expect(semicolon.columns).toHaveLength(4);
    const comma = await run(fixturePath('european_semicolon.csv'), '--delimiter', 'comma');
    expect(comma.code).toBe(1); // "1,5" splits into two fields under a forced comma
    expect(comma.err).toContain('(the delimiter is a comma (","))');
  });

  it('prints help', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toContain('Usage: lstm-playground inspect FILE.csv');
    expect(out).toContain('--delimiter');
  });

  it('throws a UsageError (exit 2) for bad options and a wrong number of files', async () => {
    await expect(run('--bogus')).rejects.toThrow(UsageError);
    await expect(run(fixturePath('one_series.csv'), '--header', 'maybe')).rejects.toThrow('--header must be one of auto, yes or no (got "maybe")');
    await expect(run(fixturePath('one_series.csv'), '--delimiter', ':')).rejects.toThrow('--delimiter must be one of');
    await expect(run(fixturePath('one_series.csv'), '--max-mb', '0')).rejects.toThrow('--max-mb must be above 0');
    await expect(run()).rejects.toThrow('name exactly one CSV file');
    await expect(run('a.csv', 'b.csv')).rejects.toThrow('(got 2)');
  });

  it('exits 1 with the reason on stderr for a missing, unusable or oversized file', async () => {
    const missing = await run(fixturePath('no_such_file.csv'));
    expect([missing.code, missing.out]).toEqual([1, '']);
    expect(missing.err).toMatch(/^inspect: Cannot read .*no_such_file\.csv: there is no such file\.$/);
    const ragged = await run(fixturePath('ragged.csv'));
    expect(ragged.code).toBe(1);
    expect(ragged.err).toContain('ragged.csv: Row 2 (line 3 of the file) has 2 fields, but the header (line 1) has 3 columns');
    expect((await run(fixturePath('empty.csv'))).err).toContain('The file is empty');
    expect((await run(fixturePath('one_series.csv'), '--max-mb', '0.001')).err).toContain('over the 0.001 MB limit');
  });
});
