// Tests `lstm-playground train` and `predict` end to end on the GPU engine (Dawn; SwiftShader here: --engine webgpu),
// with tiny data; and --engine auto / cpu against it.
import { decodeForecast } from '../../src/data/target_transform';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import type { CliCommand } from '../../src/cli/command';
import { predictCommand } from '../../src/cli/commands/predict';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { parseCsvPath } from '../../src/data/csv_node';
import { buildTrainingSet } from '../../src/data/training_set';
import { loadModelFiles } from '../../src/export/model_files';
import { choicesFromManifest } from '../../src/model_io/data_description';
import { predictWithWeights } from '../../src/model_io/engine_predict';
import { RUN_FILES } from '../../src/model_io/model_dir';
import { requestNodeDevice } from '../../src/gpu/node_device';
import { isSoftwareAdapter } from '../../src/training/engine_choice';

async function run(command: CliCommand, argv: string[], tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: tty, progress: (t) => progress.push(t) };
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), progress };
}

const dir = mkdtempSync(join(tmpdir(), 'lstm-cli-'));
const sineCsv = join(dir, 'sine.csv');
const wideCsv = join(dir, 'wide.csv');
const runDir = join(dir, 'run');
const TINY = ['--epochs', '2', '--hidden', '8', '--window', '8', '--batch', '32', '--seed', '3', '--engine', 'webgpu'];
let trained: Awaited<ReturnType<typeof run>>;

