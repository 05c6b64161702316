// `lstm-playground train FILE.csv --out DIR`: trains (WebGPU through Dawn, or the CPU engine: --engine) and writes the
// model files and metrics.
import { mkdirSync, readFileSync } from 'node:fs';
import { DEFAULT_LM_FRACTIONS, buildGenerateSet } from '../../data/generate_set';
import { bitsOf } from '../../data/lm_baselines';
import { decodeTextBytes } from '../../data/plain_text';
import { isPlainTextName } from '../../data/text_table';
import type { DataTable } from '../../data/table';
import type { TrainingChoices } from '../../data/training_types';
import { basename } from 'node:path';
import { parseCsvPath } from '../../data/csv_node';
import { DataError } from '../../data/data_error';
import { buildTrainingSet, trainConfigFields } from '../../data/training_set';
import { everyStepProblem } from '../../data/step_targets';
import { parseModelManifest } from '../../export/manifest_parse';
import type { ModelManifest } from '../../export/manifest';
import { WeightFileError } from '../../export/safetensors';
import { generateChoicesFromManifest } from '../../model_io/generate_description';
import { checkConfig, choicesFromFlags, configFromFlags, generateChoicesFromFlags } from '../../model_io/train_options';
import { runTraining, type MetricsReport } from '../../model_io/train_run';
import { DEFAULT_SAMPLE } from '../../model_io/sampling';
import type { TrainingSession } from '../../training/session';
import type { TrainingSnapshot } from '../../training/types';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand, CliIo } from '../command';
import { diagnosisLines } from '../diagnosis_lines';
import { ENGINE_HELP, engineFlag } from '../engine_flag';

export const FLAGS: Record<string, FlagSpec> = {
  help: { type: 'boolean', help: 'show this help' },
  out: { type: 'string', help: 'folder to write model.safetensors, model.json, model.onnx, the two Python scripts and metrics.json into (required)' },
  json: { type: 'boolean', help: 'print one JSON line per epoch on stdout: {epoch, trainLoss, valLoss, learningRate, elapsedMs}' },
  config: { type: 'string', help: 'a previous run\'s model.json: reuse its data choices and settings (options given here override them)' },
  task: { type: 'string', help: 'forecast, classify-sequences, classify-text or generate (default: the task `inspect` suggests; generate for a .txt file)' },
  target: { type: 'string', help: 'forecast: the column(s) to predict, comma-separated' },
  inputs: { type: 'string', help: 'forecast: more numeric input columns; sequences: the value columns (comma-separated)' },
  categories: { type: 'string', help: 'forecast: category columns fed one-hot (comma-separated)' },
  calendar: { type: 'string', help: 'forecast: calendar features from the time column: hour, day-of-week, month, day-of-year' },
  time: { type: 'string', help: 'the time column (none: row order)' },
  group: { type: 'string', help: 'the column naming each series or sequence (none: one series)' },
  label: { type: 'string', help: 'classification: the label column' },
  text: { type: 'string', help: 'classify-text, generate from a CSV: the text column' },
  separator: { type: 'string', help: 'generate from a CSV: joins the text column\'s rows (default "\\n", a line break; \\t and \\n are read as tab and line break)' },
  format: { type: 'string', help: 'classify-sequences: wide (one sequence per row) or long (one per group)' },
  window: { type: 'integer', help: 'forecast: past steps per window; long sequences and text: steps (tokens) per input; generate: tokens per training window (default 100 characters, 32 words)' },
  horizon: { type: 'integer', help: 'forecast: steps ahead predicted jointly (default 1)' },
  stride: { type: 'integer', help: 'forecast: steps between window starts (default 1); generate: tokens between training windows (default: the window)' },
  scaling: { type: 'string', help: 'zscore (default) or minmax, fitted on the training part only' },
  transform: { type: 'string', help: 'forecast target transform: none, difference, seasonal-difference, log or window-normalize (default: picked from the training part)' },
  season: { type: 'string', help: 'forecast season in steps (seasonal-naive baseline, seasonal-difference), or none (default: detected)' },
  missing: { type: 'string', help: 'missing values: drop (default), ffill or interpolate' },
  val: { type: 'number', help: 'validation fraction (default 0.2; generate: 0.1)' },
  test: { type: 'number', help: 'test fraction (default 0.1)' },
  tokens: { type: 'string', help: 'classify-text: word (default) or char tokens; generate: char (default) or word' },
  vocab: { type: 'integer', help: 'classify-text, generate: vocabulary size with the padding and unknown tokens' },
  embedding: { type: 'integer', help: 'classify-text, generate: embedding size (default 32)' },
  'keep-case': { type: 'boolean', help: 'classify-text: do not lowercase the texts' },
  cell: { type: 'string', help: 'lstm (default), gru or rnn' },
  layers: { type: 'integer', help: 'stacked recurrent layers, 1 to 4 (default 1)' },
  hidden: { type: 'integer', help: 'hidden units per layer (default 32)' },
  bidirectional: { type: 'boolean', help: 'read each window both ways' },
  dropout: { type: 'number', help: 'dropout between stacked layers, 0 to 0.95 (default 0)' },
  head: { type: 'string', help: 'last-step (default) or every-step (forecast with horizon 1: every step predicts the value after it)' },
  optimizer: { type: 'string', help: 'adam (default), adamw or sgd' },
  lr: { type: 'number', help: 'learning rate (default 0.01)' },
  batch: { type: 'integer', help: 'samples per step (default 32)' },
  epochs: { type: 'integer', help: 'passes over the training samples (default 20)' },
  clip: { type: 'number', help: 'clip gradients to this global norm (default 0: off)' },
  'weight-decay': { type: 'number', help: 'L2 weight decay, or decoupled decay with adamw (default 0)' },
  'class-weights': { type: 'string', help: "classifiers: none (default) or balanced (cross-entropy weighs class c by N / (C n_c) from the training split's counts, as torch's CrossEntropyLoss(weight=...))" },
  sample: { type: 'integer', help: 'generate: after each epoch, write this many tokens from the current weights to stderr and metrics.json (temperature 0.8, seed 1; default 0: none)' },
  prime: { type: 'string', help: 'generate: the text --sample starts from (default: a line break)' },
  minutes: { type: 'number', help: 'time budget: stop training when this many minutes have passed (mid-epoch too), then evaluate and write the files as after the last epoch (exit 0)' },
  patience: { type: 'integer', help: 'stop after this many epochs without a better validation loss, keeping the best weights (default 0: off)' },
  seed: { type: 'integer', help: 'seeds the initial weights, batch order, dropout and the class split (default 42)' },
  engine: { type: 'string', help: ENGINE_HELP },
};

