// Runs the exported load_in_pytorch.py and train_pytorch.py under real PyTorch on models the CLI trains: the scripts'
// predictions, windows and row numbers equal `predict`'s, their epoch-0 validation loss the playground's, one more
// epoch lowers the training loss, and the weights they write import back. Skips loudly without PyTorch.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../../src/cli/command';
import { predictCommand } from '../../src/cli/commands/predict';
import { trainCommand, type ProgressIo } from '../../src/cli/commands/train';
import { parseCsvPath } from '../../src/data/csv_node';
import { buildTrainingSet } from '../../src/data/training_set';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { initialParameters } from '../../src/engine/init';
import { paramLayout } from '../../src/engine/param_layout';
import { decodeSafetensors } from '../../src/export/safetensors';
import { exportModelFiles, loadModelFiles } from '../../src/export/model_files';
import { choicesFromManifest } from '../../src/model_io/data_description';
import { balancedClassWeights } from '../../src/training/class_weights';
import { trainingDataOf } from '../../src/training/from_training_set';
import { Prng } from '../../src/util/prng';
import { dataFor } from './helpers';
import { engineTrainLoss, PYTHON, torchProblem } from './torch_python';

const run = promisify(execFile);

const noTorch = torchProblem();
if (noTorch) console.warn(`SKIPPED: the PyTorch runs of the exported scripts (test/export/pytorch_run.test.ts): ${noTorch}.`);
const safetensorsPackage = noTorch ? false : (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import safetensors.torch'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!noTorch && !safetensorsPackage) console.warn(`SKIPPED: the exported scripts with the real safetensors package: ${PYTHON} cannot import safetensors (the built-in reader and writer are tested).`);

const dir = mkdtempSync(join(tmpdir(), 'pytorch-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(command: CliCommand, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: ProgressIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false };
  const code = await command.run(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function python(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(PYTHON, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env }, maxBuffer: 64 << 20 });
  return stdout;
}

// ---------- the data: small CSVs with gaps in time, groups, missing cells, categories, texts ----------

const rng = new Prng(2024);
const noise = (s: number) => (rng.next() - 0.5) * s;
const day = (d: number) => new Date(Date.UTC(2021, 0, 1 + d)).toISOString().slice(0, 10);
const hour = (h: number) => new Date(Date.UTC(2022, 2, 1, h)).toISOString().slice(0, 19);

/** Daily temperature and humidity with three gaps in the dates (1, 3 and 5 days missing). */
function gapsCsv(): string {
  const skip = new Set([30, 71, 72, 73, 110, 111, 112, 113, 114]);
  const lines = ['date,temp,hum'];
  for (let d = 0; d < 160; d++) {
    if (skip.has(d)) continue;
    lines.push(`${day(d)},${(10 + 8 * Math.sin(d / 5) + noise(2)).toFixed(3)},${(50 + 10 * Math.cos(d / 7) + noise(4)).toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

/** Three stations in long format, rows interleaved by time; station B misses four hours, C has a missing value. */
function stationsCsv(): string {
  const lines = ['station,time,value,kind'];
  for (let h = 0; h < 70; h++) {
    for (const [s, phase] of [['A', 0], ['B', 1], ['C', 2]] as const) {
      if (s === 'B' && h >= 20 && h < 24) continue;
      const v = s === 'C' && h === 40 ? 'NA' : (5 * Math.sin(h / 4 + phase) + phase + noise(1)).toFixed(3);
      lines.push(`${s},${hour(h)},${v},${h % 24 >= 6 && h % 24 < 18 ? 'day' : 'night'}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A numbered series with steps missing from the t column and one missing value. */
function stepsCsv(): string {
  const lines = ['t,value'];
  for (let t = 0; t < 200; t++) {
    if ((t >= 50 && t < 53) || t === 120) continue;
    lines.push(`${t},${t === 90 ? '' : (Math.sin(t * 0.3) + 0.5 * Math.cos(t * 0.11) + noise(0.2)).toFixed(4)}`);
  }
  return lines.join('\n') + '\n';
}

function sineCsv(): string {
  return 't,value\n' + Array.from({ length: 160 }, (_, i) => `${i},${(Math.sin(i * 0.3) + 0.3 * Math.sin(i * 1.1)).toFixed(5)}`).join('\n') + '\n';
}

/** Wide sequences of 8 steps, three classes; one row without a label, one with a missing cell. */
function wideCsv(): string {
  const lines = [`label,${Array.from({ length: 8 }, (_, t) => `s${t}`).join(',')}`];
  for (let r = 0; r < 90; r++) {
    const k = r % 3;
    const steps = Array.from({ length: 8 }, (_, t) => (k === 0 ? t / 8 : k === 1 ? 1 - t / 8 : Math.sin(t)) + noise(0.4));
    const cells = steps.map((v, t) => (r === 7 && t === 3 ? 'NA' : v.toFixed(4)));
    lines.push(`${r === 11 ? '' : ['up', 'down', 'wave'][k]},${cells.join(',')}`);
  }
  return lines.join('\n') + '\n';
}

/** Wide sequences of 8 steps, three classes about 70 : 20 : 10 (for class weights). */
function imbalancedWideCsv(): string {
  const lines = [`label,${Array.from({ length: 8 }, (_, t) => `s${t}`).join(',')}`];
  for (let r = 0; r < 120; r++) {
    const k = r % 10 < 7 ? 0 : r % 10 < 9 ? 1 : 2;
    const steps = Array.from({ length: 8 }, (_, t) => (k === 0 ? t / 8 : k === 1 ? 1 - t / 8 : Math.sin(t)) + noise(1.2));
    lines.push(`${['up', 'down', 'wave'][k]},${steps.map((v) => v.toFixed(4)).join(',')}`);
  }
  return lines.join('\n') + '\n';
}

/** Long-format sequences of 3 to 9 steps (rows out of time order), two features, a label per series. */
function longCsv(): string {
  const lines = ['id,t,u,v,label'];
  for (let s = 0; s < 60; s++) {
    const k = s % 2;
    const n = 3 + (s % 7);
    const order = Array.from({ length: n }, (_, t) => t).sort((a, b) => ((a * 7 + s) % n) - ((b * 7 + s) % n));
    for (const t of order) lines.push(`s${s},${t},${((k ? t : -t) * 0.3 + noise(1)).toFixed(3)},${(k + noise(1)).toFixed(3)},${k ? 'rise' : 'fall'}`);
  }
  return lines.join('\n') + '\n';
}

const WORDS = {
  pos: ['good', 'great', 'lovely', 'fine', 'happy', 'nice'],
  neg: ['bad', 'awful', 'sad', 'poor', 'ugly', 'worse'],
  neu: ['table', 'chair', 'the', 'a', 'is', 'was'],
};

/** Short texts of three classes, with punctuation and capitals; one empty text and one row without a label. */
function textCsv(): string {
  const lines = ['text,label'];
  const names = Object.keys(WORDS) as (keyof typeof WORDS)[];
  for (let r = 0; r < 150; r++) {
    const k = names[r % 3];
    const n = 2 + Math.floor(rng.next() * 6);
    const words = Array.from({ length: n }, () => {
      const pool = rng.next() < 0.7 ? WORDS[k] : WORDS.neu;
      return pool[Math.floor(rng.next() * pool.length)];
    });
    if (r % 5 === 0) words[0] = words[0].toUpperCase();
    const text = r === 4 ? '' : `"${words.join(' ')}${r % 4 === 0 ? '!' : '.'}"`;
    lines.push(`${text},${r === 13 ? '' : k}`);
  }
  return lines.join('\n') + '\n';
}

/** Names (single words, a class from their last letter) with NA-like names among them: a word list, which the
 *  playground reads as names ("Nan", "Na", "Nil" are people here), so no row is missing. No draws from the noise. */
function namesCsv(): string {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ri', 'to', 'sa', 'el', 'an', 'jo', 'us', 'ar'];
  const names = syllables.flatMap((a) => syllables.map((b) => a[0].toUpperCase() + a.slice(1) + b));
  for (const [at, name] of [[7, 'Nan'], [40, 'Na'], [90, 'Nil'], [120, 'Nan']] as const) names.splice(at, 0, name);
  return ['name,label', ...names.map((n) => `${n},${/[aeiou]$/.test(n) ? 'vowel' : 'consonant'}`)].join('\n') + '\n';
}

interface Case {
  name: string;
  csv: () => string;
  args: string[];
  /** What predict's windows must show for this data (so a script that got them wrong in the same way would fail). */
  windows?: (header: string[], rows: string[][]) => void;
}

/** The windows whose last step was inserted into a gap: predict leaves last_row empty and writes the step's time. */
const inserted = (header: string[], rows: string[][]) => rows.filter((r) => r[header.indexOf('last_row')] === '').map((r) => r.slice(0, header.indexOf('last_row') + 2).join(' '));

const SMALL = ['--epochs', '1', '--batch', '16', '--seed', '5'];
const CASES: Case[] = [
  {
    name: 'LSTM forecast, dates with gaps, 2 targets, horizon 2',
    csv: gapsCsv,
    args: ['--target', 'temp,hum', '--time', 'date', '--window', '6', '--horizon', '2', '--hidden', '6', '--cell', 'lstm'],
    // 151 days in runs of 30, 40, 36 and 45 between the gaps: 25 + 35 + 31 + 40 windows of 6 days, none across a gap
    windows: (header, rows) => expect([rows.length, inserted(header, rows)]).toEqual([131, []]),
  },
  {
    name: '2-layer GRU forecast, long format with groups, gaps filled, category and calendar inputs',
    csv: stationsCsv,
    args: ['--target', 'value', '--group', 'station', '--time', 'time', '--categories', 'kind', '--calendar', 'hour', '--missing', 'ffill', '--window', '5', '--cell', 'gru', '--layers', '2', '--dropout', '0.2', '--hidden', '6'],
    // 70 hours per station (B's four missing hours filled in): 66 windows each, four of B's ending on a filled-in hour
    windows: (header, rows) => {
      expect(rows.length).toBe(3 * 66);
      expect(inserted(header, rows)).toEqual([20, 21, 22, 23].map((h) => `B  ${hour(h)}`));
    },
  },
  {
    name: 'bidirectional RNN forecast, numbered steps with gaps, interpolation, min-max, stride 2',
    csv: stepsCsv,
    args: ['--target', 'value', '--time', 't', '--missing', 'interpolate', '--scaling', 'minmax', '--stride', '2', '--window', '7', '--cell', 'rnn', '--bidirectional', '--hidden', '5'],
    windows: (header, rows) => expect([rows.length, inserted(header, rows)]).toEqual([200 - 7 + 1, [' 50', ' 51', ' 52', ' 120']]),
  },
  { name: 'LSTM forecast with a head on every step', csv: sineCsv, args: ['--target', 'value', '--time', 't', '--window', '8', '--head', 'every-step', '--hidden', '6', '--cell', 'lstm'] },
  // The target transforms (the forecasts above get the default one picked from their data: difference or none).
  { name: 'GRU forecast, seasonal-difference transform, horizon 2', csv: sineCsv, args: ['--target', 'value', '--time', 't', '--window', '10', '--horizon', '2', '--transform', 'seasonal-difference', '--season', '8', '--hidden', '6', '--cell', 'gru'] },
  { name: 'LSTM forecast, log transform, 2 targets', csv: gapsCsv, args: ['--target', 'temp,hum', '--time', 'date', '--window', '6', '--transform', 'log', '--hidden', '6', '--cell', 'lstm'] },
  { name: 'RNN forecast, window-normalize transform, calendar input', csv: gapsCsv, args: ['--target', 'temp', '--inputs', 'hum', '--time', 'date', '--calendar', 'day-of-week', '--window', '7', '--transform', 'window-normalize', '--hidden', '5', '--cell', 'rnn'] },
  { name: 'LSTM forecast, difference transform', csv: stepsCsv, args: ['--target', 'value', '--time', 't', '--missing', 'interpolate', '--window', '7', '--transform', 'difference', '--hidden', '5', '--cell', 'lstm'] },
  {
    name: 'bidirectional LSTM classifier of wide sequences',
    csv: wideCsv,
    args: ['--task', 'classify-sequences', '--format', 'wide', '--label', 'label', '--missing', 'interpolate', '--cell', 'lstm', '--bidirectional', '--hidden', '6'],
  },
  {
    name: '2-layer bidirectional GRU classifier of long sequences',
    csv: longCsv,
    args: ['--task', 'classify-sequences', '--format', 'long', '--group', 'id', '--time', 't', '--label', 'label', '--window', '6', '--cell', 'gru', '--layers', '2', '--bidirectional', '--hidden', '5'],
  },
  { name: 'LSTM text classifier (word tokens, embedding)', csv: textCsv, args: ['--task', 'classify-text', '--text', 'text', '--label', 'label', '--embedding', '8', '--hidden', '8', '--cell', 'lstm'] },
  {
    name: 'RNN text classifier (character tokens, kept case)',
    csv: textCsv,
    args: ['--task', 'classify-text', '--text', 'text', '--label', 'label', '--tokens', 'char', '--keep-case', '--window', '24', '--embedding', '6', '--hidden', '8', '--cell', 'rnn'],
  },
  // last, so that its draws from the shared noise do not change the data of the cases above
  {
    name: 'GRU classifier of imbalanced wide sequences, balanced class weights',
    csv: imbalancedWideCsv,
    args: ['--task', 'classify-sequences', '--format', 'wide', '--label', 'label', '--class-weights', 'balanced', '--cell', 'gru', '--hidden', '6'],
  },
  {
    name: 'LSTM classifier of names (character tokens; the NA-like names Nan, Na, Nil are names)',
    csv: namesCsv,
    args: ['--task', 'classify-text', '--text', 'name', '--label', 'label', '--tokens', 'char', '--keep-case', '--window', '8', '--embedding', '6', '--hidden', '8', '--cell', 'lstm'],
    // every one of the 148 names is a sample, the four NA-like ones too
    windows: (_header, rows) => expect(rows.length).toBe(148),
  },
];

// ---------- comparing ----------

function parseCsvLines(text: string): string[][] {
  return text.trim().split('\n').map((line) => line.split(','));
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(1, Math.abs(b));
}

/** Compares the script's predictions CSV with predict's: identical keys, numbers within `tol`; returns the worst difference. */
function comparePredictions(script: string, engine: string, tol: number): number {
  const [sh, ...s] = parseCsvLines(script);
  const [eh, ...e] = parseCsvLines(engine);
  expect(sh, 'header').toEqual(eh);
  expect(s.length, 'number of predictions (windows)').toBe(e.length);
  const numeric = eh.map((h) => / t\+\d+$|^p\(/.test(h));
  const predicted = eh.indexOf('predicted');
  let worst = 0;
  s.forEach((row, i) => {
    const want = e[i];
    row.forEach((field, j) => {
      if (numeric[j]) {
        const d = relDiff(Number(field), Number(want[j]));
        worst = Math.max(worst, d);
        expect(d, `line ${i + 2}, ${eh[j]}: ${field} vs ${want[j]}`).toBeLessThanOrEqual(tol);
      } else if (j !== predicted) expect(field, `line ${i + 2}, ${eh[j]}`).toBe(want[j]);
    });
    if (predicted >= 0 && row[predicted] !== want[predicted]) {
      // only a near tie may flip the predicted class
      const p = (r: string[], name: string) => Number(r[eh.indexOf(`p(${name})`)]);
      expect(Math.abs(p(want, want[predicted]) - p(want, row[predicted])), `line ${i + 2}: class ${row[predicted]} vs ${want[predicted]}`).toBeLessThan(tol);
    }
  });
  return worst;
}

/** The playground engine's loss (its own definition: every step for an every-step head) over the training split. */
async function playgroundTrainLoss(modelDir: string, csv: string, weights: string): Promise<number> {
  const loaded = loadModelFiles(new Uint8Array(readFileSync(weights)), readFileSync(join(modelDir, 'model.json'), 'utf8'));
  const set = buildTrainingSet(await parseCsvPath(csv), choicesFromManifest(loaded.manifest));
  const data = trainingDataOf(set, ['train split'], loaded.config.headOn);
  const balanced = loaded.config.classWeights === 'balanced';
  return engineTrainLoss(loaded.config, loaded.tensors, data, balanced ? (e) => e.setClassWeights(balancedClassWeights(data.trainY, loaded.config.outputSize)) : undefined);
}

const measured: string[] = [];
afterAll(() => {
  if (measured.length > 0) console.info(`PyTorch runs of the exported scripts:\n${measured.join('\n')}`);
});

describe.skipIf(noTorch !== null)('the exported scripts under PyTorch', () => {
  CASES.forEach((c, k) => {
    it(`${c.name}: predictions and rows equal predict's, epoch-0 validation loss the playground's, one epoch lowers the training loss`, async () => {
      const caseDir = join(dir, `case${k}`);
      mkdirSync(caseDir);
      const csv = join(caseDir, 'data.csv');
      writeFileSync(csv, c.csv());
      const model = join(caseDir, 'model');
      const trained = await cli(trainCommand, [csv, '--out', model, '--json', ...SMALL, ...c.args]);
      expect(trained.code, trained.err).toBe(0);
      const metrics = JSON.parse(readFileSync(join(model, 'metrics.json'), 'utf8'));

      const engine = await cli(predictCommand, [model, csv]);
      expect(engine.code, engine.err).toBe(0);
      const script = await python([join(model, 'load_in_pytorch.py'), csv]);
      const predictionError = comparePredictions(script, engine.out, 1e-4);
      const [header, ...rows] = parseCsvLines(engine.out);
      c.windows?.(header, rows);

      const continued = join(caseDir, 'continued.safetensors');
      const lines = (await python([join(model, 'train_pytorch.py'), csv, '--epochs', '1', '--out', continued])).trim().split('\n').map((l) => JSON.parse(l));
      const [counts, epoch0, epoch1] = lines;
      expect(counts).toMatchObject({ train_windows: metrics.counts.train, val_windows: metrics.counts.validation, test_windows: metrics.counts.test, weights: safetensorsPackage ? 'safetensors package' : 'built-in reader' });
      // The saved weights: the last epoch's, or (a run that starts at its baseline) the best validation epoch's.
      const playgroundVal = metrics.bestEpoch === 0 ? metrics.untrainedValLoss : (metrics.epochs.find((e: { epoch: number }) => e.epoch === metrics.bestEpoch) ?? metrics.epochs.at(-1)).valLoss;
      if (c.args.includes('--transform')) expect(metrics.transform, 'the transform').toBe(c.args[c.args.indexOf('--transform') + 1]);
      if (c.args.includes('--class-weights')) expect(JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')).config.classWeights, 'the class weights').toBe('balanced');
      const lossError = relDiff(epoch0.val_loss, playgroundVal);
      expect(lossError, `epoch-0 validation loss ${epoch0.val_loss} vs the playground's ${playgroundVal}`).toBeLessThanOrEqual(1e-5);
      if (metrics.validation.rmse !== undefined) expect(relDiff(epoch0.val_rmse, metrics.validation.rmse)).toBeLessThanOrEqual(1e-5);
      else expect(epoch0.val_accuracy).toBeCloseTo(metrics.validation.accuracy, 6);
      expect(epoch1.epoch).toBe(1);

      const before = await playgroundTrainLoss(model, csv, join(model, 'model.safetensors'));
      const after = await playgroundTrainLoss(model, csv, continued);
      expect(relDiff(epoch0.train_loss, before), 'epoch-0 training loss vs the engine on the same weights').toBeLessThanOrEqual(1e-5);
      expect(after, 'training loss after one more epoch in PyTorch (weights imported back)').toBeLessThan(before);
      measured.push(`  ${c.name}: ${script.trim().split('\n').length - 1} predictions, worst relative difference from predict ${predictionError.toExponential(1)}; epoch-0 validation loss ${epoch0.val_loss.toPrecision(7)} vs ${playgroundVal.toPrecision(7)} (${lossError.toExponential(1)}); training loss ${before.toPrecision(5)} -> ${after.toPrecision(5)}`);
    });
  });
});

// ---------- model.safetensors with and without the safetensors package ----------

/** A stand-in safetensors package: the real API (load_file, save_file) on a minimal reader/writer, logging each call. */
const STAND_IN = String.raw`
import json, os, struct, torch

def _log(what):
    with open(os.environ["STAND_IN_LOG"], "a") as f:
        f.write(what + "\n")

def load_file(filename, device="cpu"):
    _log("load_file")
    data = open(filename, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    return {k: torch.frombuffer(bytearray(data[8 + n + e["data_offsets"][0]:8 + n + e["data_offsets"][1]]), dtype=torch.float32).reshape(e["shape"]) for k, e in header.items()}

def save_file(tensors, filename, metadata=None):
    _log("save_file")
    header, blobs, offset = {"__metadata__": metadata or {}}, [], 0
    for k, t in tensors.items():
        b = struct.pack(f"<{t.numel()}f", *t.reshape(-1).tolist())
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    open(filename, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
`;

/** Loads model.safetensors with the script's own functions, writes it back, reports which reader ran and the values. */
const ROUND_TRIP = String.raw`
import json, runpy, sys
ns = runpy.run_path(sys.argv[1], run_name="exported_script")
model, manifest = ns["load_model"](sys.argv[2])
state = ns["load_weights"](sys.argv[2] + "/model.safetensors")
ns["save_weights"](model.state_dict(), sys.argv[3], {"format": manifest["format"], "config": json.dumps(manifest["config"])})
print(json.dumps({"io": ns["WEIGHTS_IO"], "tensors": {k: v.reshape(-1).tolist() for k, v in state.items()}}))
`;

describe.skipIf(noTorch !== null)('model.safetensors in the scripts, with and without the safetensors package', () => {
  const c = { ...DEFAULT_CONFIG, cell: 'gru' as const, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2, window: 5, seed: 3 };
  const layout = paramLayout(c);
  const flat = initialParameters(layout, c.hiddenSize, c.seed);
  const params = layout.slots.map((s) => ({ name: s.name, shape: s.shape, data: flat.slice(s.offset, s.offset + s.size) }));
  const files = exportModelFiles(params, c, dataFor(c));
  const modelDir = join(dir, 'weights-model');
  const standIn = join(dir, 'stand-in');
  mkdirSync(modelDir, { recursive: true });
  mkdirSync(join(standIn, 'safetensors'), { recursive: true });
  writeFileSync(join(modelDir, 'model.safetensors'), files.safetensors);
  writeFileSync(join(modelDir, 'model.json'), files.json);
  writeFileSync(join(modelDir, 'load_in_pytorch.py'), files.loadScript);
  writeFileSync(join(dir, 'round_trip.py'), ROUND_TRIP);
  writeFileSync(join(standIn, 'safetensors', '__init__.py'), '');
  writeFileSync(join(standIn, 'safetensors', 'torch.py'), STAND_IN);
  const expected = Object.fromEntries(decodeSafetensors(files.safetensors).tensors.map((t) => [t.name, Array.from(t.data)]));

  async function roundTrip(name: string, env: Record<string, string>) {
    const out = join(dir, `${name}.safetensors`);
    const log = join(dir, `${name}.log`);
    const r = JSON.parse(await python([join(dir, 'round_trip.py'), join(modelDir, 'load_in_pytorch.py'), modelDir, out], { STAND_IN_LOG: log, ...env }));
    expect(r.tensors, 'what the script read').toEqual(expected);
    const back = loadModelFiles(new Uint8Array(readFileSync(out)), files.json);
    expect(Object.fromEntries(decodeSafetensors(new Uint8Array(readFileSync(out))).tensors.map((t) => [t.name, Array.from(t.data)])), 'what it wrote').toEqual(expected);
    expect(back.tensors.map((t) => t.name)).toEqual(params.map((p) => p.name));
    return { io: r.io as string, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  }

  it('reads and writes the file with the built-in reader and writer when forced (LSTM_PLAYGROUND_SAFETENSORS=builtin), even with a package present', async () => {
    const r = await roundTrip('builtin', { LSTM_PLAYGROUND_SAFETENSORS: 'builtin', PYTHONPATH: standIn });
    expect(r).toEqual({ io: 'built-in reader', calls: [] });
  });

  it('uses an importable safetensors package (a stand-in with its API, logging its calls)', async () => {
    const r = await roundTrip('stand-in', { PYTHONPATH: standIn });
    expect(r).toEqual({ io: 'safetensors package', calls: ['load_file', 'load_file', 'save_file'] });
  });

  // Skipped where python3 cannot import safetensors: Debian ships no python3-safetensors, so CI runs the built-in
  // reader and writer (above) and the stand-in package with its API; a machine with `pip install safetensors` runs this.
  it.skipIf(!safetensorsPackage)('reads and writes the file with the real safetensors package', async () => {
    const r = await roundTrip('package', {});
    expect(r.io).toBe('safetensors package');
  });

  it('the built-in writer lays the file out as the playground does: header padded to 8 bytes, tensors in state_dict order', () => {
    const dataOf = (bytes: Uint8Array) => {
      const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      return { length, header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))), data: bytes.subarray(8 + length) };
    };
    const written = dataOf(new Uint8Array(readFileSync(join(dir, 'builtin.safetensors'))));
    expect(written.length % 8).toBe(0);
    expect(Object.keys(written.header)).toEqual(['__metadata__', ...files.manifest.parameters.map((p) => p.name)]);
    expect(Buffer.from(written.data).equals(Buffer.from(dataOf(files.safetensors).data)), 'the same float32 bytes as model.safetensors').toBe(true);
  });
});
