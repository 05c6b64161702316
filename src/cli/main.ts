// Entry of the `lstm-playground` command line: dispatches to a command, maps errors to exit codes.
import { GLOBAL_VERBOSE, GLOBAL_VERBOSE_HELP, UsageError } from './args';
import type { CliCommand, CliIo } from './command';
import { benchCommand } from './commands/bench';
import { generateCommand } from './commands/generate';
import { inspectCommand } from './commands/inspect';
import { predictCommand } from './commands/predict';
import { trainCommand, type ProgressIo } from './commands/train';
import { tuneCommand } from './commands/tune';
import { verifyCommand } from './commands/verify';
import { VERBOSE_ENV } from '../gpu/node_adapter_choice';

const COMMANDS: CliCommand[] = [benchCommand, inspectCommand, trainCommand, tuneCommand, predictCommand, generateCommand, verifyCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: lstm-playground <command> [options]',
    '',
    'Train and check LSTM, GRU and RNN models on WebGPU (Dawn) from the terminal. Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options (before or after the command):',
    `  ${GLOBAL_VERBOSE}  ${GLOBAL_VERBOSE_HELP}`,
    '',
    'Run `lstm-playground <command> --help` for a command\'s options.',
  ].join('\n');
}

/** Takes the global --verbose out of argv (commands never see it) and turns it into LSTM_PLAYGROUND_VERBOSE=1. */
function takeGlobalFlags(argv: string[]): string[] {
  const rest: string[] = [];
  for (const arg of argv) {
    if (arg === GLOBAL_VERBOSE) process.env[VERBOSE_ENV] = '1';
    else if (arg.startsWith(`${GLOBAL_VERBOSE}=`)) throw new UsageError(`lstm-playground: ${GLOBAL_VERBOSE} takes no value`);
    else rest.push(arg);
  }
  return rest;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    argv = takeGlobalFlags(argv);
  } catch (e) {
    io.err((e as Error).message);
    return 2;
  }
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
