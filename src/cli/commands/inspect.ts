// `lstm-playground inspect FILE.csv`: prints the inferred schema, dataset shape, suggested task and warnings as one JSON object.
import { parseCsvPath } from '../../data/csv_node';
import type { ColumnProfile } from '../../data/column_stats';
import { DataError } from '../../data/data_error';
import { formatDate } from '../../data/dates';
import { describeTable, type TableReport } from '../../data/describe_table';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand } from '../command';

const FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show this help' },
  delimiter: { type: 'string', help: 'field delimiter: auto (default), comma, semicolon, tab or pipe' },
  header: { type: 'string', help: 'whether the first row names the columns: auto (default), yes or no' },
  'max-mb': { type: 'number', help: 'refuse files larger than this many MiB (default 1024)' },
};

const USAGE = 'Usage: lstm-playground inspect FILE.csv [--delimiter D] [--header auto|yes|no] [--max-mb N]';
const SUMMARY =
  'Reads the CSV file and prints one JSON object: the number of data rows (header excluded), each column\'s type\n' +
  '(number, integer, category, text or date), missing and distinct counts, min and max, the time and group columns,\n' +
  'the dataset shape (one-series, long, wide or text-label), the suggested task and warnings.\n' +
  'Exit code 1 when the file cannot be read or is not a usable CSV (the reason is printed), 2 for bad options.';

const DELIMITERS: Record<string, ',' | ';' | '\t' | '|' | 'auto'> = {
  auto: 'auto',
  comma: ',',
  ',': ',',
  semicolon: ';',
  ';': ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
  pipe: '|',
  '|': '|',
};
const HEADERS: Record<string, boolean | 'auto'> = { auto: 'auto', yes: true, no: false, true: true, false: false };

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'show the columns, shape and suggested task of a CSV file as JSON',
  async run(argv, io) {
    const { flags, positionals } = parseArgs(argv, FLAGS, 'inspect');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`inspect: name exactly one CSV file${positionals.length > 1 ? ` (got ${positionals.length})` : ''}.\n${USAGE}`);
    }
    const delimiter = lookup(DELIMITERS, flags.delimiter, 'auto', '--delimiter', 'auto, comma, semicolon, tab or pipe');
    const header = lookup(HEADERS, flags.header, 'auto', '--header', 'auto, yes or no');
    const maxMb = flags['max-mb'] as number | undefined;
    if (maxMb !== undefined && !(maxMb > 0)) throw new UsageError(`inspect: --max-mb must be above 0 (got ${maxMb})`);
    try {
      const table = await parseCsvPath(positionals[0], { delimiter, header, maxBytes: maxMb === undefined ? undefined : maxMb * 1024 * 1024 });
      io.out(JSON.stringify(inspectReport(describeTable(table)), null, 2));
      return 0;
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      io.err(e.message.includes(positionals[0]) ? `inspect: ${e.message}` : `inspect: ${positionals[0]}: ${e.message}`);
      return 1;
    }
  },
};

function lookup<T>(table: Record<string, T>, value: unknown, fallback: T, flag: string, allowed: string): T {
  if (value === undefined) return fallback;
  const key = String(value);
  if (!Object.prototype.hasOwnProperty.call(table, key.toLowerCase()) && !Object.prototype.hasOwnProperty.call(table, key)) {
    throw new UsageError(`inspect: ${flag} must be one of ${allowed} (got "${key}")`);
  }
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : table[key.toLowerCase()];
}

/** The printed object: the fields the issue names first, then the extras. */
export function inspectReport(report: TableReport) {
  return {
    rows: report.rows,
    columns: report.columns.map(columnEntry),
    timeColumn: report.timeColumn,
    groupColumn: report.groupColumn,
    labelColumn: report.labelColumn,
    textColumn: report.textColumn,
    textTokens: report.textTokens,
    shape: report.shape,
    suggestedTask: report.suggestedTask,
    reason: report.reason,
    warnings: report.warnings.map((w) => w.message),
    delimiter: report.delimiter,
    header: report.hasHeader,
    decimalMark: report.decimalMark,
  };
}

function columnEntry(p: ColumnProfile) {
  const isDate = p.type === 'date';
  const show = (v: number | null) => (v === null ? null : isDate ? formatDate(v) : v);
  return {
    name: p.name,
    type: p.type,
    missing: p.missing,
    distinct: p.distinct,
    min: show(p.min),
    max: show(p.max),
    ...(p.mean !== null && !isDate ? { mean: p.mean } : {}),
    ...(p.dateFormat !== undefined ? { dateFormat: p.dateFormat } : {}),
    ...(p.ambiguousDayMonth ? { ambiguousDayMonth: true } : {}),
    ...(p.invalid > 0 ? { invalid: p.invalid } : {}),
    ...(p.topValues ? { topValues: p.topValues } : {}),
  };
}
