// The bench command line shared by `npm run bench` and `lstm-playground bench`: flags in, table or JSON out, exit code.
import { parseCliArgs, USAGE, type CliArgs } from './cli_args';
import { OptionError } from './options';
import { formatReport } from './report';
import { runBench } from './runner';

export interface BenchIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function benchMain(argv: string[], io: BenchIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    io.err(`bench: ${e.message}\nRun with --help for the flags.\n`);
    return 2;
  }
  if (args.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const result = await runBench({ ...args.options, dawnFeatures: args.dawnFeatures });
  io.out(args.json ? `${JSON.stringify(result.rows)}\n` : `${formatReport(result)}\n`);
  const failures = result.misses.filter((m) => m.failed);
  for (const m of result.misses) io.err(`bench: ${m.config} ${m.engine} ${m.failed ? 'FAILED' : 'skipped'}: ${m.reason}\n`);
  const oursAsked = result.options.engines.includes('ours');
  const oursRan = result.rows.some((r) => r.engine === 'ours');
  if (oursAsked && !oursRan && failures.length === 0) {
    io.err('bench: our engine produced no measurement.\n');
    return 1;
  }
  return failures.length > 0 ? 1 : 0;
}
