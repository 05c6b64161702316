// Tests `lstm-playground tune` end to end on the GPU engine (Dawn; SwiftShader here: --engine webgpu) with tiny data:
// determinism, budgets, trials.csv, the best trial's model files (predict loads them), and the messages for bad
// searches; the memory check on the CPU engine too.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import type { CliCommand } from '../../src/cli/command';
import { predictCommand } from '../../src/cli/commands/predict';
import type { ProgressIo } from '../../src/cli/commands/train';
import { tuneCommand } from '../../src/cli/commands/tune';
import { RUN_FILES } from '../../src/model_io/model_dir';

async function run(command: CliCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const t0 = performance.now();
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), seconds: (performance.now() - t0) / 1000 };
}

async function usageError(argv: string[]): Promise<string> {
  try {
    await tuneCommand.run(argv, { out: () => {}, err: () => {}, isTty: false });
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`tune ${argv.join(' ')} did not refuse`);
}

function readCsv(path: string): { header: string[]; rows: Record<string, string>[] } {
  const [head, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const header = head.split(',');
  return { header, rows: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v]))) };
}

const dir = mkdtempSync(join(tmpdir(), 'lstm-tune-'));
const sineCsv = join(dir, 'sine.csv');
const wideCsv = join(dir, 'wide.csv');
const GPU = ['--engine', 'webgpu'];
const SEARCH = [...GPU, '--vary', 'hidden=4..12', '--vary', 'lr=3e-3..3e-2', '--trials', '4', '--epochs', '4', '--window', '8', '--batch', '32', '--seed', '1'];
const STATUSES = ['completed', 'pruned', 'stopped', 'early-stopped', 'diverged', 'failed'];
let first: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  const rows = Array.from({ length: 200 }, (_, i) => `${i},${(Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1)).toFixed(5)}`);
  writeFileSync(sineCsv, `t,value\n${rows.join('\n')}\n`);
  const wide = Array.from({ length: 40 }, (_, r) => `${r % 2 ? 'up' : 'down'},${Array.from({ length: 6 }, (_, t) => ((r % 2 ? t : 6 - t) / 6).toFixed(3)).join(',')}`);
  writeFileSync(wideCsv, `label,${Array.from({ length: 6 }, (_, t) => `s${t}`).join(',')}\n${wide.join('\n')}\n`);
  first = await run(tuneCommand, [sineCsv, '--out', join(dir, 'a'), '--json', ...SEARCH]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lstm-playground tune', () => {
  it('writes a well-formed trials.csv, one JSON line per finished trial, and the best trial\'s model files', async () => {
    expect(first.code, first.err).toBe(0);
    const { header, rows } = readCsv(join(dir, 'a', 'trials.csv'));
    expect(header).toEqual(['trial', 'hidden', 'lr', 'best_val_loss', 'epochs', 'seconds', 'status']);
    expect(rows.map((r) => r.trial)).toEqual(['1', '2', '3', '4']);
    for (const r of rows) {
      expect(STATUSES).toContain(r.status);
      expect(Number(r.hidden) >= 4 && Number(r.hidden) <= 12 && Number.isInteger(Number(r.hidden))).toBe(true);
      expect(Number(r.lr) >= 3e-3 && Number(r.lr) <= 3e-2).toBe(true);
      expect(Number(r.best_val_loss)).toBeGreaterThan(0);
      expect(Number(r.epochs) >= 1 && Number(r.epochs) <= 4).toBe(true);
      expect(Number(r.seconds)).toBeGreaterThan(0);
    }
    // Halving with 4 trials and 4 epochs: rungs at 1, 2 and 4 epochs; one trial reaches 4, three are pruned.
    expect(rows.map((r) => Number(r.epochs)).sort()).toEqual([1, 1, 2, 4]);
    expect(rows.filter((r) => r.status === 'completed')).toHaveLength(1);
    const lines = first.out.split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.trial).sort()).toEqual([1, 2, 3, 4]);
    for (const l of lines) {
      const row = rows[l.trial - 1];
      expect([l.settings.hidden, l.settings.lr, l.bestValLoss, l.epochs, l.status]).toEqual([Number(row.hidden), Number(row.lr), Number(row.best_val_loss), Number(row.epochs), row.status]);
    }
    // The best trial's files, under train's names, with its settings; predict loads them.
    const best = rows.reduce((a, b) => (Number(b.best_val_loss) < Number(a.best_val_loss) ? b : a));
    for (const name of RUN_FILES) expect(existsSync(join(dir, 'a', name)), name).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, 'a', 'model.json'), 'utf8'));
    expect([manifest.config.hiddenSize, manifest.config.learningRate, manifest.config.window]).toEqual([Number(best.hidden), Number(best.lr), 8]);
    const metrics = JSON.parse(readFileSync(join(dir, 'a', 'metrics.json'), 'utf8'));
    expect(metrics.result.reason).toBe('completed');
    expect(metrics.validation.count).toBe(metrics.counts.validation);
    expect(Math.min(...metrics.epochs.map((e: { valLoss: number }) => e.valLoss))).toBeCloseTo(Number(best.best_val_loss), 6);
    const predicted = await run(predictCommand, [join(dir, 'a'), sineCsv]);
    expect(predicted.code, predicted.err).toBe(0);
    const lines2 = predicted.out.trim().split('\n');
    expect(lines2[0]).toBe('last_row,last_t,value t+1');
    expect(lines2.length - 1).toBe(200 - 8 + 1);
    expect(lines2.slice(1).every((l) => Number.isFinite(Number(l.split(',').at(-1))))).toBe(true);
  });

  it('gives the same trials and, on the same adapter, the same losses for the same seed', async () => {
    const again = await run(tuneCommand, [sineCsv, '--out', join(dir, 'b'), ...SEARCH]);
    expect(again.code, again.err).toBe(0);
    const strip = (p: string) => readCsv(p).rows.map(({ seconds: _, ...rest }) => rest);
    expect(strip(join(dir, 'b', 'trials.csv'))).toEqual(strip(join(dir, 'a', 'trials.csv')));
    const other = await run(tuneCommand, [sineCsv, '--out', join(dir, 'c'), ...SEARCH.slice(0, -1), '2']);
    const settings = (p: string) => readCsv(p).rows.map((r) => `${r.hidden}/${r.lr}`);
    expect(settings(join(dir, 'c', 'trials.csv'))).not.toEqual(settings(join(dir, 'a', 'trials.csv')));
  });

  it('keeps to --trials and to --minutes', async () => {
    const grid = await run(tuneCommand, [sineCsv, '--out', join(dir, 'g'), ...GPU, '--strategy', 'grid', '--vary', 'hidden=4,6', '--vary', 'cell=gru,rnn', '--trials', '3', '--epochs', '1', '--window', '8']);
    expect(grid.code, grid.err).toBe(0);
    expect(readCsv(join(dir, 'g', 'trials.csv')).rows.map((r) => `${r.hidden}/${r.cell}/${r.status}`)).toEqual(['4/gru/completed', '4/rnn/completed', '6/gru/completed']);
    // 50 random trials of 3 epochs do not fit in 4 seconds: the search stops in time, with what it has.
    const minutes = 4 / 60;
    const timed = await run(tuneCommand, [sineCsv, '--out', join(dir, 'm'), ...GPU, '--strategy', 'random', '--vary', 'hidden=4..8', '--trials', '50', '--epochs', '3', '--window', '8', '--minutes', String(minutes)]);
    expect(timed.code, timed.err).toBe(0);
    expect(timed.err).toMatch(/the --minutes budget ended it/);
    const rows = readCsv(join(dir, 'm', 'trials.csv')).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(50);
    expect(rows.slice(0, -1).every((r) => r.status === 'completed')).toBe(true);
    // Every trial but the last ended before the last one started, which was before the deadline: exact, whatever the load.
    const beforeLast = rows.slice(0, -1).reduce((s, r) => s + Number(r.seconds), 0);
    expect(beforeLast).toBeLessThan(4);
    // The last trial stops at its next snapshot after the deadline; its start-up (pipelines) may fall after it on a
    // loaded machine, so the bounds here are loose: without the budget, 50 trials of 3 epochs take far longer.
    const last = Number(rows.at(-1)!.seconds);
    expect(beforeLast + last).toBeLessThan(4 + 10);
    expect(timed.seconds).toBeLessThan(4 + 30); // plus device start-up and writing the best model
  });

  it('says when the budget is too small for even one trial', async () => {
    expect(await usageError([sineCsv, '--out', join(dir, 'x'), '--vary', 'hidden=4,8', '--trials', '0'])).toMatch(/--trials 0 is too small a budget: at least 1 trial/);
    expect(await usageError([sineCsv, '--out', join(dir, 'x'), '--vary', 'hidden=4,8', '--minutes', '0'])).toMatch(/--minutes 0 is too small a budget/);
    const r = await run(tuneCommand, [sineCsv, '--out', join(dir, 'tiny'), ...GPU, '--vary', 'hidden=4,8', '--window', '8', '--minutes', '0.0001']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no trial to keep: the --minutes budget \(0\.0001\) ran out before any trial finished an epoch: raise --minutes/);
    expect(existsSync(join(dir, 'tiny', 'model.safetensors'))).toBe(false);
  });

  it('varies the forecast transform, ranking every trial on the target\'s normalized original units', async () => {
    const out = join(dir, 't');
    const r = await run(tuneCommand, [sineCsv, '--out', out, ...GPU, '--strategy', 'grid', '--vary', 'transform=none,difference', '--epochs', '2', '--window', '8', '--batch', '32', '--seed', '1', '--json']);
    expect(r.code, r.err).toBe(0);
    const { header, rows } = readCsv(join(out, 'trials.csv'));
    expect(header).toEqual(['trial', 'transform', 'best_val_loss', 'epochs', 'seconds', 'status']);
    expect(rows.map((row) => `${row.transform}/${row.status}`)).toEqual(['none/completed', 'difference/completed']);
    // Transform none keeps the loss a run without a transform has: the minimum of its epochs' normalized MSE.
    const none = await run(tuneCommand, [sineCsv, '--out', join(dir, 'tn'), ...GPU, '--strategy', 'grid', '--vary', 'cell=lstm', '--transform', 'none', '--epochs', '2', '--window', '8', '--batch', '32', '--seed', '1']);
    expect(none.code, none.err).toBe(0);
    expect(Number(rows[0].best_val_loss)).toBeCloseTo(Number(readCsv(join(dir, 'tn', 'trials.csv')).rows[0].best_val_loss), 4);
    // The best trial's files are its own transform's; predict loads them.
    const best = rows.reduce((a, b) => (Number(b.best_val_loss) < Number(a.best_val_loss) ? b : a));
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.transform?.name ?? 'none').toBe(best.transform);
    const predicted = await run(predictCommand, [out, sineCsv]);
    expect(predicted.code, predicted.err).toBe(0);
    expect(predicted.out.trim().split('\n').length - 1).toBe(200 - 8 + 1);
    // Refused before training, naming the setting and why: log on values ≤ 0, and transform outside a forecast.
    expect(await usageError([sineCsv, '--out', join(dir, 'x'), '--window', '8', '--vary', 'transform=none,log'])).toMatch(/^tune: transform=log cannot be searched on .*sine\.csv: The log transform needs values above 0, but column "value" holds /);
    expect(await usageError([wideCsv, '--out', join(dir, 'x'), '--task', 'classify-sequences', '--label', 'label', '--format', 'wide', '--vary', 'transform=none,difference'])).toMatch(/transform cannot vary for a classify-sequences task: it is the forecast target transform/);
    expect(await usageError([sineCsv, '--out', join(dir, 'x'), '--vary', 'transform=none,cube'])).toMatch(/transform "cube" is not one of none, difference, seasonal-difference, log, window-normalize/);
  });

  it('refuses bad searches with a message naming the setting', async () => {
    const base = [sineCsv, '--out', join(dir, 'x'), '--window', '8'];
    expect(await usageError([...base, '--vary', 'hidden=16..16'])).toMatch(/^tune: hidden=16\.\.16 is empty/);
    expect(await usageError([...base, '--vary', 'lr=1e-2..1e-3'])).toMatch(/^tune: lr=0\.01\.\.0\.001 is inverted/);
    expect(await usageError([...base, '--vary', 'cell=lstm,xlstm'])).toMatch(/cell "xlstm" is not one of lstm, gru, rnn/);
    expect(await usageError([...base, '--vary', 'hidden=8,16', '--hidden', '8'])).toMatch(/--hidden and --vary hidden=… are both given/);
    expect(await usageError(base)).toMatch(/name at least one setting to search with --vary/);
    expect(await usageError([...base, '--vary', 'hidden=8', '--strategy', 'bayes'])).toMatch(/--strategy must be one of halving, random, grid/);
    expect(await usageError([wideCsv, '--out', join(dir, 'x'), '--task', 'classify-sequences', '--label', 'label', '--format', 'wide', '--vary', 'window=4,6'])).toMatch(/window cannot vary for wide sequences/);
    // The engine's memory estimate, before anything is allocated: an 8 GiB input projection is over any GPU's buffer limit.
    const huge = ['--vary', 'hidden=1024,2048', '--batch', '4096', '--window', '100', '--strategy', 'grid'];
    const large = await usageError([sineCsv, '--out', join(dir, 'x'), ...GPU, ...huge]);
    expect(large).toMatch(/^tune: trial 1 \(hidden=1024\) is too large for this GPU: its input projection buffer would need 6400\.0 MiB .* Narrow the ranges of hidden, window or batch/);
    // On the CPU engine: against what one WebAssembly memory holds, all buffers together (trial 1 alone needs ~19 GiB).
    const cpu = await usageError([sineCsv, '--out', join(dir, 'x'), '--engine', 'cpu', ...huge]);
    expect(cpu).toMatch(/^tune: trial 1 \(hidden=1024\) is too large for the CPU engine: it would need about \d+\.\d MiB, over the 4096\.0 MiB one WebAssembly memory holds\. Narrow the ranges/);
    expect(await usageError([...base, '--vary', 'hidden=8', '--engine', 'fast'])).toMatch(/^tune: --engine must be auto, webgpu, cpu \(got "fast"\)/);
  });
});