beforeAll(async () => {
  const rows = Array.from({ length: 200 }, (_, i) => `${i},${(Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1)).toFixed(5)}`);
  writeFileSync(sineCsv, `t,value\n${rows.join('\n')}\n`);
  // Wide sequences: 8 steps that rise ("up") or fall ("down"), with a little noise.
  const wide = Array.from({ length: 40 }, (_, r) => {
    const up = r % 2 === 0;
    const steps = Array.from({ length: 8 }, (_, t) => ((up ? t : 8 - t) / 8 + 0.05 * Math.sin(r * 7 + t)).toFixed(4));
    return `${up ? 'up' : 'down'},${steps.join(',')}`;
  });
  writeFileSync(wideCsv, `label,${Array.from({ length: 8 }, (_, t) => `s${t}`).join(',')}\n${wide.join('\n')}\n`);
  trained = await run(trainCommand, [sineCsv, '--out', runDir, '--json', ...TINY]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lstm-playground train', () => {
  it('writes all six files and metrics.json with per-epoch losses, validation metrics and baselines', () => {
    expect([trained.code, trained.err.includes('Validation: MSE')]).toEqual([0, true]);
    for (const name of RUN_FILES) expect(existsSync(join(runDir, name)), name).toBe(true);
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ task: 'forecast', dataset: 'sine.csv', result: { reason: 'completed', message: null }, units: 'original', outputs: ['value t+1'] });
    expect(metrics.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
    for (const e of metrics.epochs) expect([e.trainLoss, e.valLoss, e.learningRate].every(Number.isFinite)).toBe(true);
    const v = metrics.validation;
    expect(v.count).toBe(metrics.counts.validation);
    expect(v.rmse).toBeCloseTo(Math.sqrt(v.mse), 12);
    expect(v.mae).toBeGreaterThan(0);
    expect(metrics.baselines.map((b: { name: string }) => b.name)).toContain('persistence');
    expect(metrics.baselines[0].validation).toMatchObject({ count: v.count, mse: expect.any(Number), rmse: expect.any(Number), mae: expect.any(Number) });
    const manifest = JSON.parse(readFileSync(join(runDir, 'model.json'), 'utf8'));
    expect(manifest).toMatchObject({ task: 'forecast', inputColumns: ['value'], targetColumns: ['value'], window: 8, timeColumn: 't', config: { hiddenSize: 8, epochs: 2, seed: 3 } });
    expect(manifest.metrics.val_mse).toBe(v.mse);
  });

  it('prints one parseable JSON line per epoch with --json', () => {
    const lines = trained.out.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    lines.forEach((l, i) => {
      expect(Object.keys(l)).toEqual(['epoch', 'trainLoss', 'valLoss', 'learningRate', 'elapsedMs']);
      expect(l.epoch).toBe(i + 1);
      expect(l.learningRate).toBe(0.01);
    });
  });

  it('exits 3 on a non-finite loss and still writes finite weights and the reason', async () => {
    const out = join(dir, 'diverged');
    // SGD with a learning rate of 1e30 overflows float32 on the first update (checked for seeds 1, 2, 3 and 42).
    const r = await run(trainCommand, [sineCsv, '--out', out, '--optimizer', 'sgd', '--lr', '1e30', '--epochs', '2', '--hidden', '8', '--window', '8', '--batch', '32']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('train: Training stopped: a non-finite loss or gradient in epoch 1');
    expect(r.err).toContain('lower the learning rate');
    const loaded = loadModelFiles(new Uint8Array(readFileSync(join(out, 'model.safetensors'))), readFileSync(join(out, 'model.json'), 'utf8'));
    expect(loaded.tensors.every((t) => t.data.every(Number.isFinite))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).result.reason).toBe('diverged');
  });

  it('reuses a previous run\'s data choices and settings with --config, and draws a progress bar on a terminal', async () => {
    const out = join(dir, 'again');
    const r = await run(trainCommand, [sineCsv, '--out', out, '--config', join(runDir, 'model.json'), '--epochs', '1', '--cell', 'rnn'], true);
    expect(r.code).toBe(0);
    const before = JSON.parse(readFileSync(join(runDir, 'model.json'), 'utf8'));
    const after = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(after.config).toEqual({ ...before.config, epochs: 1, cell: 'rnn' });
    for (const key of ['inputColumns', 'targetColumns', 'window', 'horizon', 'timeColumn', 'split', 'normalization']) expect(after[key], key).toEqual(before[key]);
    expect(r.progress.some((t) => /^\r\[[#.]{30}\] epoch 1\/1 step \d+\/\d+/.test(t))).toBe(true);
    expect(r.progress.at(-1)).toBe('\r\x1b[K');
    expect(r.err).toMatch(/^epoch 1\/1  train loss \S+  validation loss \S+  lr 0\.01000$/m);
    expect(r.out).toContain(`Wrote ${out}: model.safetensors`);
  });

  it('stops at the --minutes budget mid-run, exits 0 and writes the weights it has', async () => {
    const out = join(dir, 'budget');
    // 0.002 minutes (120 ms) is far less than 500 epochs take here, so the budget, not the epochs, ends the run.
    const r = await run(trainCommand, [sineCsv, '--out', out, '--minutes', '0.002', '--epochs', '500', '--hidden', '8', '--window', '8', '--batch', '32']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/train: stopped by the --minutes budget \(0\.002 min\) after \d+ s of training/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.result.reason).toBe('stopped');
    expect(metrics.epochs.length).toBeLessThan(500);
    expect(Number.isFinite(metrics.validation.rmse)).toBe(true);
    for (const name of RUN_FILES) expect(existsSync(join(out, name)), name).toBe(true);
    await expect(run(trainCommand, [sineCsv, '--out', out, '--minutes', '0'])).rejects.toThrow('train: --minutes must be more than 0 (got 0)');
  });

  it('--engine auto takes the CPU engine on a software adapter and says why; cpu trains the same model as webgpu', async () => {
    const ctx = await requestNodeDevice();
    const software = isSoftwareAdapter(ctx);
    ctx.device.destroy();
    const auto = await run(trainCommand, [sineCsv, '--out', join(dir, 'auto'), ...TINY.slice(0, -2)]);
    expect(auto.code, auto.err).toBe(0);
    if (software) expect(auto.err).toMatch(/using the CPU engine: The WebGPU adapter here \(.+\) is a software one.*--engine webgpu to use WebGPU anyway/);
    else expect(auto.err).not.toMatch(/using the CPU engine/);
    const cpu = await run(trainCommand, [sineCsv, '--out', join(dir, 'cpu'), ...TINY.slice(0, -1), 'cpu']);
    expect(cpu.code, cpu.err).toBe(0);
    expect(cpu.err).not.toMatch(/using the CPU engine/);
    const metrics = (d: string) => JSON.parse(readFileSync(join(dir, d, 'metrics.json'), 'utf8'));
    const gpu = metrics('run');
    expect(gpu.engine).toEqual({ kind: 'webgpu', adapter: expect.any(String) });
    expect(metrics('cpu').engine).toEqual({ kind: 'cpu' });
    expect(metrics('auto').engine.kind).toBe(software ? 'cpu' : 'webgpu');
    for (const other of [metrics('cpu'), metrics('auto')]) {
      // float32 on both engines, the same seeded batches: the losses and metrics agree to float32 rounding
      for (const [i, e] of other.epochs.entries()) expect(Math.abs(e.valLoss - gpu.epochs[i].valLoss) / gpu.epochs[i].valLoss).toBeLessThan(1e-4);
      expect(Math.abs(other.validation.mse - gpu.validation.mse) / gpu.validation.mse).toBeLessThan(1e-4);
    }
    await expect(trainCommand.run([sineCsv, '--out', join(dir, 'x'), '--engine', 'gpu'], { out: () => {}, err: () => {}, isTty: false })).rejects.toThrow(/train: --engine must be auto, webgpu, cpu \(got "gpu"\)/);
  });

  it('rejects bad options with a UsageError (exit 2)', async () => {
    const bad = async (...argv: string[]) => expect(run(trainCommand, argv)).rejects.toThrow(UsageError);
    await bad(sineCsv, '--out', runDir, '--bogus');
    await bad(sineCsv);
    await bad('--out', runDir);
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--cell', 'transformer'])).rejects.toThrow('train: --cell must be one of lstm, gru, rnn (got "transformer")');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--hidden', '0'])).rejects.toThrow('--hidden: hiddenSize must be an integer from 1 to 2048 (got 0)');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--lr', 'fast'])).rejects.toThrow('--lr must be a number (got "fast")');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--target', 'price'])).rejects.toThrow('--target names "price", which is not a column of the file. The columns are: "t", "value".');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--label', 'value'])).rejects.toThrow('--label does not apply to forecast');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--config', join(dir, 'nope.json')])).rejects.toThrow('cannot read --config');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--head', 'middle'])).rejects.toThrow('train: --head must be one of last_step, every_step (got "middle")');
    await expect(run(trainCommand, [sineCsv, '--out', runDir, '--head', 'every-step', '--horizon', '2'])).rejects.toThrow('--head every-step: A head on every step predicts the value right after each step: set the horizon to 1 (it is 2).');
  });

  it('trains a head on every step (--head every-step) and predicts with its last step', async () => {
    const out = join(dir, 'every');
    const r = await run(trainCommand, [sineCsv, '--out', out, '--head', 'every-step', ...TINY]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(manifest.config).toMatchObject({ headOn: 'every_step', outputSize: 1, window: 8 });
    const p = await run(predictCommand, [out, sineCsv]);
    const [header, ...lines] = p.out.trim().split('\n');
    expect([p.code, header, lines.length]).toEqual([0, 'last_row,last_t,value t+1', 200 - 8 + 1]);
    expect(lines.every((l) => Number.isFinite(Number(l.split(',')[2])))).toBe(true);
  });
});

