// model.json: the ModelManifest type (config, data description, normalization, metrics, versions) and its one builder.
import packageJson from '../../package.json';
import { validateConfig, type TrainConfig } from '../engine/config';
import { mixesTime, transformProblem, type ForecastTransform } from '../data/target_transform';
import { stateDictShapes } from './state_dict';

export const MODEL_FORMAT = 'lstm-playground/model';
export const MODEL_FORMAT_VERSION = 1;
export const APP_VERSION: string = packageJson.version;

export type NormalizationKind = 'zscore' | 'minmax' | 'none';

/**
 * How one input feature or target is scaled: normalized = (raw - a) / b.
 * zscore: a = mean, b = std; minmax: a = min, b = max - min; none: a = 0, b = 1.
 */
export interface FeatureNormalization {
  column: string;
  kind: NormalizationKind;
  a: number;
  b: number;
}

export type ModelTask = 'forecast' | 'classify-sequences' | 'classify-text' | 'generate';
export type ColumnType = 'number' | 'integer' | 'category' | 'text' | 'date';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
}

/**
 * How an input feature is computed from the CSV: the column's numeric value, a one-hot indicator of one category
 * (named "column=value"), or a calendar sine/cosine of the time column (named "hour_sin", …). Calendar positions in
 * the cycle, from the UTC time: hour (h + min/60 + s/3600) / 24; day-of-week (Sunday = 0, + h/24) / 7;
 * month (month from 0 + (day - 1) / days in the month) / 12; day-of-year (time since 1 January) / 365.25 days;
 * the feature is sin or cos of 2π · position.
 */
export type InputFeature =
  | { name: string; column: string; kind: 'value' }
  | { name: string; column: string; kind: 'onehot'; value: string }
  | { name: string; column: string; kind: 'calendar'; part: CalendarPart; fn: 'sin' | 'cos' };

export type CalendarPart = 'hour' | 'day-of-week' | 'month' | 'day-of-year';

/**
 * Tokens of a text model: id i is tokens[i]; padding and unknown tokens are ids in the list. A text is lowercased
 * (if `lowercase`), split into words (runs of letters/digits with inner apostrophes, and single other non-space
 * characters) or characters (runs of whitespace as one space, trimmed), mapped to ids (unknownId for tokens not in
 * the list), cut to its first `window` tokens and padded with padId on `padSide` up to `window`.
 */
export interface Vocabulary {
  level: 'char' | 'word';
  tokens: string[];
  padId: number;
  unknownId: number;
  lowercase: boolean;
  padSide: 'left' | 'right';
}

/** Everything about the data a model was trained on that a person or a script needs to feed it again. */
export interface DataDescription {
  task: ModelTask;
  dataset: { name: string; rows: number; columns: ColumnSchema[] };
  /** Input feature names in the order of the last input axis (ONNX `input`, features). Text: the text column. */
  inputColumns: string[];
  /** How each input feature is computed; omitted: each feature is the numeric value of the column of that name. */
  features?: InputFeature[];
  /** Regression: the predicted columns; classification: the one label column. */
  targetColumns: string[];
  window: number;
  /** Forecast: predict rows last+1 … last+horizon jointly; output index = step · targetColumns.length + target. */
  horizon: number;
  stride: number;
  timeColumn: string | null;
  /** Long-format series or sequence id: windows never cross a group. */
  groupColumn: string | null;
  /**
   * classify-sequences: one sequence per row ('wide', its values in sequenceColumns) or per group ('long': its last
   * `window` steps, shorter ones padded with zeros (after normalization) at the start).
   */
  layout: 'long' | 'wide';
  sequenceColumns?: string[];
  missing: 'drop' | 'ffill' | 'interpolate';
  /**
   * Forecast: per series, positions before floor(n·(1 - val - test)) train, before floor(n·(1 - test)) validate, the
   * rest test; a window belongs to the part holding all its targets (straddling windows are left out).
   * Classification: stratified by class, seeded with the config's seed.
   */
  split: { valFraction: number; testFraction: number };
  normalization: { inputs: FeatureNormalization[]; targets: FeatureNormalization[] };
  /** Forecast: the target transform (src/data/target_transform.ts defines each); absent means 'none'. */
  transform?: ForecastTransform;
  vocabulary: Vocabulary | null;
  classNames: string[] | null;
  /** generate from a CSV: the text column's rows were joined with this separator (a .txt file is read whole). */
  separator?: string;
}

/** Final metrics in original units (NaN and infinities become null in JSON). */
export type ModelMetrics = Record<string, number | null>;

export interface ModelManifest extends DataDescription {
  format: typeof MODEL_FORMAT;
  config: TrainConfig;
  seed: number;
  /** The state_dict of model.safetensors: key and shape of every tensor, in file order. */
  parameters: { name: string; shape: number[] }[];
  /** What `output` of model.onnx holds: predictions in original units, or class logits (apply softmax for probabilities). */
  output: 'predictions' | 'logits';
  metrics: ModelMetrics;
  versions: { app: string; format: number };
  createdAt: string;
}

