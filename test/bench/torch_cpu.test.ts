// torch-cpu, the out-of-browser row: its JSON becomes rows that pass the training check, or misses (never failures) with the reason.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/bench/options';
import { benchTorchCpu, findTorchPython, parseTorchOutput, pythonCandidates } from '../../src/bench/torch_cpu';

const SCRIPT = resolve(__dirname, '../../bench/torch_lstm_bench.py');
const row = (config: string, lossBefore: number, lossAfter: number) => ({
  config,
  engine: 'torch-cpu',
  adapter: 'CPU: test',
  msPerStep: 50,
  samplesPerSec: 1280,
  gflops: 4,
  lossBefore,
  lossAfter,
});

function hasTorch(): boolean {
  for (const py of pythonCandidates()) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 });
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

describe('torch-cpu', () => {
  it('keeps rows that trained and turns the rest into misses, with a note', () => {
    const out = parseTorchOutput(`${JSON.stringify({ rows: [row('S', 0.4, 0.39), row('M', 0.3, 0.3)], misses: [], torch: '2.1.0' })}\n`, ['S', 'M']);
    expect(out.rows.map((r) => r.config)).toEqual(['S']);
    expect(out.misses).toEqual([{ config: 'M', engine: 'torch-cpu', reason: expect.stringMatching(/did not train/), failed: false }]);
    expect(out.notes[0]).toMatch(/PyTorch 2\.1\.0/);
  });

  it('negative controls: no torch, no JSON, a config left out, a python that does not exist — misses, not failures', async () => {
    const none = parseTorchOutput(JSON.stringify({ unavailable: 'python3 cannot import torch: ModuleNotFoundError' }), ['S', 'M']);
    expect(none.rows).toEqual([]);
    expect(none.misses.map((m) => [m.config, m.failed, m.reason])).toEqual([
      ['S', false, 'python3 cannot import torch: ModuleNotFoundError'],
      ['M', false, 'python3 cannot import torch: ModuleNotFoundError'],
    ]);
    expect(parseTorchOutput('Traceback (most recent call last)', ['S']).misses[0].reason).toMatch(/printed no JSON/);
    expect(parseTorchOutput(JSON.stringify({ rows: [row('S', 0.4, 0.3)], misses: [] }), ['S', 'M']).misses).toEqual([
      { config: 'M', engine: 'torch-cpu', reason: 'the torch script returned nothing for this config', failed: false },
    ]);
    const found = await findTorchPython(['/nonexistent/python3']);
    expect('reason' in found && found.reason).toMatch(/no python here imports torch \(\/nonexistent\/python3: .*ENOENT.*\); Debian: apt-get install python3-torch/);
    expect(pythonCandidates({ PYTHON: '/opt/py' })).toEqual(['/opt/py', 'python3', '/usr/bin/python3']);
  });

  it.skipIf(!hasTorch())('times config S with PyTorch on the bench batch, and its loss falls', async () => {
    const lines: string[] = [];
    const out = await benchTorchCpu(SCRIPT, resolveOptions({ configs: ['S'], steps: 1, warmup: 1 }, 'test'), (l) => lines.push(l));
    expect(out.misses, lines.join('\n')).toEqual([]);
    expect(out.rows).toHaveLength(1);
    const [r] = out.rows;
    expect(r).toMatchObject({ config: 'S', engine: 'torch-cpu' });
    expect(r.adapter).toMatch(/^CPU: .*torch .*fp32\)$/);
    expect(r.samplesPerSec).toBeCloseTo((64 * 1000) / r.msPerStep, 6);
    expect(r.lossAfter!).toBeLessThan(r.lossBefore!);
  });
});
