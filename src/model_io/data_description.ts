// Maps a table, the data choices and the training set built from them into model.json's DataDescription, and back.
import { calendarFeatureNames } from '../data/calendar_features';
import { describeTable } from '../data/describe_table';
import type { MissingPolicy } from '../data/missing_values';
import type { Scaling } from '../data/scaling';
import type { DataTable } from '../data/table';
import type { CalendarFeature, ForecastChoices, SequenceChoices, TextChoices, TrainingChoices, TrainingSet } from '../data/training_types';
import type { DataDescription, FeatureNormalization, InputFeature, ModelManifest } from '../export/manifest';
import { generateChoicesFromManifest, describeGenerateData } from './generate_description';

const TO_MANIFEST_MISSING: Record<MissingPolicy, DataDescription['missing']> = { drop: 'drop', 'forward-fill': 'ffill', interpolate: 'interpolate' };
const FROM_MANIFEST_MISSING: Record<DataDescription['missing'], MissingPolicy> = { drop: 'drop', ffill: 'forward-fill', interpolate: 'interpolate' };

export function manifestMissing(policy: MissingPolicy | undefined): DataDescription['missing'] {
  return TO_MANIFEST_MISSING[policy ?? 'drop'];
}

export function dataMissing(policy: DataDescription['missing']): MissingPolicy {
  return FROM_MANIFEST_MISSING[policy];
}

/** The data layer's Scaling as model.json's normalization: normalized = (raw - a) / b. */
export function normalizationOf(s: Scaling): FeatureNormalization {
  return { column: s.column, kind: s.method, a: s.center, b: s.scale };
}

function identity(column: string): FeatureNormalization {
  return { column, kind: 'none', a: 0, b: 1 };
}

/**
 * Everything model.json records about the data: the table's column schema (from describeTable), the input features
 * and how each is computed, the saved normalization, vocabulary and class names, the split fractions, the missing
 * policy and the layout. Throws when the set was not built from these choices.
 */
export function describeTrainingData(table: DataTable | null, choices: TrainingChoices, set: TrainingSet, datasetName: string): DataDescription {
  if (set.task !== choices.task) throw new Error(`The training set is for ${set.task} but the choices are for ${choices.task}.`);
  if (choices.task === 'generate') return describeGenerateData(table, choices, set, datasetName);
  if (!table) throw new Error(`A ${choices.task} model is described from its table.`);
  const base = {
    task: set.task,
    dataset: { name: datasetName, rows: table.rowCount, columns: describeTable(table).columns.map((c) => ({ name: c.name, type: c.type })) },
    window: set.window,
    split: { valFraction: choices.valFraction ?? 0.2, testFraction: choices.testFraction ?? 0.1 },
    classNames: set.classNames ?? null,
  };
  switch (choices.task) {
    case 'forecast':
      return { ...base, ...forecastPart(choices, set) };
    case 'classify-sequences':
      return { ...base, ...sequencePart(table, choices, set) };
    case 'classify-text':
      return { ...base, ...textPart(choices, set) };
  }
}

type Part = Omit<DataDescription, 'task' | 'dataset' | 'window' | 'split' | 'classNames'>;

function forecastPart(choices: ForecastChoices, set: TrainingSet): Part {
  const norm = set.normalization;
  if (!norm || !set.targets || set.horizon === undefined) throw new Error('A forecast training set must carry its targets, horizon and normalization.');
  const numeric = norm.inputs.length;
  const calendar = [...new Set(choices.calendar ?? [])];
  const calendarNames = calendarFeatureNames(calendar);
  const oneHotNames = set.featureNames.slice(numeric, set.featureNames.length - calendarNames.length);
  const categories = [...new Set(choices.categories ?? [])];
  const features: InputFeature[] = set.featureNames.slice(0, numeric).map((name) => ({ name, column: name, kind: 'value' }));
  let c = 0;
  for (const name of oneHotNames) {
    while (c < categories.length && !name.startsWith(`${categories[c]}=`)) c++;
    if (c === categories.length) throw new Error(`The one-hot feature ${JSON.stringify(name)} belongs to none of the category columns ${categories.join(', ')}.`);
    features.push({ name, column: categories[c], kind: 'onehot', value: name.slice(categories[c].length + 1) });
  }
  const timeColumn = choices.timeColumn ?? null;
  calendar.forEach((part: CalendarFeature) => {
    for (const fn of ['sin', 'cos'] as const) features.push({ name: `${part}_${fn}`, column: timeColumn ?? '', kind: 'calendar', part, fn });
  });
  return {
    inputColumns: set.featureNames.slice(),
    features,
    targetColumns: set.targets.slice(),
    horizon: set.horizon,
    stride: choices.stride ?? 1,
    timeColumn,
    groupColumn: choices.groupColumn ?? null,
    layout: 'long',
    missing: manifestMissing(choices.missing),
    normalization: {
      inputs: set.featureNames.map((name, i) => (i < numeric ? normalizationOf(norm.inputs[i]) : identity(name))),
      targets: norm.targets.map(normalizationOf),
    },
    ...(set.transform ? { transform: structuredClone(set.transform) } : {}),
    vocabulary: null,
  };
}