export function zscore(column: string, mean: number, std: number): FeatureNormalization {
  return { column, kind: 'zscore', a: mean, b: std };
}

export function minmax(column: string, min: number, max: number): FeatureNormalization {
  return { column, kind: 'minmax', a: min, b: max - min };
}

export function identity(column: string): FeatureNormalization {
  return { column, kind: 'none', a: 0, b: 1 };
}

export function isClassifier(c: Pick<TrainConfig, 'loss'>): boolean {
  return c.loss === 'cross_entropy';
}

/** Builds model.json's content from explicit inputs; throws naming the first inconsistency. */
export function buildModelManifest(
  config: TrainConfig,
  data: DataDescription,
  metrics: Record<string, number> = {},
  createdAt: Date = new Date(),
): ModelManifest {
  const cleanMetrics: ModelMetrics = {};
  for (const [k, v] of Object.entries(metrics)) cleanMetrics[k] = Number.isFinite(v) ? v : null;
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    config: { ...config },
    seed: config.seed,
    ...structuredClone(data),
    parameters: stateDictShapes(config).map(({ key, shape }) => ({ name: key, shape })),
    output: isClassifier(config) ? 'logits' : 'predictions',
    metrics: cleanMetrics,
    versions: { app: APP_VERSION, format: MODEL_FORMAT_VERSION },
    createdAt: createdAt.toISOString(),
  };
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`Cannot describe this model: ${problems.join('; ')}.`);
  return manifest;
}

function checkNormalization(list: FeatureNormalization[], names: string[], what: string, problems: string[]): void {
  if (list.length !== names.length) {
    problems.push(`normalization.${what} has ${list.length} entries but there are ${names.length} ${what} (${names.join(', ')})`);
    return;
  }
  list.forEach((n, i) => {
    const at = `normalization.${what}[${i}] (${JSON.stringify(n.column)})`;
    if (n.column !== names[i]) problems.push(`${at} should describe ${JSON.stringify(names[i])}`);
    if (!['zscore', 'minmax', 'none'].includes(n.kind)) problems.push(`${at} has kind ${JSON.stringify(n.kind)}; use zscore, minmax or none`);
    if (!Number.isFinite(n.a)) problems.push(`${at} has a non-finite offset a (${n.a})`);
    if (!Number.isFinite(n.b) || n.b === 0) problems.push(`${at} has scale b = ${n.b}; it must be finite and non-zero`);
    if (n.kind === 'none' && (n.a !== 0 || n.b !== 1)) problems.push(`${at} is kind none but has a = ${n.a}, b = ${n.b} (expected 0 and 1)`);
  });
}

