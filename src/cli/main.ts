// Entry of the `lstm-playground` command line: dispatches to a command, maps errors to exit codes.
import { UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { benchCommand } from './commands/bench';
import { inspectCommand } from './commands/inspect';
import { predictCommand } from './commands/predict';
import { trainCommand, type ProgressIo } from './commands/train';
import { verifyCommand } from './commands/verify';

const COMMANDS: CliCommand[] = [benchCommand, inspectCommand, trainCommand, predictCommand, verifyCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: lstm-playground <command> [options]',
    '',
    'Train and check LSTM, GRU and RNN models on WebGPU (Dawn) from the terminal. Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `lstm-playground <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`lstm-playground: unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(e.message);
      return 2;
    }
    io.err(`lstm-playground ${name}: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

const io: ProgressIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTty: Boolean(process.stderr.isTTY),
  progress: (t) => process.stderr.write(t),
};

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`lstm-playground: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
