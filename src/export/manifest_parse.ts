// Reads model.json text into a ModelManifest, checking every field's type before trusting it; throws WeightFileError.
import { TRANSFORM_NAMES, type ForecastTransform } from '../data/target_transform';
import { DEFAULT_CONFIG, type TrainConfig } from '../engine/config';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, manifestProblems, type ModelManifest } from './manifest';
import { WeightFileError } from './safetensors';

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Largest accepted model.json (a vocabulary can be large, a config is not). */
export const MAX_MANIFEST_CHARS = 64 * 1024 * 1024;

type Obj = Record<string, unknown>;

function fail(message: string): never {
  throw new WeightFileError(`model.json: ${message}`);
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v;
}

function obj(v: unknown, at: string): Obj {
  if (!isObj(v)) fail(`${at} must be an object (got ${kind(v)}).`);
  return v;
}

function str(v: unknown, at: string): string {
  if (typeof v !== 'string') fail(`${at} must be a string (got ${kind(v)}).`);
  return v;
}

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(`${at} must be a finite number (got ${kind(v)}).`);
  return v;
}

function int(v: unknown, at: string): number {
  if (!Number.isSafeInteger(v)) fail(`${at} must be a whole number (got ${JSON.stringify(v)}).`);
  return v as number;
}

function bool(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') fail(`${at} must be true or false (got ${kind(v)}).`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], at: string): T {
  if (!allowed.includes(v as T)) fail(`${at} must be one of ${allowed.join(', ')} (got ${JSON.stringify(v)}).`);
  return v as T;
}

function list<T>(v: unknown, at: string, item: (x: unknown, at: string) => T): T[] {
  if (!Array.isArray(v)) fail(`${at} must be a list (got ${kind(v)}).`);
  return v.map((x, i) => item(x, `${at}[${i}]`));
}

function nullable<T>(v: unknown, at: string, read: (x: unknown, at: string) => T): T | null {
  return v === null || v === undefined ? null : read(v, at);
}

/** Fields added after the format's first files: a model.json without them loads with these values. */
const OPTIONAL_CONFIG: Partial<TrainConfig> = { classWeights: 'none' };

function parseConfig(v: unknown): TrainConfig {
  const raw = obj(v, 'config');
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof TrainConfig)[]) {
    if (!(key in raw) && key in OPTIONAL_CONFIG) {
      out[key] = OPTIONAL_CONFIG[key];
      continue;
    }
    if (!(key in raw)) fail(`config.${key} is missing.`);
    const at = `config.${key}`;
    const def = DEFAULT_CONFIG[key];
    out[key] = typeof def === 'string' ? str(raw[key], at) : typeof def === 'boolean' ? bool(raw[key], at) : num(raw[key], at);
  }
  const extra = Object.keys(raw).filter((k) => !(k in DEFAULT_CONFIG));
  if (extra.length > 0) fail(`config has unknown field${extra.length === 1 ? '' : 's'} ${extra.map((k) => JSON.stringify(k)).join(', ')}.`);
  return out as unknown as TrainConfig;
}

function parseNormalization(v: unknown, at: string) {
  const n = obj(v, at);
  return { column: str(n.column, `${at}.column`), kind: oneOf(n.kind, ['zscore', 'minmax', 'none'] as const, `${at}.kind`), a: num(n.a, `${at}.a`), b: num(n.b, `${at}.b`) };
}

function parseFeature(v: unknown, at: string): NonNullable<ModelManifest['features']>[number] {
  const f = obj(v, at);
  const name = str(f.name, `${at}.name`), column = str(f.column, `${at}.column`);
  const k = oneOf(f.kind, ['value', 'onehot', 'calendar'] as const, `${at}.kind`);
  if (k === 'value') return { name, column, kind: k };
  if (k === 'onehot') return { name, column, kind: k, value: str(f.value, `${at}.value`) };
  return { name, column, kind: k, part: oneOf(f.part, ['hour', 'day-of-week', 'month', 'day-of-year'] as const, `${at}.part`), fn: oneOf(f.fn, ['sin', 'cos'] as const, `${at}.fn`) };
}

function parseMetrics(v: unknown): Record<string, number | null> {
  const m = obj(v ?? {}, 'metrics');
  const out: Record<string, number | null> = {};
  for (const [k, x] of Object.entries(m)) out[k] = x === null ? null : num(x, `metrics.${JSON.stringify(k)}`);
  return out;
}

