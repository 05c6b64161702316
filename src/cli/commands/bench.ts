// `lstm-playground bench`: the browser benchmark against TensorFlow.js, or with --node our engine alone through Dawn.
import { benchMain } from '../../bench/bench_main';
import { makeBatch } from '../../bench/bench_data';
import { CONFIGS, type BenchRow } from '../../bench/bench_spec';
import { benchOurs } from '../../bench/ours_lstm';
import { profileStep, timeKernelSets, timeRecurrenceDesigns, WITHOUT_SUBGROUPS } from '../../bench/profile_step';
import { ratio } from '../../bench/report';
import { benchTorch, torchScriptPath, type TorchDevice } from '../../bench/torch_peer';
import type { CellKind } from '../../engine/config';
import { requestNodeDevice } from '../../gpu/node_device';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand, CliIo } from '../command';

const NODE_FLAGS: Record<string, FlagSpec> = {
  node: { type: 'boolean', help: 'time our engine in Node through Dawn (no browser, no TF.js): for GPU machines without Chromium' },
  configs: { type: 'string', help: `comma-separated from ${Object.keys(CONFIGS).join(', ')} (default S,M)` },
  steps: { type: 'integer', help: 'timed steps (default 20)' },
  warmup: { type: 'integer', help: 'untimed steps first (default 5)' },
  json: { type: 'boolean', help: 'print one JSON array of rows' },
  cell: { type: 'string', help: 'lstm (default), gru or rnn: the same configs with another cell' },
  profile: { type: 'boolean', help: 'also time each dispatch of one step alone and print the time per kernel' },
  subgroups: { type: 'boolean', help: 'also time the engine with and without its 4-lane subgroup kernels (CPU adapters), their steps alternating' },
  'no-subgroups': { type: 'boolean', help: 'profile (--profile) the engine without its subgroup kernels: the plain recurrences and matmul_direct' },
  designs: { type: 'boolean', help: 'also time both recurrence designs (one dispatch for all steps; one per step, for big GPUs) and say which the engine picks here' },
  torch: { type: 'string', help: 'cpu or cuda: then time PyTorch (bench/torch_lstm_bench.py) on the same configs and batches, and print ours ÷ it (cuda: cuDNN in fp32 and tf32)' },
  help: { type: 'boolean', help: 'show this help' },
};