describe('lstm-playground predict', () => {
  it('predicts every window of the training CSV, matching the engine on the training set (denormalized)', async () => {
    const r = await run(predictCommand, [runDir, sineCsv, '--engine', 'webgpu']);
    expect([r.code, r.err]).toEqual([0, '']);
    // The CPU engine (what --engine auto picks on a software adapter) predicts the same, to float32 rounding.
    const cpu = await run(predictCommand, [runDir, sineCsv, '--engine', 'cpu']);
    expect([cpu.code, cpu.err]).toEqual([0, '']);
    const values = (out: string) => out.trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
    const gpuValues = values(r.out);
    const cpuValues = values(cpu.out);
    expect(cpuValues).toHaveLength(gpuValues.length);
    const worst = Math.max(...cpuValues.map((v, i) => Math.abs(v - gpuValues[i])));
    console.log(`predict --engine cpu vs webgpu: max |difference| ${worst.toExponential(2)} over ${gpuValues.length} windows`);
    expect(worst).toBeLessThan(1e-4);
    const [header, ...lines] = r.out.trim().split('\n');
    expect(header).toBe('last_row,last_t,value t+1');
    expect(lines).toHaveLength(200 - 8 + 1);
    expect(lines.at(-1)!.startsWith('200,199,')).toBe(true); // the last window predicts past the end
    const byRow = new Map(lines.map((l) => l.split(',')).map((f) => [Number(f[0]), Number(f[2])]));

    const loaded = loadModelFiles(new Uint8Array(readFileSync(join(runDir, 'model.safetensors'))), readFileSync(join(runDir, 'model.json'), 'utf8'));
    const set = buildTrainingSet(await parseCsvPath(sineCsv), choicesFromManifest(loaded.manifest));
    const ctx = await requestNodeDevice();
    try {
      const y = await predictWithWeights(ctx.device, loaded.config, loaded.tensors, set.validation.x, set.validation.count);
      const decoded = decodeForecast(y, set.validation.decoder!);
      for (let n = 0; n < set.validation.count; n++) {
        const expected = decoded[n];
        expect(byRow.get(set.validation.row[n] + 1)).toBeCloseTo(expected, 6);
      }
    } finally {
      ctx.device.destroy();
    }
  });

  it('lists the class names and their probabilities for a classifier', async () => {
    const out = join(dir, 'wide');
    const t = await run(trainCommand, [wideCsv, '--out', out, '--task', 'classify-sequences', '--label', 'label', '--epochs', '1', '--hidden', '4', '--cell', 'gru']);
    expect(t.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')).validation).toMatchObject({ count: expect.any(Number), accuracy: expect.any(Number), macroF1: expect.any(Number) });
    const r = await run(predictCommand, [out, wideCsv]);
    expect(r.code).toBe(0);
    const [header, ...lines] = r.out.trim().split('\n');
    expect(header).toBe('row,predicted,p(down),p(up)');
    expect(lines).toHaveLength(40);
    for (const line of lines) {
      const [, predicted, pDown, pUp] = line.split(',');
      expect(['down', 'up']).toContain(predicted);
      expect(Number(pDown) + Number(pUp)).toBeCloseTo(1, 6);
      expect(predicted).toBe(Number(pUp) > Number(pDown) ? 'up' : 'down');
    }
  });

  it('exits 1 with the loader\'s message for a corrupt model file, 2 for bad usage', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    copyFileSync(join(runDir, 'model.json'), join(broken, 'model.json'));
    const bytes = readFileSync(join(runDir, 'model.safetensors'));
    writeFileSync(join(broken, 'model.safetensors'), bytes.subarray(0, bytes.length - 10));
    let loaderMessage = '';
    try {
      loadModelFiles(new Uint8Array(readFileSync(join(broken, 'model.safetensors'))), readFileSync(join(broken, 'model.json'), 'utf8'));
    } catch (e) {
      loaderMessage = (e as Error).message;
    }
    expect(loaderMessage).toMatch(/^model\.safetensors: /);
    const r = await run(predictCommand, [broken, sineCsv]);
    expect([r.code, r.out, r.err]).toEqual([1, '', `predict: ${broken}: ${loaderMessage}`]);
    const none = await run(predictCommand, [join(dir, 'missing'), sineCsv]);
    expect([none.code, none.err]).toEqual([1, `predict: ${join(dir, 'missing')}: Cannot read the model folder ${join(dir, 'missing')}: there is no such file.`]);
    await expect(run(predictCommand, [runDir])).rejects.toThrow('name the model folder and one CSV file (got 1 argument)');
    await expect(run(predictCommand, [runDir, sineCsv, '--fast'])).rejects.toThrow(UsageError);
  });
});
