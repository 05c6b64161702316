// `lstm-playground tune FILE.csv --out DIR --vary NAME=…`: a hyperparameter search (successive halving, random or
// grid) of normal training runs (WebGPU or the CPU engine: --engine); writes trials.csv and the best trial's model files.
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { parseCsvPath } from '../../data/csv_node';
import { DataError } from '../../data/data_error';
import { everyStepProblem } from '../../data/step_targets';
import { buildTrainingSet, trainConfigFields } from '../../data/training_set';
import type { TrainingChoices, TrainingSet } from '../../data/training_types';
import { requestNodeDevice } from '../../gpu/node_device';
import { checkConfig, choicesFromFlags, configFromFlags } from '../../model_io/train_options';
import { TRIALS_FILE, writeBestTrial, writeTrialsCsv } from '../../model_io/tune_files';
import { headlessEngines } from '../../model_io/headless_engines';
import { engineFlag } from '../engine_flag';
import { trainingDataOf } from '../../training/from_training_set';
import { describeSettings, TuneRunner } from '../../training/tune_runner';
import { transformRanking } from '../../training/tune_scale';
import { choicesFor, dataKey, describeDataSettings, parseVary, spaceProblem, TuneSpaceError, type TrialSettings, type VarySpec } from '../../training/tune_space';
import { GRID_POINTS_PER_RANGE, TUNE_STRATEGIES, DEFAULT_TRIALS, type TuneStrategy } from '../../training/tune_strategy';
import { helpText, parseArgs, UsageError, type FlagSpec } from '../args';
import type { CliCommand, CliIo } from '../command';
import { FLAGS as TRAIN_FLAGS, readPrevious } from './train';

const FLAGS: Record<string, FlagSpec> = {
  help: TRAIN_FLAGS.help,
  out: { type: 'string', help: `folder to write ${TRIALS_FILE} and the best trial's model files into, under the names train --out uses (required)` },
  vary: {
    type: 'string',
    help:
      'a setting to search, repeatable: NAME=a,b,c (a list) or NAME=lo..hi (a range: log scale for lr and weight-decay, ' +
      'whole numbers for hidden, layers, window and batch). NAME is one of cell, hidden, layers, window, lr, dropout, batch, weight-decay, ' +
      'transform (a forecast\'s target transform: none, difference, seasonal-difference, log, window-normalize)',
  },
  strategy: { type: 'string', help: `halving (default: successive halving), random, or grid (every combination; a range gives ${GRID_POINTS_PER_RANGE} points: both ends and the middle)` },
  trials: { type: 'integer', help: `trials to sample (random, halving; default ${DEFAULT_TRIALS}), or the most grid points to run (default all)` },
  minutes: { type: 'number', help: 'time budget: no trial starts after it, and the running one stops when it passes' },
  eta: { type: 'integer', help: 'halving: keep the best 1/eta of each rung (2, the default, or 3)' },
  json: { type: 'boolean', help: 'print one JSON line per finished trial on stdout: {trial, settings, bestValLoss, epochs, seconds, status, valLosses: the validation loss of each epoch trained}' },
  ...Object.fromEntries(Object.entries(TRAIN_FLAGS).filter(([n]) => !['help', 'out', 'json'].includes(n))),
  epochs: { type: 'integer', help: 'the most epochs any trial trains (default 20); halving trains most trials fewer' },
};

const USAGE = 'Usage: lstm-playground tune FILE.csv --out DIR --vary NAME=VALUES [--vary …] [--strategy halving|random|grid] [--trials N] [--minutes M] [train options]';
const SUMMARY =
  'Searches model settings: each trial is a normal training run with the same data and split (rebuilt only when the\n' +
  'window or the transform varies), ranked by its best validation loss. Successive halving (the default) trains every\n' +
  'trial a few epochs, keeps the best half (1/eta) and continues those from their own checkpoint, up to --epochs.\n' +
  'Every data and training option of `train` applies to all trials. Writes DIR/trials.csv (trial, one column per varied\n' +
  'setting, best_val_loss, epochs, seconds, status) and the best trial\'s model.safetensors, model.json, model.onnx,\n' +
  'scripts and metrics.json.\n' +
  'When the forecast transform varies (--vary transform=none,difference), each transform trains on its own scale, so\n' +
  'trials are ranked, and best_val_loss reported, on a common one: the validation MSE of the decoded forecasts in the\n' +
  'target\'s normalized original units (the loss a run with transform none has; its trials keep their own loss).\n' +
  'The same --seed gives the same trials. Exit codes: 0 done; 1 unusable data, or no trial finished an epoch; 2 bad\n' +
  'options; 130 interrupted with Ctrl-C (trials.csv and the best trial so far are written).';