/** Plain-language inconsistencies between a manifest's config, data description and parameters (empty when valid). */
export function manifestProblems(m: ModelManifest): string[] {
  const c = m.config;
  const problems = validateConfig(c).map((p) => `config.${p}`);
  if (problems.length > 0) return problems;
  if (m.seed !== c.seed) problems.push(`seed ${m.seed} differs from config.seed ${c.seed}`);
  if (m.window !== c.window) problems.push(`window ${m.window} differs from config.window ${c.window}`);
  if (!Number.isInteger(m.horizon) || m.horizon < 0) problems.push(`horizon must be a whole number of steps (got ${m.horizon})`);
  if (!Number.isInteger(m.stride) || m.stride < 1) problems.push(`stride must be a whole number of at least 1 (got ${m.stride})`);
  if (m.inputColumns.length === 0) problems.push('inputColumns is empty');
  if (m.targetColumns.length === 0) problems.push('targetColumns is empty');
  const text = c.vocabSize > 0;
  if (text) {
    if (!m.vocabulary) problems.push(`the model has an embedding of ${c.vocabSize} tokens but no vocabulary`);
    else {
      const v = m.vocabulary;
      if (v.tokens.length !== c.vocabSize) problems.push(`vocabulary has ${v.tokens.length} tokens but config.vocabSize is ${c.vocabSize}`);
      for (const [k, id] of [['padId', v.padId], ['unknownId', v.unknownId]] as const) {
        if (!Number.isInteger(id) || id < 0 || id >= v.tokens.length) problems.push(`vocabulary.${k} ${id} is not a token id`);
      }
    }
    if (m.inputColumns.length !== 1) problems.push(`a text model reads one text column, but inputColumns lists ${m.inputColumns.length}`);
    if (m.normalization.inputs.length !== 0) problems.push('a text model takes token ids, so normalization.inputs must be empty');
  } else {
    if (m.vocabulary) problems.push('vocabulary is set but the model has no embedding (config.vocabSize is 0)');
    if (m.inputColumns.length !== c.inputSize) {
      problems.push(`inputColumns lists ${m.inputColumns.length} features but config.inputSize is ${c.inputSize}`);
    }
    checkNormalization(m.normalization.inputs, m.inputColumns, 'inputs', problems);
    if (m.features) {
      if (m.features.length !== m.inputColumns.length) problems.push(`features has ${m.features.length} entries but inputColumns has ${m.inputColumns.length}`);
      m.features.forEach((f, i) => {
        if (f.name !== m.inputColumns[i]) problems.push(`features[${i}] is named ${JSON.stringify(f.name)} but inputColumns[${i}] is ${JSON.stringify(m.inputColumns[i])}`);
      });
    }
  }
  if (m.task === 'generate') {
    // A language model: token ids in, next-token logits out at every step (ids of the vocabulary, no class names).
    if (!text) problems.push('a text generation model needs a token embedding (config.vocabSize > 0)');
    if (!isClassifier(c)) problems.push('a text generation model is trained with the cross_entropy loss');
    if (c.headOn !== 'every_step') problems.push('a text generation model predicts the next token at every step (config.headOn every_step)');
    if (c.bidirectional) problems.push('a text generation model must read left to right (config.bidirectional false)');
    if (c.outputSize !== c.vocabSize) problems.push(`a text generation model predicts one of its ${c.vocabSize} tokens, but config.outputSize is ${c.outputSize}`);
    if (m.classNames) problems.push('a text generation model has no classNames (its outputs are the vocabulary)');
    if (m.vocabulary?.lowercase) problems.push('a text generation model keeps case (vocabulary.lowercase false)');
    if (m.output !== 'logits') problems.push(`a text generation model's ONNX output holds logits, not ${JSON.stringify(m.output)}`);
  } else if (isClassifier(c)) {
    if (!m.classNames || m.classNames.length !== c.outputSize) {
      problems.push(`a classifier of ${c.outputSize} classes needs ${c.outputSize} classNames (got ${m.classNames ? m.classNames.length : 'none'})`);
    }
    if (m.targetColumns.length !== 1) problems.push(`a classifier has one label column, but targetColumns lists ${m.targetColumns.length}`);
    if (m.normalization.targets.length !== 0) problems.push('a classifier predicts class ids, so normalization.targets must be empty');
    if (m.output !== 'logits') problems.push(`a classifier's ONNX output holds logits, not ${JSON.stringify(m.output)}`);
  } else {
    if (m.classNames) problems.push('classNames is set but the loss is not cross_entropy');
    if (c.outputSize % m.targetColumns.length !== 0) {
      problems.push(`config.outputSize ${c.outputSize} is not a multiple of the ${m.targetColumns.length} target columns`);
    } else if (c.headOn === 'last_step' && m.task === 'forecast' && c.outputSize !== m.targetColumns.length * Math.max(1, m.horizon)) {
      problems.push(`config.outputSize ${c.outputSize} should be horizon ${m.horizon} × ${m.targetColumns.length} target columns`);
    }
    checkNormalization(m.normalization.targets, m.targetColumns, 'targets', problems);
    if (m.output !== 'predictions') problems.push(`a regression model's ONNX output holds predictions, not ${JSON.stringify(m.output)}`);
  }
  if (m.transform) transformProblems(m, m.transform, problems);
  if (m.layout === 'wide' && (!m.sequenceColumns || m.sequenceColumns.length !== c.window)) {
    problems.push(`a wide layout needs ${c.window} sequenceColumns, one per time step (got ${m.sequenceColumns?.length ?? 'none'})`);
  }
  const expected = stateDictShapes(c).map(({ key, shape }) => `${key}[${shape.join(',')}]`).join(' ');
  const listed = m.parameters.map((p) => `${p.name}[${p.shape.join(',')}]`).join(' ');
  if (expected !== listed) problems.push(`parameters lists ${listed || 'nothing'} but the config needs ${expected}`);
  return problems;
}

function transformProblems(m: ModelManifest, t: ForecastTransform, problems: string[]): void {
  if (m.task !== 'forecast') {
    problems.push(`transform ${JSON.stringify(t.name)} is set, but only a forecast has a target transform`);
    return;
  }
  const names = t.columns.map((c) => c.column).join(',');
  if (names !== m.targetColumns.join(',')) problems.push(`transform.columns (${names || 'none'}) should list the target columns (${m.targetColumns.join(', ')})`);
  if (m.targetColumns.some((name, k) => m.inputColumns[k] !== name)) problems.push('with a transform the target columns must be the first input columns, in the same order');
  t.columns.forEach((c, k) => {
    for (const key of ['inputScale', 'outputScale'] as const) {
      if (!Number.isFinite(c[key]) || c[key] <= 0) problems.push(`transform.columns[${k}].${key} is ${c[key]}; it must be a positive number`);
    }
  });
  const problem = transformProblem(t, m.window, m.horizon);
  if (problem) problems.push(`transform: ${problem}`);
  if (m.config.headOn === 'every_step' && mixesTime(t.name)) problems.push(`the ${t.name} transform needs the head on the last step`);
}
