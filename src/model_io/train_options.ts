// Turns `train` command-line options (and an optional previous model.json) into data choices and a TrainConfig.
import { UsageError } from '../util/usage_error';
import { CALENDAR_FEATURES } from '../data/calendar_features';
import type { MissingPolicy } from '../data/missing_values';
import { guessShape } from '../data/dataset_shape';
import { forecastDefaults } from '../data/forecast_defaults';
import { TRANSFORM_NAMES, type TransformName } from '../data/target_transform';
import { suggestedChoices } from '../data/training_set';
import type { DataTable } from '../data/table';
import type { CalendarFeature, ForecastChoices, GenerateChoices, SequenceChoices, TextChoices, TrainingChoices } from '../data/training_types';
import { DEFAULT_CONFIG, validateConfig, type TrainConfig } from '../engine/config';
import type { ModelManifest } from '../export/manifest';
import { choicesFromManifest } from './data_description';

export type Flags = Record<string, string | number | boolean>;
type Task = TrainingChoices['task'];

const TASKS: Task[] = ['forecast', 'classify-sequences', 'classify-text', 'generate'];

/** Which data options apply to which task (model options apply to all). */
const DATA_FLAGS: Record<string, Task[]> = {
  target: ['forecast'],
  categories: ['forecast'],
  calendar: ['forecast'],
  horizon: ['forecast'],
  stride: ['forecast', 'generate'],
  inputs: ['forecast', 'classify-sequences'],
  time: ['forecast', 'classify-sequences'],
  group: ['forecast', 'classify-sequences'],
  scaling: ['forecast', 'classify-sequences'],
  transform: ['forecast'],
  season: ['forecast'],
  missing: ['forecast', 'classify-sequences'],
  format: ['classify-sequences'],
  label: ['classify-sequences', 'classify-text'],
  text: ['classify-text', 'generate'],
  tokens: ['classify-text', 'generate'],
  vocab: ['classify-text', 'generate'],
  embedding: ['classify-text', 'generate'],
  separator: ['generate'],
  'keep-case': ['classify-text'],
  window: TASKS,
  val: TASKS,
  test: TASKS,
};

/** The model a text-generation run starts from when no option or previous model says otherwise (README: "Text generation"). */
export const GENERATE_DEFAULTS: Partial<TrainConfig> = { hiddenSize: 128, epochs: 10, clipNorm: 5, learningRate: 0.01 };