/** Takes every --vary out of argv (parseArgs keeps one value per flag). */
function takeVary(argv: string[]): { rest: string[]; vary: string[] } {
  const rest: string[] = [];
  const vary: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--vary') {
      if (argv[i + 1] === undefined) throw new UsageError('tune: --vary needs a value (NAME=a,b,c or NAME=lo..hi)');
      vary.push(argv[++i]);
    } else if (a.startsWith('--vary=')) vary.push(a.slice('--vary='.length));
    else rest.push(a);
  }
  return { rest, vary };
}

/** A train-option error says "train:"; here it is tune's. */
function asTune<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.message.replace(/^train:/, 'tune:'));
    if (e instanceof TuneSpaceError) throw new UsageError(`tune: ${e.message}`);
    throw e;
  }
}

function checkSpace(space: VarySpec[], choices: TrainingChoices, flags: Record<string, unknown>): void {
  for (const v of space) {
    if (flags[v.name] !== undefined) throw new UsageError(`tune: --${v.name} and --vary ${v.name}=… are both given: drop one (a varied setting takes its values from --vary)`);
  }
  const problem = spaceProblem(space, choices);
  if (problem) throw new UsageError(`tune: ${problem}`);
}

export const tuneCommand: CliCommand = {
  name: 'tune',
  summary: 'search model settings (successive halving, random or grid) and keep the best trial\'s model',
  async run(argv, io: CliIo) {
    const taken = takeVary(argv);
    const { flags, positionals } = parseArgs(taken.rest, FLAGS, 'tune');
    if (flags.help) {
      io.out(helpText(USAGE, SUMMARY, FLAGS));
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`tune: name exactly one CSV file${positionals.length > 1 ? ` (got ${positionals.length}: ${positionals.join(' ')})` : ''}.\n${USAGE}`);
    if (typeof flags.out !== 'string' || flags.out.trim() === '') throw new UsageError(`tune: --out DIR is required (the folder for trials.csv and the best model).\n${USAGE}`);
    if (taken.vary.length === 0) throw new UsageError(`tune: name at least one setting to search with --vary (e.g. --vary hidden=16,32,64 --vary lr=1e-3..3e-2).\n${USAGE}`);
    if (flags.patience !== undefined && (flags.patience as number) < 0) throw new UsageError(`tune: --patience must be 0 or more (got ${flags.patience})`);
    const strategy = String(flags.strategy ?? 'halving').toLowerCase() as TuneStrategy;
    if (!TUNE_STRATEGIES.includes(strategy)) throw new UsageError(`tune: --strategy must be one of ${TUNE_STRATEGIES.join(', ')} (got "${flags.strategy}")`);
    if (flags.trials !== undefined && (flags.trials as number) < 1) throw new UsageError(`tune: --trials ${flags.trials} is too small a budget: at least 1 trial`);
    if (flags.minutes !== undefined && !((flags.minutes as number) > 0)) throw new UsageError(`tune: --minutes ${flags.minutes} is too small a budget: give more than 0 minutes`);
    const space = taken.vary.map((text) => asTune(() => parseVary(text)));
    const previous = typeof flags.config === 'string' ? asTune(() => readPrevious(String(flags.config))) : null;
    const out = flags.out;
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      io.err(`tune: cannot create the output folder ${out}: ${(e as Error).message}`);
      return 1;
    }
    let config = asTune(() => configFromFlags(flags, previous));
    const csv = positionals[0];
    const datasetName = basename(csv);
    try {
      const table = await parseCsvPath(csv);
      const choices = asTune(() => choicesFromFlags(table, flags, previous));
      choices.seed = config.seed;
      checkSpace(space, choices, flags);
      const set = buildTrainingSet(table, choices);
      const headProblem = config.headOn === 'every_step' ? everyStepProblem(set) : null;
      if (headProblem) throw new UsageError(`tune: --head every-step: ${headProblem}`);
      config = { ...config, ...trainConfigFields(set, config.headOn), valFraction: choices.valFraction ?? 0.2 };
      asTune(() => checkConfig(config));
      const sets = new Map<string, { choices: TrainingChoices; set: TrainingSet }>([[dataKey({}), { choices, set }]]);
      const setFor = (s: TrialSettings) => {
        const key = dataKey(s);
        let entry = sets.get(key);
        if (!entry) {
          const c = choicesFor(choices, s);
          try {
            entry = { choices: c, set: buildTrainingSet(table, c) };
          } catch (e) {
            if (e instanceof DataError && s.transform !== undefined) throw new UsageError(`tune: transform=${s.transform} cannot be searched on ${csv}${s.window !== undefined ? ` with window=${s.window}` : ''}: ${e.message}`);
            if (e instanceof DataError) throw new DataError(`${describeDataSettings(s)}: ${e.message}`);
            throw e;
          }
          sets.set(key, entry);
        }
        return entry;
      };
      // A varied transform: every listed one must build on this data, and trials rank on a common scale.
      const rankScale = transformRanking(space, (s) => setFor(s).set);
      const engine = engineFlag(flags.engine, 'tune');
      const { engines, release } = await headlessEngines(engine, requestNodeDevice, (line) => io.err(`tune: ${line}`));
      let runner: TuneRunner;
      try {
        runner = asTune(
          () =>
            new TuneRunner({
              search: { strategy, space, trials: flags.trials as number | undefined, maxEpochs: config.epochs, seed: config.seed, eta: flags.eta as number | undefined },
              baseConfig: config,
              trialData: (s) => {
                const e = setFor(s);
                return trainingDataOf(e.set, [datasetName, JSON.stringify(e.choices)], config.headOn);
              },
              engines,
              rankScale,
              minutes: flags.minutes as number | undefined,
              patience: (flags.patience as number | undefined) ?? 0,
              callbacks: {
                onTrialStart: (job) =>
                  io.err(`trial ${job.trial} (${describeSettings(job.settings)}): ${job.continues ? 'continuing' : 'training'} to epoch ${job.epochs}${runnerRungs() > 1 ? ` (rung ${job.rung + 1} of ${runnerRungs()})` : ''}`),
                onTrialEnd: (r) => io.err(`trial ${r.trial}: ${r.status}, best validation loss ${fmt(r.bestValLoss)} after ${r.epochs} epochs (${r.seconds.toFixed(1)} s)`),
                onTrialDone: (r) => {
                  if (flags.json) io.out(JSON.stringify({ trial: r.trial, settings: r.settings, bestValLoss: num(r.bestValLoss), epochs: r.epochs, seconds: Number(r.seconds.toFixed(3)), status: r.status, valLosses: r.history.filter((h) => h.epoch > 0).map((h) => num(h.valLoss)) }));
                },
              },
            }),
        );
        for (const t of runner.search.trials) setFor(t); // every trial's data now, so a window or transform the data cannot take fails before training
      } catch (e) {
        release();
        throw e;
      }
      const runnerRungs = () => runner.search.rungs.length;
      const interrupt = () => runner.stop();
      process.once('SIGINT', interrupt);
      try {
        const result = await asTuneAsync(() => runner.start());
        const settings = space.map((v) => v.name);
        const path = writeTrialsCsv(out, settings, result.trials);
        if (result.best === null) {
          const why = result.reason === 'minutes' ? `the --minutes budget (${flags.minutes}) ran out before any trial finished an epoch: raise --minutes` : result.reason === 'stopped' ? 'the search was stopped before any trial finished an epoch' : 'every trial failed (see above)';
          io.err(`tune: no trial to keep: ${why}. Wrote ${path}.`);
          return result.reason === 'stopped' ? 130 : 1;
        }
        const best = result.trials.find((t) => t.trial === result.best)!;
        const e = setFor(best.settings);
        const written = await writeBestTrial({ dir: out, table, choices: e.choices, set: e.set, checkpoint: runner.checkpointOf(best.trial)!, datasetName, patience: (flags.patience as number | undefined) ?? 0, engine });
        if (written.reason === 'failed') {
          io.err(`tune: the best trial's model files could not be written: ${written.message ?? 'unknown error'}. Wrote ${path}.`);
          return 1;
        }
        for (const note of written.notes ?? []) io.err(`tune: ${note}`);
        const ended = result.reason === 'minutes' ? ' (the --minutes budget ended it)' : result.reason === 'stopped' ? ' (stopped)' : '';
        io.err(`Ran ${result.trials.length} trials in ${(result.elapsedMs / 1000).toFixed(1)} s${ended}.`);
        const line = `Best: trial ${best.trial} (${describeSettings(best.settings)}), validation loss ${fmt(best.bestValLoss)} after ${best.epochs} epochs. Wrote ${path} and its model files in ${out}.`;
        if (flags.json) io.err(line);
        else io.out(line);
        return result.reason === 'stopped' ? 130 : 0;
      } finally {
        process.removeListener('SIGINT', interrupt);
        release();
      }
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      io.err(`tune: ${e.message.includes(csv) ? '' : `${csv}: `}${e.message}`);
      return 1;
    }
  },
};

async function asTuneAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof TuneSpaceError) throw new UsageError(`tune: ${e.message}`);
    throw e;
  }
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

function fmt(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toPrecision(4);
}
