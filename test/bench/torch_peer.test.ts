// The PyTorch rows (torch-cpu; torch-cudnn-fp32/-tf32 on CUDA): the script's JSON becomes rows that pass the training
// check, or misses (never failures) with the reason.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/bench/options';
import { benchTorch, findTorchPython, parseTorchOutput, pythonCandidates, torchScriptPath } from '../../src/bench/torch_peer';

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

  it('on CUDA keeps the script\'s two cuDNN rows by name; what is missing is a miss of torch-cudnn-fp32', () => {
    const cudaRow = (engine: string) => ({ ...row('S', 0.4, 0.39), engine, adapter: 'NVIDIA H100 (torch 2.4.0)' });
    const out = parseTorchOutput(JSON.stringify({ rows: [cudaRow('torch-cudnn-fp32'), cudaRow('torch-cudnn-tf32')], misses: [], torch: '2.4.0' }), ['S', 'M'], 'cuda');
    expect(out.rows.map((r) => r.engine)).toEqual(['torch-cudnn-fp32', 'torch-cudnn-tf32']);
    expect(out.misses).toEqual([{ config: 'M', engine: 'torch-cudnn-fp32', reason: 'the torch script returned nothing for this config', failed: false }]);
    expect(out.notes[0]).toMatch(/PyTorch 2\.4\.0 with cuDNN/);
    const none = parseTorchOutput(JSON.stringify({ unavailable: 'torch.cuda.is_available() is False' }), ['S'], 'cuda');
    expect(none.misses).toEqual([{ config: 'S', engine: 'torch-cudnn-fp32', reason: 'torch.cuda.is_available() is False', failed: false }]);
  });

  it('finds the script above its module', () => {
    expect(torchScriptPath()).toBe(SCRIPT);
  });

  it.skipIf(!hasTorch())('asked for CUDA on a machine without it, says so as a miss (the script exits 3)', async () => {
    const out = await benchTorch(SCRIPT, { configs: ['S'], steps: 1, warmup: 0 }, () => undefined, 'cuda');
    expect(out.rows).toEqual([]);
    expect(out.misses).toEqual([{ config: 'S', engine: 'torch-cudnn-fp32', reason: 'torch.cuda.is_available() is False', failed: false }]);
  });

  it.skipIf(!hasTorch())('times config S with PyTorch on the bench batch, and its loss falls', async () => {
    const lines: string[] = [];
    const out = await benchTorch(SCRIPT, resolveOptions({ configs: ['S'], steps: 1, warmup: 1 }, 'test'), (l) => lines.push(l));
    expect(out.misses, lines.join('\n')).toEqual([]);
    expect(out.rows).toHaveLength(1);
    const [r] = out.rows;
    expect(r).toMatchObject({ config: 'S', engine: 'torch-cpu' });
    expect(r.adapter).toMatch(/^CPU: .*torch .*fp32\)$/);
    expect(r.samplesPerSec).toBeCloseTo((64 * 1000) / r.msPerStep, 6);
    expect(r.lossAfter!).toBeLessThan(r.lossBefore!);
  });
});
