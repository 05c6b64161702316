// Minimal, strict command-line option parsing: known flags only, values checked, errors exit with code 2.
import { UsageError } from '../util/usage_error';

export { UsageError };

export interface FlagSpec {
  /** 'boolean' flags take no value; others take the next argument (or --flag=value). */
  type: 'boolean' | 'string' | 'number' | 'integer';
  help: string;
}

export interface ParsedArgs {
  flags: Record<string, string | number | boolean>;
  positionals: string[];
}

export function parseArgs(argv: string[], specs: Record<string, FlagSpec>, command: string): ParsedArgs {
  const flags: Record<string, string | number | boolean> = Object.create(null);
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`${command}: unknown option --${name}. See \`lstm-playground ${command} --help\`.`);
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`${command}: --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new UsageError(`${command}: --${name} needs a value`);
    if (spec.type === 'string') flags[name] = raw;
    else {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || (spec.type === 'integer' && !Number.isInteger(v))) {
        throw new UsageError(`${command}: --${name} must be ${spec.type === 'integer' ? 'an integer' : 'a number'} (got "${raw}")`);
      }
      flags[name] = v;
    }
  }
  return { flags, positionals };
}

/** The one global flag: main.ts takes it out of argv before a command parses the rest, so it works with every command. */
export const GLOBAL_VERBOSE = '--verbose';
export const GLOBAL_VERBOSE_HELP = 'also print GPU start-up detail on stderr: the WebGPU adapter chosen and why (or set LSTM_PLAYGROUND_VERBOSE=1)';

export function helpText(usage: string, summary: string, specs: Record<string, FlagSpec>): string {
  const width = Math.max(GLOBAL_VERBOSE.length - 2, ...Object.entries(specs).map(([n, s]) => n.length + (s.type === 'boolean' ? 0 : 8)));
  const lines = Object.entries(specs).map(([n, s]) => `  --${(n + (s.type === 'boolean' ? '' : ' <value>')).padEnd(width + 2)} ${s.help}`);
  const global = `\nGlobal options:\n  ${GLOBAL_VERBOSE.padEnd(width + 4)} ${GLOBAL_VERBOSE_HELP}\n`;
  return `${usage}\n\n${summary}\n${lines.length ? `\nOptions:\n${lines.join('\n')}\n` : ''}${global}`;
}
