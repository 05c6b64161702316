// `npm run bench`: our WGSL LSTM engine vs TensorFlow.js in headless Chromium; prints a table (or --json rows), exit 1 if ours fails.
import { formatReport } from './report';
import { parseCliArgs, USAGE, type CliArgs } from './cli_args';
import { OptionError } from './options';
import { runBench } from './runner';

async function main(): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    process.stderr.write(`bench: ${e.message}\nRun \`npm run bench -- --help\` for the flags.\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = await runBench(args.options);
  if (args.json) process.stdout.write(`${JSON.stringify(result.rows)}\n`);
  else process.stdout.write(`${formatReport(result)}\n`);
  const failures = result.misses.filter((m) => m.failed);
  for (const m of result.misses) {
    process.stderr.write(`bench: ${m.config} ${m.engine} ${m.failed ? 'FAILED' : 'skipped'}: ${m.reason}\n`);
  }
  const oursAsked = result.options.engines.includes('ours');
  const oursRan = result.rows.some((r) => r.engine === 'ours');
  if (oursAsked && !oursRan && failures.length === 0) {
    process.stderr.write('bench: our engine produced no measurement.\n');
    return 1;
  }
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
