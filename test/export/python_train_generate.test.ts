// train_pytorch.py on a text-generation model under real PyTorch: the CLI trains a tiny character model on a .txt
// file, the script rebuilds the same windows and split (counts, epoch-0 validation loss the playground's), and one
// continued epoch lowers the training loss as the playground's own engine measures it. Skips loudly without PyTorch.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { parseCsvPath } from '../../src/data/csv_node';
import { buildGenerateSet, textOfColumn } from '../../src/data/generate_set';
import { loadModelFiles } from '../../src/export/model_files';
import { generateChoicesFromManifest } from '../../src/model_io/generate_description';
import { trainingDataOf } from '../../src/training/from_training_set';
import { engineTrainLoss, PYTHON, torchProblem } from './torch_python';
import { Prng } from '../../src/util/prng';

const run = promisify(execFile);
const noTorch = torchProblem();
if (noTorch) console.warn(`SKIPPED: train_pytorch.py on a text-generation model (test/export/python_train_generate.test.ts): ${noTorch}.`);

const dir = mkdtempSync(join(tmpdir(), 'pytorch-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** About 3,000 characters of short made-up lines over a small alphabet, CRLF line endings and a final line break. */
function text(): string {
  const rng = new Prng(11);
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'dog', 'ran', 'far', 'away', 'home'];
  const lines: string[] = [];
  for (let n = 0; n < 220; n++) lines.push(Array.from({ length: 3 }, () => words[Math.floor(rng.next() * words.length)]).join(' ') + '.');
  return `${lines.join('\r\n')}\r\n`;
}

/** The same lines as a CSV: an id and the line, quoted, with a missing cell (left out when the rows are joined). */
function csv(): string {
  const rows = text().trim().split('\r\n').map((line, i) => `${i},"${line}"`);
  rows.splice(7, 0, '999,');
  return `id,line\n${rows.join('\n')}\n`;
}

/** The playground engine's mean next-token loss over the training windows with the weights in `weights`. */
async function playgroundTrainLoss(modelDir: string, textPath: string, weights: string): Promise<number> {
  const loaded = loadModelFiles(new Uint8Array(readFileSync(weights)), readFileSync(join(modelDir, 'model.json'), 'utf8'));
  const choices = generateChoicesFromManifest(loaded.manifest);
  const whole = choices.textColumn ? textOfColumn(await parseCsvPath(textPath), choices.textColumn, choices.separator) : readFileSync(textPath, 'utf8');
  const set = buildGenerateSet(whole, choices);
  const data = trainingDataOf(set, ['train split'], loaded.config.headOn);
  return engineTrainLoss(loaded.config, loaded.tensors, data);
}

describe('train_pytorch.py for text generation', () => {
  const cases = [
    { name: 'a .txt file', file: 'lines.txt', body: text, args: [] as string[] },
    { name: "a CSV's text column", file: 'lines.csv', body: csv, args: ['--task', 'generate', '--text', 'line', '--separator', ' | '] },
  ];
  it.skipIf(noTorch !== null).each(cases)('$name: rebuilds the windows and split, starts at the playground\'s validation loss, one epoch lowers the training loss', async (c) => {
    const textPath = join(dir, c.file);
    writeFileSync(textPath, c.body());
    const model = join(dir, `model-${c.file}`);
    const out: string[] = [];
    const err: string[] = [];
    const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
    const argv = [textPath, '--out', model, '--json', '--window', '24', '--hidden', '16', '--embedding', '8', '--epochs', '1', '--batch', '16', '--lr', '0.01', '--seed', '5', ...c.args];
    expect(await trainCommand.run(argv, io), err.join('\n')).toBe(0);
    const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));

    const continued = join(dir, `continued-${c.file}.safetensors`);
    const { stdout } = await run(PYTHON, [join(model, 'train_pytorch.py'), textPath, '--epochs', '1', '--out', continued], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
      maxBuffer: 16 << 20,
    });
    const [counts, epoch0, epoch1, test, saved] = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(counts).toMatchObject({ train_windows: metrics.counts.train, val_windows: metrics.counts.validation, test_windows: metrics.counts.test });
    expect(counts.train_windows).toBeGreaterThan(50);
    const playgroundVal = metrics.bestEpoch === 0 ? metrics.untrainedValLoss : (metrics.epochs.find((e: { epoch: number }) => e.epoch === metrics.bestEpoch) ?? metrics.epochs.at(-1)).valLoss;
    expect(Math.abs(epoch0.val_loss - playgroundVal) / playgroundVal, `epoch-0 validation loss ${epoch0.val_loss} vs the playground's ${playgroundVal}`).toBeLessThan(1e-5);
    expect(epoch0.val_perplexity).toBeCloseTo(Math.exp(epoch0.val_loss), 6);
    expect(epoch0.val_bits_per_char).toBeCloseTo(epoch0.val_loss / Math.LN2, 6);
    expect(epoch1.epoch).toBe(1);
    expect(test.test_loss).toBeGreaterThan(0);
    expect(saved).toEqual({ saved: continued });

    const before = await playgroundTrainLoss(model, textPath, join(model, 'model.safetensors'));
    const after = await playgroundTrainLoss(model, textPath, continued);
    expect(Math.abs(epoch0.train_loss - before) / before, 'epoch-0 training loss vs the engine on the same weights').toBeLessThan(1e-5);
    expect(after, 'training loss after one more epoch in PyTorch (weights imported back)').toBeLessThan(before);
    console.info(`train_pytorch.py, text generation from ${c.name}: ${counts.train_windows} training windows; epoch-0 validation loss ${epoch0.val_loss.toPrecision(7)} vs ${playgroundVal.toPrecision(7)}; training loss ${before.toPrecision(5)} -> ${after.toPrecision(5)}`);
  });
});
