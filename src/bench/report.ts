// Formats bench results as a plain-text table (per config each engine's ms/step, samples/s, GFLOP/s, loss before → after, ours ÷ it and ours-cpu ÷ it) and the host-load note.
import { RATIO_BASES, type BenchResult, type BenchRow } from './bench_spec';
import { lossChange } from './sanity';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const left = (i: number, n: number) => i < 2 || i === n - 1 || i === n - 2;
  return cells.map((r) => r.map((c, i) => (left(i, r.length) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
}

function num(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** `base` samples/s ÷ this row's on the same config, e.g. "2.05×"; '' for matmul rows, the base's own row, or no base row. */
export function ratio(row: BenchRow, rows: BenchRow[], base: string): string {
  if (row.engine.startsWith('matmul-') || row.engine === base) return '';
  const ref = rows.find((r) => r.config === row.config && r.engine === base);
  if (!ref) return '';
  const x = ref.samplesPerSec / row.samplesPerSec;
  if (!Number.isFinite(x)) return '';
  return `${x.toFixed(x >= 10 ? 1 : 2)}×`;
}

export function formatReport(result: BenchResult): string {
  const o = result.options;
  const lines = [
    `adapter: ${result.adapter}`,
    `browser: ${result.browser}`,
    `warm-up ${o.warmup} steps, ${o.steps} timed steps; GFLOP/s counts 3 × 2·4H·(in+H) per sample-step per layer (matmul: 2·n³)`,
    '',
  ];
  const cells: string[][] = [['config', 'engine', 'ms/step', 'samples/s', 'GFLOP/s', ...RATIO_BASES.map((b) => `${b} ×`), 'loss before → after', 'adapter']];
  const configs = [...new Set([...result.rows.map((r) => r.config), ...result.misses.map((m) => m.config)])];
  for (const config of configs) {
    for (const r of result.rows.filter((x) => x.config === config)) {
      const ratios = RATIO_BASES.map((b) => ratio(r, result.rows, b));
      cells.push([r.config, r.engine, num(r.msPerStep, 2), num(r.samplesPerSec, 1), num(r.gflops, 3), ...ratios, lossChange(r), r.adapter]);
    }
    for (const m of result.misses.filter((x) => x.config === config)) {
      cells.push([m.config, m.engine, '-', '-', '-', ...RATIO_BASES.map(() => ''), '', `${m.failed ? 'FAILED' : 'skipped'}: ${m.reason}`]);
    }
  }
  lines.push(...pad(cells));
  lines.push(
    '',
    `"ours ×", "ours-cpu ×": our WebGPU (CPU) engine's samples/s ÷ that engine's on the same config (above 1: ours is faster).`,
    'Every LSTM row passed the check that it trains: its MSE on the fixed bench batch fell over the warm-up and timed steps.',
    'torch-cpu runs outside the browser (PyTorch, same machine, after the browser closed); every other row ran in the page.',
    'matmul rows: ms per product, products/s.',
    ...(configs.some((name) => /^LM$/.test(name)) ? ['LM rows (a character language model, every-step softmax over 67 tokens): samples/s are windows of 100 characters, so characters/s = 100 × samples/s; loss is cross-entropy.'] : []),
  );
  for (const n of result.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** The bench's note on the host's 1-minute load average, sampled through the run. SwiftShader and the CPU engines share
 *  the cores with everything else, so a load above the thread count says other processes competed with the bench. */
export function hostLoadNote(loads: number[], threads: number): string {
  const lo = Math.min(...loads), hi = Math.max(...loads);
  const range = `host 1-minute load average during the run: ${lo.toFixed(2)} to ${hi.toFixed(2)} on ${threads} CPU threads`;
  return hi > threads ? `${range} (above the thread count: other processes were competing with the bench)` : range;
}
