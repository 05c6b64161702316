// Tests `lstm-playground bench --node`: our engine timed alone through Dawn, per cell, with the per-kernel profile and the
// loss check's fields, and PyTorch beside it on the same batches (--torch cpu here; cuda on a GPU machine).
import { describe, expect, it } from 'vitest';
import { findTorchPython } from '../../src/bench/torch_peer';
import { UsageError } from '../../src/cli/args';
import { benchCommand } from '../../src/cli/commands/bench';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await benchCommand.run(argv, { out: (t) => out.push(t), err: (t) => (out.push(t), err.push(t)), isTty: false });
  return { code, out: out.join('\n'), err: err.join('') };
}

const hasTorch = 'python' in (await findTorchPython());

describe('bench --node', () => {
  it('times a GRU on config S and profiles every kernel of its step', async () => {
    const r = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '0', '--cell', 'gru', '--profile']);
    expect(r.code).toBe(0);
    const head = /^S gru +([\d.]+) ms\/step +([\d.]+) samples\/s +([\d.]+) GFLOP\/s/m.exec(r.out);
    expect(head, r.out).not.toBeNull();
    // GRU FLOPs: 3 × 2·3H·(I+H)·B·T with S = (T 32, I 1, H 64, B 64) → 0.242 GFLOP per step
    const [ms, gflops] = [Number(head![1]), Number(head![3])];
    expect(gflops * ms).toBeCloseTo(((3 * 2 * 3 * 64 * 65 * 64 * 32) / 1e9) * 1000, 0);
    for (const kernel of ['gruForward', 'gruBackward', 'adam', 'gradNormPartial']) expect(r.out).toMatch(new RegExp(`^  ${kernel} +1× +[\\d.]+ ms +[\\d.]+ %$`, 'm'));
    expect(r.out).toMatch(/^ {2}matmul \((direct|tiled|subgroup)\) +\d+× /m);
    expect(r.out).toMatch(/^ {4}gru_forward l0 +[\d.]+ ms/m);
  }, 120_000);

  it('--json rows carry the loss on the batch before and after the steps, and it fell (the bench\'s sanity check)', async () => {
    const r = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '1', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as { config: string; engine: string; lossBefore: number; lossAfter: number }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ config: 'S', engine: 'ours' });
    expect(rows[0].lossBefore).toBeGreaterThan(0);
    expect(rows[0].lossAfter).toBeLessThan(rows[0].lossBefore);
  }, 120_000);

  it('--subgroups times the engine with and without its subgroup kernels; --no-subgroups profiles the plain ones', async () => {
    const r = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '0', '--subgroups', '--profile', '--no-subgroups']);
    expect(r.code).toBe(0);
    const own = /^ {4}the device's own +[\d.]+ ms\/step +\((subgroup|plain) recurrence, (subgroup|direct|tiled) matmul\)$/m.exec(r.out);
    expect(own, r.out).not.toBeNull();
    expect(r.out).toMatch(/^ {4}without subgroups +[\d.]+ ms\/step +\(plain recurrence, direct matmul\)$/m);
    // the profile of the engine without them: the plain LSTM kernels and matmul_direct
    expect(r.out).toMatch(/^ {2}lstmForward +1× /m);
    expect(r.out).toMatch(/^ {2}matmul \(direct\) +\d+× /m);
    expect(r.out).not.toMatch(/Subgroup/);
  }, 120_000);

  it.skipIf(!hasTorch)('--torch cpu times PyTorch on the same config and prints ours ÷ it from the two rows', async () => {
    const r = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '1', '--torch', 'cpu', '--json']);
    expect(r.code, r.out).toBe(0);
    const rows = JSON.parse(r.out.trim().split('\n').pop()!) as { config: string; engine: string; samplesPerSec: number; lossBefore: number; lossAfter: number }[];
    expect(rows.map((x) => [x.config, x.engine])).toEqual([['S', 'ours'], ['S', 'torch-cpu']]);
    expect(rows[1].lossAfter).toBeLessThan(rows[1].lossBefore);
    const text = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '0', '--torch', 'cpu']);
    const ours = Number(/^S +[\d.]+ ms\/step +([\d.]+) samples\/s/m.exec(text.out)![1]);
    const line = /^S  torch-cpu  [\d.]+ ms\/step  ([\d.]+) samples\/s  [\d.]+ GFLOP\/s  ours ÷ it ([\d.]+)×  \(CPU: .*\)$/m.exec(text.out);
    expect(line, text.out).not.toBeNull();
    expect(Number(line![2])).toBeCloseTo(ours / Number(line![1]), 1);
    expect(text.out).toMatch(/^note: torch-cpu: PyTorch /m);
  }, 240_000);

  it.skipIf(!hasTorch)('--torch cuda on a machine without CUDA says why on stderr and still exits 0 with our row', async () => {
    const r = await run(['--node', '--configs', 'S', '--steps', '1', '--warmup', '0', '--torch', 'cuda']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^S +[\d.]+ ms\/step/m);
    expect(r.err).toContain('bench: S torch-cudnn-fp32 skipped: torch.cuda.is_available() is False');
  }, 240_000);

  it('refuses an unknown cell, an unknown --torch device, and --torch with a cell PyTorch\'s script does not train', async () => {
    await expect(run(['--node', '--cell', 'transformer'])).rejects.toThrow(UsageError);
    await expect(run(['--node', '--torch', 'tpu'])).rejects.toThrow(/--torch must be cpu or cuda, got "tpu"/);
    await expect(run(['--node', '--torch', 'cpu', '--cell', 'gru'])).rejects.toThrow(/nn\.LSTM only; drop --cell gru or --torch/);
  });
});