async function nodeBench(argv: string[], io: CliIo): Promise<number> {
  const { flags } = parseArgs(argv, NODE_FLAGS, 'bench');
  if (flags.help) {
    io.out(helpText('Usage: lstm-playground bench --node [options]', 'Times training steps of our engine in Node (Dawn).', NODE_FLAGS));
    return 0;
  }
  const names = String(flags.configs ?? 'S,M').split(',');
  for (const n of names) if (!CONFIGS[n]) throw new UsageError(`bench: unknown config "${n}" (choose from ${Object.keys(CONFIGS).join(', ')})`);
  const steps = Number(flags.steps ?? 20), warmup = Number(flags.warmup ?? 5);
  if (steps < 1 || warmup < 0) throw new UsageError('bench: --steps must be at least 1 and --warmup at least 0');
  const cell = String(flags.cell ?? 'lstm') as CellKind;
  if (!['lstm', 'gru', 'rnn'].includes(cell)) throw new UsageError(`bench: --cell must be lstm, gru or rnn, got "${cell}"`);
  const torch = flags.torch === undefined ? null : (String(flags.torch) as TorchDevice);
  if (torch !== null && torch !== 'cpu' && torch !== 'cuda') throw new UsageError(`bench: --torch must be cpu or cuda, got "${torch}"`);
  if (torch !== null && cell !== 'lstm') throw new UsageError(`bench: --torch times PyTorch's nn.LSTM only; drop --cell ${cell} or --torch`);
  const { device, adapterInfo } = await requestNodeDevice();
  const rows: BenchRow[] = [];
  try {
    for (const n of names) {
      const c = CONFIGS[n];
      const row = await benchOurs(device, adapterInfo, c, makeBatch(c), warmup, steps, cell);
      rows.push(row);
      if (!flags.json) io.out(`${n}${cell === 'lstm' ? '' : ` ${cell}`}  ${row.msPerStep.toFixed(2)} ms/step  ${row.samplesPerSec.toFixed(1)} samples/s  ${row.gflops.toFixed(3)} GFLOP/s  (${adapterInfo})`);
      if (flags.profile && !flags.json) {
        const options = flags['no-subgroups'] ? WITHOUT_SUBGROUPS : {};
        const { kernels, dispatches, emptyMs } = await profileStep(device, c, makeBatch(c), Math.max(3, Math.min(steps, 9)), cell, 'auto', options);
        const total = kernels.reduce((s, k) => s + k.ms, 0);
        io.out(`  each dispatch of one step alone (median, an empty submit's ${emptyMs.toFixed(2)} ms taken off): ${total.toFixed(1)} ms in all`);
        const pct = (ms: number) => `${ms.toFixed(2).padStart(9)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %`;
        for (const k of kernels) io.out(`  ${k.kernel.padEnd(28)} ${String(k.dispatches).padStart(3)}×  ${pct(k.ms)}`);
        io.out('  in step order:');
        for (const d of dispatches) io.out(`    ${d.label.padEnd(34)} ${pct(d.ms)}`);
      }
      if (flags.subgroups && !flags.json) {
        io.out('  kernels (steps alternating):');
        for (const k of await timeKernelSets(device, c, makeBatch(c), Math.max(3, Math.min(steps, 9)), cell)) {
          io.out(`    ${k.kernels.padEnd(17)} ${k.msPerStep.toFixed(2)} ms/step  (${k.runs})`);
        }
      }
      if (flags.designs && !flags.json) {
        const { auto, designs } = await timeRecurrenceDesigns(device, c, makeBatch(c), Math.max(3, Math.min(steps, 9)), cell);
        io.out(`  recurrence: the engine picks ${auto.design} here (${auto.reason})`);
        for (const d of designs) io.out(`    ${d.design.padEnd(9)} ${d.msPerStep.toFixed(2)} ms/step, the recurrence dispatches alone ${d.recurrenceMs.toFixed(2)} ms`);
      }
    }
  } finally {
    device.destroy();
  }
  if (torch !== null) await timeTorch(torch, names, steps, warmup, rows, flags.json === true, io);
  if (flags.json) io.out(JSON.stringify(rows));
  return 0;
}

/** PyTorch on the same configs, batches and step counts, after our engine has released its device: its rows join
 *  `rows`, each with ours ÷ it; what cannot run (no torch, no CUDA) is a line on stderr, not a failure. */
async function timeTorch(device: TorchDevice, configs: string[], steps: number, warmup: number, rows: BenchRow[], json: boolean, io: CliIo): Promise<void> {
  const result = await benchTorch(torchScriptPath(), { configs, steps, warmup }, (l) => io.err(`${l}\n`), device);
  rows.push(...result.rows);
  for (const m of result.misses) io.err(`bench: ${m.config} ${m.engine} skipped: ${m.reason}\n`);
  if (json) return;
  for (const r of result.rows) {
    const x = ratio(r, rows, 'ours');
    io.out(`${r.config}  ${r.engine}  ${r.msPerStep.toFixed(2)} ms/step  ${r.samplesPerSec.toFixed(1)} samples/s  ${r.gflops.toFixed(3)} GFLOP/s  ours ÷ it ${x || '-'}  (${r.adapter})`);
  }
  for (const n of result.notes) io.out(`note: ${n}`);
}

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'time our engine against TensorFlow.js in headless Chromium (or alone in Node with --node)',
  async run(argv, io) {
    if (argv.includes('--node')) return nodeBench(argv, io);
    return benchMain(argv, io);
  },
};