/** Parses and checks model.json; every failure names the field and what is wrong with it. */
export function parseModelManifest(text: string): ModelManifest {
  if (text.length > MAX_MANIFEST_CHARS) fail(`the file is ${text.length} characters, over the ${MAX_MANIFEST_CHARS}-character limit.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text, (key, value: unknown) => {
      if (UNSAFE_KEYS.has(key)) throw new WeightFileError(`model.json: the forbidden key ${JSON.stringify(key)} appears in the file.`);
      return value;
    });
  } catch (e) {
    if (e instanceof WeightFileError) throw e;
    fail(`the file is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  const r = obj(raw, 'the top level');
  if (r.format !== MODEL_FORMAT) fail(`format is ${JSON.stringify(r.format)}, expected ${JSON.stringify(MODEL_FORMAT)}; this is not an LSTM Playground model description.`);
  const versions = obj(r.versions, 'versions');
  const formatVersion = int(versions.format, 'versions.format');
  if (formatVersion > MODEL_FORMAT_VERSION) {
    fail(`versions.format is ${formatVersion}, newer than the ${MODEL_FORMAT_VERSION} this app reads; update the app.`);
  }
  const dataset = obj(r.dataset, 'dataset');
  const norm = obj(r.normalization, 'normalization');
  const split = obj(r.split, 'split');
  const vocab = nullable(r.vocabulary, 'vocabulary', obj);
  const manifest: ModelManifest = {
    format: MODEL_FORMAT,
    config: parseConfig(r.config),
    seed: int(r.seed, 'seed'),
    task: oneOf(r.task, ['forecast', 'classify-sequences', 'classify-text', 'generate'] as const, 'task'),
    dataset: {
      name: str(dataset.name, 'dataset.name'),
      rows: int(dataset.rows, 'dataset.rows'),
      columns: list(dataset.columns, 'dataset.columns', (c, at) => {
        const col = obj(c, at);
        return { name: str(col.name, `${at}.name`), type: oneOf(col.type, ['number', 'integer', 'category', 'text', 'date'] as const, `${at}.type`) };
      }),
    },
    inputColumns: list(r.inputColumns, 'inputColumns', str),
    targetColumns: list(r.targetColumns, 'targetColumns', str),
    window: int(r.window, 'window'),
    horizon: int(r.horizon, 'horizon'),
    stride: int(r.stride, 'stride'),
    timeColumn: nullable(r.timeColumn, 'timeColumn', str),
    groupColumn: nullable(r.groupColumn, 'groupColumn', str),
    layout: oneOf(r.layout, ['long', 'wide'] as const, 'layout'),
    missing: oneOf(r.missing, ['drop', 'ffill', 'interpolate'] as const, 'missing'),
    split: { valFraction: num(split.valFraction, 'split.valFraction'), testFraction: num(split.testFraction, 'split.testFraction') },
    normalization: {
      inputs: list(norm.inputs, 'normalization.inputs', parseNormalization),
      targets: list(norm.targets, 'normalization.targets', parseNormalization),
    },
    ...(r.transform === undefined ? {} : { transform: parseTransform(r.transform) }),
    vocabulary: vocab && {
      level: oneOf(vocab.level, ['char', 'word'] as const, 'vocabulary.level'),
      tokens: list(vocab.tokens, 'vocabulary.tokens', str),
      padId: int(vocab.padId, 'vocabulary.padId'),
      unknownId: int(vocab.unknownId, 'vocabulary.unknownId'),
      lowercase: bool(vocab.lowercase, 'vocabulary.lowercase'),
      padSide: oneOf(vocab.padSide, ['left', 'right'] as const, 'vocabulary.padSide'),
    },
    classNames: nullable(r.classNames, 'classNames', (v, at) => list(v, at, str)),
    parameters: list(r.parameters, 'parameters', (p, at) => {
      const e = obj(p, at);
      return { name: str(e.name, `${at}.name`), shape: list(e.shape, `${at}.shape`, int) };
    }),
    output: oneOf(r.output, ['predictions', 'logits'] as const, 'output'),
    metrics: parseMetrics(r.metrics),
    versions: { app: str(versions.app, 'versions.app'), format: formatVersion },
    createdAt: str(r.createdAt, 'createdAt'),
  };
  if (r.features !== undefined) manifest.features = list(r.features, 'features', parseFeature);
  if (r.separator !== undefined) manifest.separator = str(r.separator, 'separator');
  if (r.sequenceColumns !== undefined) manifest.sequenceColumns = list(r.sequenceColumns, 'sequenceColumns', str);
  const problems = manifestProblems(manifest);
  if (problems.length > 0) fail(`${problems.join('; ')}.`);
  return manifest;
}

function parseTransform(v: unknown): ForecastTransform {
  const t = obj(v, 'transform');
  return {
    name: oneOf(t.name, TRANSFORM_NAMES, 'transform.name'),
    season: nullable(t.season, 'transform.season', int),
    columns: list(t.columns, 'transform.columns', (c, at) => {
      const e = obj(c, at);
      return { column: str(e.column, `${at}.column`), inputScale: num(e.inputScale, `${at}.inputScale`), outputScale: num(e.outputScale, `${at}.outputScale`) };
    }),
  };
}
