// The bench table: ours ÷ each engine and ours-cpu ÷ each engine on the same config, blank where there is nothing to divide by; the host-load note.
import { describe, expect, it } from 'vitest';
import { makeRow, type BenchResult, type BenchRow } from '../../src/bench/bench_spec';
import { formatReport, hostLoadNote, ratio } from '../../src/bench/report';

/** A row with the given samples/s (B = 64, so msPerStep = 64000 / samples/s). */
function r(config: string, engine: BenchRow['engine'], samplesPerSec: number): BenchRow {
  return { ...makeRow(config, engine, 'test adapter', (64 * 1000) / samplesPerSec, 64, 1e9), lossBefore: 0.3, lossAfter: 0.29 };
}

const rows: BenchRow[] = [
  r('S', 'ours', 200),
  r('S', 'ours-cpu', 50),
  r('S', 'tfjs-wasm', 100),
  r('S', 'torch-cpu', 1000),
  r('M', 'jax-js', 20),
  r('MM512', 'matmul-direct', 8),
];

describe('bench report ratios', () => {
  it('divides ours and ours-cpu by every peer on the same config', () => {
    const tfjs = rows[2], torch = rows[3];
    expect(ratio(tfjs, rows, 'ours')).toBe('2.00×');
    expect(ratio(tfjs, rows, 'ours-cpu')).toBe('0.50×');
    expect(ratio(torch, rows, 'ours')).toBe('0.20×');
    expect(ratio(rows[1], rows, 'ours')).toBe('4.00×'); // ours over ours-cpu
    expect(ratio(rows[0], rows, 'ours-cpu')).toBe('0.25×');
    expect(ratio(r('S', 'tfjs-webgpu', 10), rows, 'ours')).toBe('20.0×');
  });

  it('negative controls: no ratio on the base row itself, across configs, or for matmul rows', () => {
    expect(ratio(rows[0], rows, 'ours')).toBe('');
    expect(ratio(rows[1], rows, 'ours-cpu')).toBe('');
    expect(ratio(rows[4], rows, 'ours')).toBe(''); // M has no ours row: S's must not be used
    expect(ratio(rows[5], rows, 'ours')).toBe('');
  });

  it('prints both ratio columns, the loss change and each miss with its reason', () => {
    const result: BenchResult = {
      adapter: 'test adapter',
      browser: 'test browser',
      options: { configs: ['S', 'M'], steps: 3, warmup: 1, engines: ['ours', 'ours-cpu', 'tfjs-wasm', 'torch-cpu', 'jax-js'], matmulSizes: [512] },
      rows,
      misses: [{ config: 'M', engine: 'torch-cpu', reason: 'no python here imports torch', failed: false }],
      notes: [],
    };
    const text = formatReport(result);
    const header = text.split('\n').find((l) => l.startsWith('config'))!;
    expect(header).toMatch(/ours ×\s+ours-cpu ×\s+loss before → after\s+adapter/);
    const tfjsLine = text.split('\n').find((l) => /^S\s+tfjs-wasm/.test(l))!;
    expect(tfjsLine).toMatch(/2\.00×\s+0\.50×\s+0\.3000 → 0\.2900\s+test adapter/);
    expect(text).toMatch(/^M\s+torch-cpu\s+-\s+-\s+-\s+skipped: no python here imports torch$/m);
  });
});

describe('host load note', () => {
  it('gives the range, and says others competed only when the load went above the thread count', () => {
    expect(hostLoadNote([1.12, 0.5, 1.9], 2)).toBe('host 1-minute load average during the run: 0.50 to 1.90 on 2 CPU threads');
    expect(hostLoadNote([1.5, 2.4], 2)).toBe(
      'host 1-minute load average during the run: 1.50 to 2.40 on 2 CPU threads (above the thread count: other processes were competing with the bench)',
    );
  });
});