/** Model option → TrainConfig field, for setting it and for naming the option in validation messages. */
export const CONFIG_FLAGS: Record<string, keyof TrainConfig> = {
  cell: 'cell',
  layers: 'numLayers',
  hidden: 'hiddenSize',
  bidirectional: 'bidirectional',
  dropout: 'dropout',
  head: 'headOn',
  optimizer: 'optimizer',
  lr: 'learningRate',
  batch: 'batchSize',
  epochs: 'epochs',
  clip: 'clipNorm',
  'weight-decay': 'weightDecay',
  'class-weights': 'classWeights',
  seed: 'seed',
};

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[], aliases: Record<string, T> = {}): T {
  const v = value.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(aliases, v)) return aliases[v];
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`train: --${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
  return v as T;
}

function missingFlag(value: string): MissingPolicy {
  return oneOf<MissingPolicy>('missing', value, ['drop', 'forward-fill', 'interpolate'], { ffill: 'forward-fill' });
}

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A column name option: it must name a column of the table ("none" turns time/group off where allowed). */
function columnFlag(table: DataTable, flag: string, value: string, noneAllowed = false): string | null {
  if (noneAllowed && value.toLowerCase() === 'none') return null;
  if (!table.columns.some((c) => c.name === value)) {
    const names = table.columns.map((c) => JSON.stringify(c.name)).join(', ');
    throw new UsageError(`train: --${flag} names ${JSON.stringify(value)}, which is not a column of the file. The columns are: ${names}.`);
  }
  return value;
}

function columnList(table: DataTable, flag: string, value: string): string[] {
  const names = list(value);
  if (names.length === 0) throw new UsageError(`train: --${flag} needs at least one column name (comma-separated)`);
  names.forEach((n) => columnFlag(table, flag, n));
  return names;
}

/** Choices of `task` to start from: the previous run's (same task), the suggestion, or built from the guessed shape. */
function startingChoices(table: DataTable, task: Task, previous: TrainingChoices | null, flags: Flags): TrainingChoices {
  if (previous?.task === task) return previous;
  const shape = guessShape(table);
  if (shape.suggestedTask === task) return suggestedChoices(table);
  if (task === 'forecast') {
    const target = flags.target ? list(String(flags.target))[0] : shape.valueColumns.at(-1);
    if (!target) throw new UsageError('train: name the column to forecast with --target (no numeric column was found to suggest).');
    return { task, targets: [target], timeColumn: shape.timeColumn, groupColumn: shape.groupColumn, window: 1, horizon: 1 };
  }
  const label = flags.label === undefined ? shape.labelColumn : String(flags.label);
  if (!label) throw new UsageError(`train: name the label column with --label (no column looks like class labels).`);
  if (task === 'classify-text') {
    const text = flags.text === undefined ? shape.textColumn : String(flags.text);
    if (!text) throw new UsageError('train: name the text column with --text (no column looks like free text).');
    return { task, textColumn: text, labelColumn: label };
  }
  return shape.groupColumn
    ? { task, format: 'long', labelColumn: label, groupColumn: shape.groupColumn, timeColumn: shape.timeColumn }
    : { task, format: 'wide', labelColumn: label };
}

/**
 * The data choices for this run: --task (or the previous model's task, or the suggested one), starting from the
 * previous model's choices or the suggestion, with every data option applied on top. Bad values are UsageErrors.
 */
export function choicesFromFlags(table: DataTable, flags: Flags, previous: ModelManifest | null): TrainingChoices {
  const before = previous ? choicesFromManifest(previous) : null;
  const task: Task = flags.task !== undefined ? oneOf('task', String(flags.task), TASKS) : (before?.task ?? suggestedChoices(table).task);
  for (const [flag, tasks] of Object.entries(DATA_FLAGS)) {
    if (flags[flag] !== undefined && !tasks.includes(task)) {
      throw new UsageError(`train: --${flag} does not apply to ${task} (it is for ${tasks.join(' or ')})`);
    }
  }
  if (task === 'generate') return generateChoicesFromFlags(table, flags, before?.task === 'generate' ? before : null);
  const c = { ...startingChoices(table, task, before, flags) } as Exclude<TrainingChoices, GenerateChoices>;
  if (flags.val !== undefined) c.valFraction = flags.val as number;
  if (flags.test !== undefined) c.testFraction = flags.test as number;
  if (c.task === 'forecast') {
    applyForecast(table, c, flags);
    if (before === null) applyForecastDefaults(table, c, flags);
  }
  else if (c.task === 'classify-sequences') applySequence(table, c, flags);
  else applyText(table, c, flags);
  const window = flags.window as number | undefined;
  if (window !== undefined) {
    if (c.task === 'forecast') c.window = window;
    else if (c.task === 'classify-text' || c.format === 'long') c.length = window;
    else throw new UsageError('train: --window does not apply to wide sequences (each row\'s value columns are its steps); choose them with --inputs');
  }
  return c;
}

function applyForecast(table: DataTable, c: ForecastChoices, f: Flags): void {
  if (f.target !== undefined) c.targets = columnList(table, 'target', String(f.target));
  if (f.inputs !== undefined) c.inputs = columnList(table, 'inputs', String(f.inputs));
  if (f.categories !== undefined) c.categories = columnList(table, 'categories', String(f.categories));
  if (f.calendar !== undefined) c.calendar = list(String(f.calendar)).map((p) => oneOf<CalendarFeature>('calendar', p, CALENDAR_FEATURES));
  if (f.time !== undefined) c.timeColumn = columnFlag(table, 'time', String(f.time), true);
  if (f.group !== undefined) c.groupColumn = columnFlag(table, 'group', String(f.group), true);
  if (f.horizon !== undefined) c.horizon = f.horizon as number;
  if (f.stride !== undefined) c.stride = f.stride as number;
  if (f.scaling !== undefined) c.scaling = oneOf('scaling', String(f.scaling), ['zscore', 'minmax'] as const);
  if (f.missing !== undefined) c.missing = missingFlag(String(f.missing));
  if (f.transform !== undefined) c.transform = oneOf<TransformName>('transform', String(f.transform), TRANSFORM_NAMES);
  if (f.season !== undefined) c.season = seasonFlag(String(f.season));
}

function seasonFlag(value: string): number | null {
  if (value.toLowerCase() === 'none') return null;
  const m = Number(value);
  if (!Number.isInteger(m) || m < 1) throw new UsageError(`train: --season must be a whole number of steps of at least 1, or none (got "${value}")`);
  return m;
}

/** A new forecast's window and calendar features from the data (forecast_defaults.ts), where no option set them. */
function applyForecastDefaults(table: DataTable, c: ForecastChoices, f: Flags): void {
  const d = forecastDefaults(table, { target: c.targets[0], timeColumn: c.timeColumn ?? null, groupColumn: c.groupColumn ?? null, valFraction: c.valFraction, testFraction: c.testFraction });
  if (f.window === undefined) c.window = d.window;
  if (f.calendar === undefined) {
    if (d.calendar.length > 0) c.calendar = d.calendar;
    else delete c.calendar;
  }
}

function applySequence(table: DataTable, c: SequenceChoices, f: Flags): void {
  if (f.format !== undefined) c.format = oneOf('format', String(f.format), ['wide', 'long'] as const);
  if (f.label !== undefined) c.labelColumn = columnFlag(table, 'label', String(f.label))!;
  if (f.inputs !== undefined) c.valueColumns = columnList(table, 'inputs', String(f.inputs));
  if (f.time !== undefined) c.timeColumn = columnFlag(table, 'time', String(f.time), true);
  if (f.group !== undefined) c.groupColumn = columnFlag(table, 'group', String(f.group), true);
  if (f.scaling !== undefined) c.scaling = oneOf('scaling', String(f.scaling), ['zscore', 'minmax'] as const);
  if (f.missing !== undefined) c.missing = missingFlag(String(f.missing));
  if (c.format === 'long' && !c.groupColumn) throw new UsageError('train: long-format sequences need the column naming each sequence: add --group COLUMN (or --format wide)');
}

function applyText(table: DataTable, c: TextChoices, f: Flags): void {
  if (f.text !== undefined) c.textColumn = columnFlag(table, 'text', String(f.text))!;
  if (f.label !== undefined) c.labelColumn = columnFlag(table, 'label', String(f.label))!;
  if (f.tokens !== undefined) c.tokens = oneOf('tokens', String(f.tokens), ['word', 'char'] as const);
  if (f.vocab !== undefined) c.maxVocab = f.vocab as number;
  if (f.embedding !== undefined) c.embeddingSize = f.embedding as number;
  if (f['keep-case']) c.lowercase = false;
}

/**
 * Text generation choices: from a .txt file (table null: the whole text) or a CSV's text column (--text, or the
 * column that looks like free text, rows joined by --separator), starting from a previous model's choices.
 */
export function generateChoicesFromFlags(table: DataTable | null, flags: Flags, previous: GenerateChoices | null): GenerateChoices {
  for (const [flag, tasks] of Object.entries(DATA_FLAGS)) {
    if (flags[flag] !== undefined && !tasks.includes('generate')) throw new UsageError(`train: --${flag} does not apply to generate (it is for ${tasks.join(' or ')})`);
  }
  const c: GenerateChoices = previous ? { ...previous } : { task: 'generate' };
  if (table) {
    if (flags.text !== undefined) c.textColumn = columnFlag(table, 'text', String(flags.text));
    else if (!c.textColumn) {
      const guess = guessShape(table).textColumn ?? table.columns.find((col) => col.kind === 'text')?.name;
      if (!guess) throw new UsageError('train: name the text column to learn to write from with --text (no column holds text).');
      c.textColumn = guess;
    }
    if (flags.separator !== undefined) c.separator = unescapeSeparator(String(flags.separator));
  } else {
    if (flags.text !== undefined || flags.separator !== undefined) throw new UsageError('train: --text and --separator are for a CSV file; a .txt file is read whole.');
    c.textColumn = null;
  }
  if (flags.tokens !== undefined) c.tokens = oneOf('tokens', String(flags.tokens), ['char', 'word'] as const);
  if (flags.vocab !== undefined) c.maxVocab = flags.vocab as number;
  if (flags.embedding !== undefined) c.embeddingSize = flags.embedding as number;
  if (flags.window !== undefined) c.window = flags.window as number;
  if (flags.stride !== undefined) c.stride = flags.stride as number;
  if (flags.val !== undefined) c.valFraction = flags.val as number;
  if (flags.test !== undefined) c.testFraction = flags.test as number;
  return c;
}

/** "\n", "\t" and "\\" in a separator typed on the command line as the characters they name. */
function unescapeSeparator(value: string): string {
  return value.replace(/\\(n|t|\\)/g, (_m, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : '\\'));
}

/**
 * The model settings before the data fills in its fields: the previous model's config or the defaults, with every
 * model option applied. Throws a UsageError naming the option for values out of range.
 */
export function configFromFlags(flags: Flags, previous: ModelManifest | null, task?: Task): TrainConfig {
  const config: TrainConfig = { ...(previous?.config ?? (task === 'generate' ? { ...DEFAULT_CONFIG, ...GENERATE_DEFAULTS } : DEFAULT_CONFIG)) };
  const set = config as unknown as Record<string, unknown>;
  for (const [flag, field] of Object.entries(CONFIG_FLAGS)) {
    const v = flags[flag];
    if (v === undefined) continue;
    if (flag === 'cell') set[field] = oneOf('cell', String(v), ['lstm', 'gru', 'rnn'] as const);
    else if (flag === 'optimizer') set[field] = oneOf('optimizer', String(v), ['adam', 'adamw', 'sgd'] as const);
    else if (flag === 'head') set[field] = oneOf('head', String(v), ['last_step', 'every_step'] as const, { 'last-step': 'last_step', 'every-step': 'every_step' });
    else if (flag === 'class-weights') set[field] = oneOf('class-weights', String(v), ['none', 'balanced'] as const);
    else set[field] = v;
  }
  // the data decides the loss and the head later (train checks again then): class weights wait for those
  checkConfig(config.classWeights === 'balanced' ? { ...config, classWeights: 'none' } : config);
  return config;
}

/** validateConfig's problems as a UsageError that names the command-line option of each field. */
export function checkConfig(config: TrainConfig): void {
  const problems = validateConfig(config);
  if (problems.length === 0) return;
  const byField = new Map(Object.entries(CONFIG_FLAGS).map(([flag, field]) => [field as string, flag]));
  const named = problems.map((p) => {
    const field = /^\w+/.exec(p)?.[0] ?? '';
    const flag = byField.get(field);
    return flag ? `--${flag}: ${p}` : p;
  });
  throw new UsageError(`train: invalid settings: ${named.join('; ')}`);
}