/** The value columns sequence_set.ts uses when none are chosen: every number column but the label, group and time. */
function defaultValueColumns(table: DataTable, choices: SequenceChoices): string[] {
  const exclude = new Set([choices.labelColumn, choices.groupColumn ?? '', choices.timeColumn ?? ''].filter((n) => n !== ''));
  return table.columns.filter((col) => col.kind === 'number' && !exclude.has(col.name)).map((col) => col.name);
}

function sequencePart(table: DataTable, choices: SequenceChoices, set: TrainingSet): Part {
  const norm = set.normalization;
  if (!norm) throw new Error('A sequence training set must carry its normalization.');
  const wide = choices.format === 'wide';
  const valueColumns = choices.valueColumns ?? defaultValueColumns(table, choices);
  if (wide && valueColumns.length !== set.window) throw new Error(`The wide set has ${set.window} steps but ${valueColumns.length} value columns were found.`);
  return {
    inputColumns: set.featureNames.slice(),
    ...(wide ? { sequenceColumns: valueColumns.slice() } : { features: set.featureNames.map((name) => ({ name, column: name, kind: 'value' as const })) }),
    targetColumns: [choices.labelColumn],
    horizon: 0,
    stride: 1,
    timeColumn: wide ? null : (choices.timeColumn ?? null),
    groupColumn: wide ? null : (choices.groupColumn ?? null),
    layout: wide ? 'wide' : 'long',
    missing: manifestMissing(choices.missing),
    normalization: { inputs: norm.inputs.map(normalizationOf), targets: [] },
    vocabulary: null,
  };
}

function textPart(choices: TextChoices, set: TrainingSet): Part {
  if (!set.vocabulary) throw new Error('A text training set must carry its vocabulary.');
  return {
    inputColumns: [choices.textColumn],
    targetColumns: [choices.labelColumn],
    horizon: 0,
    stride: 1,
    timeColumn: null,
    groupColumn: null,
    layout: 'long',
    missing: 'drop',
    normalization: { inputs: [], targets: [] },
    vocabulary: { level: choices.tokens ?? 'word', tokens: set.vocabulary.slice(), padId: 0, unknownId: 1, lowercase: choices.lowercase ?? true, padSide: 'left' },
  };
}

/**
 * The data choices that rebuild a saved model's training set from the same CSV (for `train --config model.json`):
 * the same columns, window, horizon, features, scaling, missing policy, split and seed.
 */
export function choicesFromManifest(m: ModelManifest): TrainingChoices {
  const common = { valFraction: m.split.valFraction, testFraction: m.split.testFraction, seed: m.config.seed };
  if (m.task === 'generate') return generateChoicesFromManifest(m);
  if (m.task === 'classify-text') {
    const v = m.vocabulary;
    if (!v) throw new Error('model.json describes a text model without a vocabulary.');
    return {
      task: 'classify-text',
      ...common,
      textColumn: m.inputColumns[0],
      labelColumn: m.targetColumns[0],
      tokens: v.level,
      maxVocab: v.tokens.length,
      length: m.window,
      lowercase: v.lowercase,
      embeddingSize: m.config.inputSize,
    };
  }
  const kind = m.normalization.inputs[0]?.kind;
  const scaling = kind === 'minmax' ? 'minmax' : 'zscore';
  if (m.task === 'classify-sequences') {
    const wide = m.layout === 'wide';
    return {
      task: 'classify-sequences',
      ...common,
      format: m.layout,
      labelColumn: m.targetColumns[0],
      valueColumns: wide ? (m.sequenceColumns ?? []).slice() : m.inputColumns.slice(),
      groupColumn: m.groupColumn,
      timeColumn: m.timeColumn,
      ...(wide ? {} : { length: m.window }),
      scaling,
      missing: dataMissing(m.missing),
    };
  }
  const features = m.features ?? m.inputColumns.map((name) => ({ name, column: name, kind: 'value' as const }));
  const values = features.filter((f) => f.kind === 'value').map((f) => f.column);
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  return {
    task: 'forecast',
    ...common,
    targets: m.targetColumns.slice(),
    inputs: values.filter((c) => !m.targetColumns.includes(c)),
    categories: unique(features.filter((f) => f.kind === 'onehot').map((f) => f.column)),
    calendar: unique(features.flatMap((f) => (f.kind === 'calendar' ? [f.part] : []))),
    timeColumn: m.timeColumn,
    groupColumn: m.groupColumn,
    window: m.window,
    horizon: m.horizon,
    stride: m.stride,
    scaling,
    missing: dataMissing(m.missing),
    // A model keeps its transform when training continues (older files have none).
    transform: m.transform?.name ?? 'none',
    ...(m.transform?.name === 'seasonal-difference' ? { season: m.transform.season } : {}),
  };
}
