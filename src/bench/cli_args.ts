// Command-line flags of `npm run bench`: parsing into bench options, and the --help text.
import { CONFIGS, ENGINES, GPU_MATMUL_SIZES, GPU_STEPS, GPU_WARMUP, SWIFTSHADER_MATMUL_SIZES, SWIFTSHADER_STEPS, SWIFTSHADER_WARMUP } from './bench_spec';
import { checkPartialOptions, OptionError, parseIntOption, splitList, type PartialBenchOptions } from './options';

export interface CliArgs {
  help: boolean;
  json: boolean;
  options: PartialBenchOptions;
  /** Dawn toggles Chromium runs the page with (--dawn-features): a diagnosis, not what a person's browser runs. */
  dawnFeatures?: string[];
}

export const USAGE = `Usage: npm run bench -- [flags]

Times one LSTM training step (forward, backward, Adam, MSE) of every engine on the same shapes and batch: in headless
Chromium our WGSL engine (ours) and our CPU engine (ours-cpu), TensorFlow.js (webgpu, webgl, cpu, wasm backends) and
jax-js (WebGPU, wasm); outside it PyTorch on the CPU (torch-cpu, when python3 can import torch); plus our matmul kernels
alone (the best GFLOP/s a matmul reaches on this adapter). Prints ms/step, samples/s, GFLOP/s, ours ÷ each engine and
ours-cpu ÷ each engine. A row whose loss on the batch did not fall over its steps is reported as a miss, not timed.

Flags:
  --configs LIST     comma-separated from ${Object.keys(CONFIGS).join(', ')} (default: S,M on SwiftShader, all otherwise)
  --engines LIST     comma-separated from ${ENGINES.join(', ')} (default: all)
  --steps N          timed steps per measurement (default ${SWIFTSHADER_STEPS} on SwiftShader, ${GPU_STEPS} otherwise)
  --warmup N         untimed steps before them, same for every engine (default ${SWIFTSHADER_WARMUP} on SwiftShader, ${GPU_WARMUP} otherwise)
  --matmul LIST      square matmul sizes (default ${SWIFTSHADER_MATMUL_SIZES.join(',')} on SwiftShader, ${GPU_MATMUL_SIZES.join(',')} otherwise)
  --dawn-features LIST
                     Dawn toggles to enable in Chromium (--enable-dawn-features), e.g. disable_robustness: to see
                     what a toggle costs here; the report notes it, since a person's browser runs without
  --json             print only a JSON array of the result rows on stdout (progress goes to stderr);
                     use \`npm run -s bench -- --json\` so npm's own banner stays off stdout
  --help             this text

Configs (T window, I inputs, H hidden, B batch, layers):
${Object.values(CONFIGS).map((c) => `  ${c.name.padEnd(3)} T=${c.T} I=${c.I} H=${c.H} B=${c.B} layers=${c.layers}`).join('\n')}

Environment: CHROMIUM_PATH (default /usr/bin/chromium); PYTHON for torch-cpu (default: python3, then /usr/bin/python3).
Exit status: 0 on success, 1 when our engine (ours, ours-cpu) or a matmul kernel fails (peers that cannot run here are
only skipped, with the reason), 2 for bad flags.`;

const VALUE_FLAGS = ['configs', 'engines', 'steps', 'warmup', 'matmul', 'dawn-features'];
const DAWN_TOGGLE = /^[a-z0-9_]+$/;

/** Parses argv (without node and script); throws OptionError with a plain message on anything unknown or malformed. */
export function parseCliArgs(argv: string[]): CliArgs {
  const out: CliArgs = { help: false, json: false, options: {} };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new OptionError(`Unexpected argument "${arg}"; flags start with --.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (seen.has(name)) throw new OptionError(`--${name} is given twice.`);
    seen.add(name);
    if (name === 'help' || name === 'json') {
      if (eq >= 0) throw new OptionError(`--${name} takes no value.`);
      out[name] = true;
      continue;
    }
    if (!VALUE_FLAGS.includes(name)) throw new OptionError(`Unknown flag --${name}; known: ${[...VALUE_FLAGS, 'json', 'help'].map((f) => `--${f}`).join(', ')}.`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new OptionError(`--${name} needs a value.`);
      value = argv[++i];
    }
    const o = out.options;
    if (name === 'configs') o.configs = splitList(value);
    else if (name === 'engines') o.engines = splitList(value);
    else if (name === 'steps') o.steps = parseIntOption('--steps', value);
    else if (name === 'warmup') o.warmup = parseIntOption('--warmup', value);
    else if (name === 'dawn-features') {
      out.dawnFeatures = splitList(value);
      const bad = out.dawnFeatures.find((t) => !DAWN_TOGGLE.test(t));
      if (bad !== undefined) throw new OptionError(`--dawn-features: "${bad}" is not a Dawn toggle name (lower-case letters, digits and _, as disable_robustness).`);
    } else o.matmulSizes = splitList(value).map((s) => parseIntOption('--matmul size', s));
  }
  checkPartialOptions(out.options);
  return out;
}