const USAGE = 'Usage: lstm-playground train FILE.csv|FILE.txt --out DIR [options]';
const SUMMARY =
  'Trains an LSTM, GRU or RNN on the CSV file (or, with --task generate, a .txt file) on WebGPU (or the CPU engine: --engine) and writes DIR/model.safetensors, model.json,\n' +
  'model.onnx, load_in_pytorch.py, train_pytorch.py and metrics.json (per-epoch losses, final validation and test\n' +
  'metrics in original units, and the baselines on the same splits). A progress bar goes to stderr on a terminal.\n' +
  'Exit codes: 0 trained; 1 unreadable or unusable data, or a failed run; 2 bad options; 3 the loss became non-finite\n' +
  '(the last good weights are written anyway); 130 interrupted with Ctrl-C (the weights so far are written).';

/** A CliIo that can also write a partial line to stderr (main.ts gives one; tests may). */
export interface ProgressIo extends CliIo {
  progress?: (text: string) => void;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a model on a CSV file and write its weights, ONNX model, scripts and metrics',
  async run(argv, io: ProgressIo) {
    const { flags, positionals } = parseArgs(argv, FLAGS, 'train');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length !== 1) {
      throw new UsageError(`train: name exactly one CSV file${positionals.length > 1 ? ` (got ${positionals.length}: ${positionals.join(' ')})` : ''}.\n${USAGE}`);
    }
    if (typeof flags.out !== 'string' || flags.out.trim() === '') throw new UsageError(`train: --out DIR is required (the folder for the model files).\n${USAGE}`);
    if (flags.minutes !== undefined && !((flags.minutes as number) > 0)) throw new UsageError(`train: --minutes must be more than 0 (got ${flags.minutes})`);
    if (flags.patience !== undefined && (flags.patience as number) < 0) throw new UsageError(`train: --patience must be 0 or more (got ${flags.patience})`);
    const engine = engineFlag(flags.engine, 'train');
    const previous = typeof flags.config === 'string' ? readPrevious(flags.config) : null;
    try {
      mkdirSync(flags.out, { recursive: true }); // fail now, not after training, when the folder cannot be made
    } catch (e) {
      io.err(`train: cannot create the output folder ${flags.out}: ${(e as Error).message}`);
      return 1;
    }
    const csv = positionals[0];
    const plainText = isPlainTextName(csv);
    const task = flags.task !== undefined ? String(flags.task).toLowerCase() : plainText ? 'generate' : previous?.task;
    if (plainText && task !== 'generate') throw new UsageError(`train: ${csv} is a plain-text file, which trains only --task generate (got --task ${task}).`);
    let config = configFromFlags(flags, previous, task === 'generate' ? 'generate' : undefined);
    if (task === 'generate' && config.bidirectional) throw new UsageError('train: --bidirectional does not apply to generate: a model that writes text reads left to right.');
    try {
      let table: DataTable | null = null;
      let choices: TrainingChoices;
      let set;
      if (plainText) {
        const generate = generateChoicesFromFlags(null, flags, previous?.task === 'generate' ? generateChoicesFromManifest(previous) : null);
        generate.seed = config.seed;
        choices = generate;
        set = buildGenerateSet(readText(csv), generate);
      } else {
        table = await parseCsvPath(csv);
        choices = choicesFromFlags(table, flags, previous);
        choices.seed = config.seed;
        // A head on every step reads plain targets: no transform unless one is asked for.
        if (choices.task === 'forecast' && config.headOn === 'every_step' && choices.transform === undefined) choices.transform = 'none';
        set = buildTrainingSet(table, choices);
      }
      const headProblem = config.headOn === 'every_step' ? everyStepProblem(set) : null;
      if (headProblem) throw new UsageError(`train: --head every-step: ${headProblem}`);
      const defaultVal = choices.task === 'generate' ? DEFAULT_LM_FRACTIONS.validation : 0.2;
      config = { ...config, ...trainConfigFields(set, config.headOn), valFraction: choices.valFraction ?? defaultVal };
      checkConfig(config);
      // What the data decided (season, transform and why, padding …): said before training, as the page's summary does.
      for (const note of set.notes) io.err(`data: ${note}`);
      let session: TrainingSession | null = null;
      let outOfTime = false;
      const interrupt = () => session?.stop();
      process.once('SIGINT', interrupt);
      const minutes = flags.minutes as number | undefined;
      const budget = minutes === undefined ? null : setTimeout(() => ((outOfTime = true), session?.stop()), minutes * 60_000);
      const bar = progressBar(io);
      try {
        const outcome = await runTraining({
          table,
          choices,
          set,
          config,
          datasetName: basename(csv),
          outDir: flags.out,
          patience: (flags.patience as number | undefined) ?? 0,
          onSession: (s) => (session = s),
          engine,
          onEngine: (line) => io.err(line),
          ...(sampleFlags(flags, choices.task) ?? {}),
          onSample: (s) => io.err(`sample after epoch ${s.epoch}:\n${s.prime}${s.text}\n`),
          onSnapshot: bar.update,
          onEpoch: (r, s) => {
            bar.clear();
            if (flags.json) io.out(JSON.stringify({ epoch: r.epoch, trainLoss: num(r.trainLoss), valLoss: num(r.valLoss), learningRate: r.learningRate, elapsedMs: Math.round(s.elapsedMs) }));
            else io.err(`epoch ${r.epoch}/${s.epochs}  train loss ${fmt(r.trainLoss)}  validation loss ${fmt(r.valLoss)}  lr ${fmt(r.learningRate)}`);
          },
        });
        bar.clear();
        if (outcome.reason === 'failed') {
          const lm = set.task === 'generate' && /over this GPU's limit/.test(outcome.message ?? '');
          const hint = lm ? ` A text model's every-step logits take batch × window × vocabulary (${config.batchSize} × ${config.window} × ${set.vocabSize}) floats: lower --vocab, --window or --batch.` : '';
          io.err(`train: training failed: ${outcome.message ?? 'unknown error'}${hint}`);
          return 1;
        }
        const timedOut = outOfTime && outcome.reason === 'stopped';
        if (timedOut) io.err(`train: stopped by the --minutes budget (${minutes} min) after ${((outcome.metrics?.elapsedMs ?? 0) / 1000).toFixed(0)} s of training; the files hold the weights at that point`);
        else if (outcome.message) io.err(`train: ${outcome.message}`);
        for (const note of outcome.notes ?? []) io.err(`train: ${note}`);
        const summary = summarize(outcome.metrics!, flags.out);
        if (flags.json) io.err(summary);
        else io.out(summary);
        const diagnosis = diagnosisLines(outcome.metrics!.diagnosis ?? []);
        if (flags.json) io.err(diagnosis);
        else io.out(diagnosis);
        return outcome.reason === 'diverged' ? 3 : outcome.reason === 'stopped' && !timedOut ? 130 : 0;
      } finally {
        if (budget) clearTimeout(budget);
        bar.clear();
        process.removeListener('SIGINT', interrupt);
      }
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      io.err(`train: ${e.message.includes(csv) ? '' : `${csv}: `}${e.message}`);
      return 1;
    }
  },
};

