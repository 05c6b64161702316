// Bench option checking and defaults (configs and matmul sizes depend on whether the adapter is SwiftShader).
import {
  CONFIGS,
  ENGINES,
  GPU_CONFIGS,
  GPU_MATMUL_SIZES,
  GPU_STEPS,
  GPU_WARMUP,
  isSwiftShader,
  SWIFTSHADER_CONFIGS,
  SWIFTSHADER_MATMUL_SIZES,
  SWIFTSHADER_STEPS,
  SWIFTSHADER_WARMUP,
  type BenchOptions,
  type Engine,
} from './bench_spec';

/** Options as given; anything left out gets its default once the adapter is known. */
export interface PartialBenchOptions {
  configs?: string[];
  steps?: number;
  warmup?: number;
  engines?: string[];
  matmulSizes?: number[];
}

/** A bad option value; the message says what is allowed. */
export class OptionError extends Error {}

function checkList(what: string, values: string[], allowed: readonly string[]): void {
  if (values.length === 0) throw new OptionError(`${what} must name at least one of: ${allowed.join(', ')}.`);
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length > 0) throw new OptionError(`Unknown ${what} ${unknown.map((u) => `"${u}"`).join(', ')}; choose from ${allowed.join(', ')}.`);
  const dupes = values.filter((v, i) => values.indexOf(v) !== i);
  if (dupes.length > 0) throw new OptionError(`${what} lists ${dupes[0]} twice.`);
}

function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new OptionError(`${what} must be an integer from ${lo} to ${hi} (got ${v}).`);
}

/** Throws OptionError for any unknown name or out-of-range number. */
export function checkPartialOptions(p: PartialBenchOptions): void {
  if (p.configs) checkList('configs', p.configs, Object.keys(CONFIGS));
  if (p.engines) checkList('engines', p.engines, ENGINES);
  if (p.steps !== undefined) checkInt('steps', p.steps, 1, 100000);
  if (p.warmup !== undefined) checkInt('warmup', p.warmup, 0, 100000);
  if (p.matmulSizes) {
    if (p.matmulSizes.length === 0) throw new OptionError('matmul sizes must list at least one size.');
    for (const s of p.matmulSizes) checkInt('each matmul size', s, 1, 8192);
  }
}

/** Fills in the defaults for this adapter: on SwiftShader S,M, 1+3 steps and 512,1024; elsewhere every config, 5+20 steps and larger products. */
export function resolveOptions(p: PartialBenchOptions, adapter: string): BenchOptions {
  checkPartialOptions(p);
  const slow = isSwiftShader(adapter);
  return {
    configs: p.configs ?? (slow ? SWIFTSHADER_CONFIGS : GPU_CONFIGS),
    steps: p.steps ?? (slow ? SWIFTSHADER_STEPS : GPU_STEPS),
    warmup: p.warmup ?? (slow ? SWIFTSHADER_WARMUP : GPU_WARMUP),
    engines: (p.engines as Engine[] | undefined) ?? [...ENGINES],
    matmulSizes: p.matmulSizes ?? (slow ? SWIFTSHADER_MATMUL_SIZES : GPU_MATMUL_SIZES),
  };
}

/** Splits "a,b,c" (spaces allowed) into its items. */
export function splitList(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
}

/** Parses an integer option, naming it in the error. */
export function parseIntOption(name: string, s: string): number {
  if (!/^\s*-?\d+\s*$/.test(s)) throw new OptionError(`${name} needs an integer, got "${s}".`);
  return Number(s);
}

/** Options from the page's query string: ?configs=S,M&steps=5&warmup=2&engines=ours,tfjs-webgl&matmul=512,1024 */
export function optionsFromQuery(params: URLSearchParams): PartialBenchOptions {
  const known = new Set(['run', 'configs', 'steps', 'warmup', 'engines', 'matmul']);
  for (const k of params.keys()) if (!known.has(k)) throw new OptionError(`Unknown query parameter "${k}"; use ${[...known].join(', ')}.`);
  const p: PartialBenchOptions = {};
  const get = (k: string) => params.get(k) ?? undefined;
  const configs = get('configs'), engines = get('engines'), steps = get('steps'), warmup = get('warmup'), matmul = get('matmul');
  if (configs !== undefined) p.configs = splitList(configs);
  if (engines !== undefined) p.engines = splitList(engines);
  if (steps !== undefined) p.steps = parseIntOption('steps', steps);
  if (warmup !== undefined) p.warmup = parseIntOption('warmup', warmup);
  if (matmul !== undefined) p.matmulSizes = splitList(matmul).map((s) => parseIntOption('matmul size', s));
  checkPartialOptions(p);
  return p;
}
