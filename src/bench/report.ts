// Formats bench results as a plain-text table: per config each engine's ms/step, samples/s, GFLOP/s and ours ÷ that engine.
import type { BenchResult, BenchRow } from './bench_spec';

function pad(cells: string[][]): string[] {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i < 2 || i === r.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
}

function num(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** "ours ÷ peer" throughput ratio (LSTM rows; matmul rows have no peer). */
function ratio(row: BenchRow, rows: BenchRow[]): string {
  if (row.engine.startsWith('matmul-')) return '';
  const base = 'ours';
  const ref = rows.find((r) => r.config === row.config && r.engine === base);
  if (!ref || row.engine === base) return '';
  const x = ref.samplesPerSec / row.samplesPerSec;
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
  const cells: string[][] = [['config', 'engine', 'ms/step', 'samples/s', 'GFLOP/s', 'ours ×', 'adapter']];
  const configs = [...new Set([...result.rows.map((r) => r.config), ...result.misses.map((m) => m.config)])];
  for (const config of configs) {
    for (const r of result.rows.filter((x) => x.config === config)) {
      cells.push([r.config, r.engine, num(r.msPerStep, 2), num(r.samplesPerSec, 1), num(r.gflops, 3), ratio(r, result.rows), r.adapter]);
    }
    for (const m of result.misses.filter((x) => x.config === config)) {
      cells.push([m.config, m.engine, '-', '-', '-', '', `${m.failed ? 'FAILED' : 'skipped'}: ${m.reason}`]);
    }
  }
  lines.push(...pad(cells));
  lines.push('', '"ours ×": our samples/s ÷ that engine\'s; matmul rows: ms per product, products/s.');
  for (const n of result.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