export /** --sample N (and --prime) as per-epoch sampling options, for the generate task only. */
function sampleFlags(flags: Record<string, unknown>, task: string) {
  const length = flags.sample as number | undefined;
  if (flags.prime !== undefined && length === undefined) throw new UsageError('train: --prime needs --sample N (the tokens to write after each epoch).');
  if (length === undefined || length === 0) return null;
  if (task !== 'generate') throw new UsageError('train: --sample is for --task generate.');
  if (length < 0) throw new UsageError(`train: --sample must be 0 or more (got ${length})`);
  return { sampleEachEpoch: { ...DEFAULT_SAMPLE, length, prime: typeof flags.prime === 'string' ? flags.prime : '' } };
}

/** The UTF-8 text of a .txt file; a DataError for a missing, empty or binary file. */
function readText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(`Cannot read ${path}: ${code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message}.`);
  }
  return decodeTextBytes(bytes, path);
}

export function readPrevious(path: string): ModelManifest {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`train: cannot read --config ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (e as Error).message}`);
  }
  try {
    return parseModelManifest(text);
  } catch (e) {
    if (e instanceof WeightFileError) throw new UsageError(`train: --config ${path}: ${e.message}`);
    throw e;
  }
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
}

/** A one-line bar on stderr (below the per-epoch lines), redrawn with each snapshot, when stderr is a terminal that takes partial lines. */
function progressBar(io: ProgressIo) {
  const active = io.isTty && typeof io.progress === 'function';
  let shown = false;
  return {
    update(s: TrainingSnapshot) {
      if (!active || s.epochs === 0) return;
      const done = s.stepsPerEpoch > 0 ? (s.epoch + s.stepInEpoch / s.stepsPerEpoch) / s.epochs : 0;
      const width = 30;
      const filled = Math.min(width, Math.round(done * width));
      const eta = done > 0 ? (s.elapsedMs * (1 - done)) / done / 1000 : NaN;
      const text =
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] epoch ${Math.min(s.epoch + 1, s.epochs)}/${s.epochs} ` +
        `step ${s.stepInEpoch}/${s.stepsPerEpoch}  loss ${fmt(s.trainLoss)}  val ${fmt(s.valLoss)}` +
        (Number.isFinite(eta) ? `  ${Math.ceil(eta)} s left` : '');
      io.progress!(`${text}\x1b[K`);
      shown = true;
    },
    clear() {
      if (shown) io.progress!('\r\x1b[K');
      shown = false;
    },
  };
}

function summarize(m: MetricsReport, out: string): string {
  const lines = [`Wrote ${out}: model.safetensors, model.json, model.onnx, load_in_pytorch.py, train_pytorch.py, metrics.json.`];
  const show = (name: string, s: MetricsReport['validation']) => {
    if (!s) return;
    if ('perplexity' in s) lines.push(`${name}: ${fmt(bitsOf(s))} bits per ${s.bitsPerChar !== undefined ? 'character' : 'token'}, perplexity ${fmt(s.perplexity)}, loss ${fmt(s.loss)} (${s.count} next-token predictions)`);
    else if ('mse' in s) lines.push(`${name}: MSE ${fmt(s.mse)}, RMSE ${fmt(s.rmse)}, MAE ${fmt(s.mae)} (original units, ${s.count} values)`);
    else lines.push(`${name}: accuracy ${fmt(s.accuracy)}, macro F1 ${fmt(s.macroF1)} (${s.count} samples)`);
  };
  show('Validation', m.validation);
  for (const b of m.baselines) {
    const v = b.validation;
    if (!v) continue;
    const text = 'perplexity' in v ? `${fmt(bitsOf(v))} bits per ${v.bitsPerChar !== undefined ? 'character' : 'token'}, perplexity ${fmt(v.perplexity)}` : 'mse' in v ? `MSE ${fmt(v.mse)}, RMSE ${fmt(v.rmse)}, MAE ${fmt(v.mae)}` : `accuracy ${fmt(v.accuracy)}`;
    lines.push(`  baseline ${b.name}: ${text}`);
  }
  show('Test', m.test);
  return lines.join('\n');
}
