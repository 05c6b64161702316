// Sequence classification sets: one sequence per row (wide, as in the UCR archive) or per series (long), each with a class.
import { majorityBaseline } from './baselines';
import { timeValues } from './dataset_shape';
import { DataError } from './data_error';
import { groupRows, rowsByGroup } from './groups';
import { labelsOf, requireTwoClasses, splitByClass, type ClassSplit } from './labels';
import { fillMissing } from './missing_values';
import { fitScaling, scaleValue, type Scaling } from './scaling';
import { checkFractions } from './splits';
import { columnNamed, describeRow, numericValues, type DataTable } from './table';
import { checkSampleBytes, checkWhole, DEFAULT_MAX_SAMPLE_BYTES, type SequenceChoices, type SplitArrays, type TrainingSet } from './training_types';

/** Sequences gathered before splitting: values [step][feature] in original units. */
interface Sequence {
  values: Float64Array;
  steps: number;
  classId: number;
  group: number;
  row: number;
}

export function buildSequenceSet(table: DataTable, choices: SequenceChoices): TrainingSet {
  const valFraction = choices.valFraction ?? 0.2;
  const testFraction = choices.testFraction ?? 0.1;
  checkFractions(valFraction, testFraction);
  const missing = choices.missing ?? 'drop';
  const labels = labelsOf(table, choices.labelColumn);
  const exclude = new Set([choices.labelColumn, choices.groupColumn ?? '', choices.timeColumn ?? ''].filter((n) => n !== ''));
  const valueColumns = choices.valueColumns ?? table.columns.filter((c) => c.kind === 'number' && !exclude.has(c.name)).map((c) => c.name);
  if (valueColumns.length === 0) throw new DataError('Choose at least one numeric column holding the sequence values.');
  const values = valueColumns.map((name) => numericValues(table, name, choices.format === 'wide' ? 'a time step' : 'a feature'));

  const gathered = choices.format === 'wide' ? wideSequences(table, values, labels.ids, missing) : longSequences(table, choices, values, labels, missing);
  const { sequences, groupNames } = gathered;
  const classIds = Int32Array.from(sequences, (s) => s.classId);
  requireTwoClasses(classIds, labels.classNames, choices.labelColumn);
  const split = splitByClass(classIds, labels.classNames.length, valFraction, testFraction, choices.seed ?? 42);

  const features = choices.format === 'wide' ? 1 : valueColumns.length;
  const longest = sequences.reduce((n, s) => Math.max(n, s.steps), 0);
  const window = choices.format === 'wide' ? valueColumns.length : (choices.length ?? Math.min(longest, 1000));
  checkWhole('sequence length', window, 1, 4096);
  checkSampleBytes(sequences.length, window * features, choices.maxBytes ?? DEFAULT_MAX_SAMPLE_BYTES, 'Use a shorter sequence length or fewer columns.');

  const featureNames = choices.format === 'wide' ? ['value'] : valueColumns;
  const method = choices.scaling ?? 'zscore';
  const scalings: Scaling[] = featureNames.map((name, f) => {
    const training: number[] = [];
    for (const i of split.train) {
      const s = sequences[i];
      for (let t = 0; t < s.steps; t++) training.push(s.values[t * features + f]);
    }
    return fitScaling(name, method, training);
  });
  let padded = 0;
  let truncated = 0;
  const arrays = (indexes: number[]): SplitArrays => {
    const count = indexes.length;
    const x = new Float32Array(count * window * features);
    const y = new Float32Array(count);
    const group = new Int32Array(count);
    const row = new Int32Array(count);
    indexes.forEach((i, n) => {
      const s = sequences[i];
      // Short sequences are padded with zeros at the start (so the last step is real data); long ones keep their last steps.
      const skip = Math.max(0, s.steps - window);
      const offset = Math.max(0, window - s.steps);
      if (offset > 0) padded++;
      if (skip > 0) truncated++;
      for (let t = skip; t < s.steps; t++) {
        for (let f = 0; f < features; f++) x[(n * window + offset + t - skip) * features + f] = scaleValue(s.values[t * features + f], scalings[f]);
      }
      y[n] = s.classId;
      group[n] = s.group;
      row[n] = s.row;
    });
    return { count, x, y, group, row };
  };
  const train = arrays(split.train);
  const validation = arrays(split.validation);
  const test = arrays(split.test);
  return {
    task: 'classify-sequences',
    window,
    inputSize: features,
    outputSize: labels.classNames.length,
    loss: 'cross_entropy',
    headOn: 'last_step',
    vocabSize: 0,
    train,
    validation,
    test,
    featureNames,
    outputNames: labels.classNames,
    classNames: labels.classNames,
    normalization: { inputs: scalings, targets: [] },
    groupNames,
    baselines: [majorityBaseline(train.y, validation.y, test.y, labels.classNames)],
    counts: {
      train: train.count,
      validation: validation.count,
      test: test.count,
      droppedForMissing: gathered.droppedForMissing,
      filledCells: gathered.filledCells,
      rowsWithoutTimeGroupOrLabel: gathered.withoutLabel,
      classCounts: split.classCounts,
      padded,
      truncated,
    },
    notes: classNotes(split, labels.classNames, choices.format),
  };
}

interface Gathered {
  sequences: Sequence[];
  groupNames: string[];
  droppedForMissing: number;
  filledCells: number;
  withoutLabel: number;
}

/** One sequence per labelled row; its steps are the value columns in file order. */
function wideSequences(table: DataTable, values: Float64Array[], ids: Int32Array, missing: SequenceChoices['missing'] & {}): Gathered {
  const out: Gathered = { sequences: [], groupNames: [''], droppedForMissing: 0, filledCells: 0, withoutLabel: 0 };
  const steps = values.length;
  for (let r = 0; r < table.rowCount; r++) {
    if (ids[r] < 0) {
      out.withoutLabel++;
      continue;
    }
    const seq = Float64Array.from(values, (column) => column[r]);
    out.filledCells += fillMissing(seq, missing);
    if (seq.some(Number.isNaN)) {
      out.droppedForMissing++;
      continue;
    }
    out.sequences.push({ values: seq, steps, classId: ids[r], group: 0, row: r });
  }
  return out;
}

/** One sequence per group (in time order when a time column is chosen); every row of a group must carry the same label. */
function longSequences(
  table: DataTable,
  choices: SequenceChoices,
  values: Float64Array[],
  { ids, classNames }: { ids: Int32Array; classNames: string[] },
  missing: SequenceChoices['missing'] & {},
): Gathered {
  if (!choices.groupColumn) throw new DataError('Long format needs the column that names each sequence (the group column).');
  const grouping = groupRows(table, choices.groupColumn);
  const times = choices.timeColumn ? timeValues(columnNamed(table, choices.timeColumn)) : null;
  const groups = rowsByGroup(grouping, times);
  const out: Gathered = { sequences: [], groupNames: grouping.names, droppedForMissing: 0, filledCells: 0, withoutLabel: 0 };
  const features = values.length;
  out.withoutLabel = table.rowCount - groups.reduce((n, rows) => n + rows.length, 0);
  groups.forEach((rows, g) => {
    let classId = -1;
    let labelRow = -1;
    for (const r of rows) {
      if (ids[r] < 0) continue;
      if (classId < 0) {
        classId = ids[r];
        labelRow = r;
      } else if (ids[r] !== classId) {
        const label = (row: number) => JSON.stringify(classNames[ids[row]]);
        throw new DataError(
          `Series ${JSON.stringify(grouping.names[g])} has two labels: ${label(labelRow)} (${describeRow(table, labelRow).toLowerCase()}) and ${label(r)} (${describeRow(table, r).toLowerCase()}). ` +
            'In long format every row of a sequence must carry the same label.',
          { row: r + 1, column: choices.labelColumn },
        );
      }
    }
    if (classId < 0) {
      out.withoutLabel += rows.length;
      return;
    }
    const seq = new Float64Array(rows.length * features);
    for (let f = 0; f < features; f++) {
      const column = new Float64Array(rows.length);
      rows.forEach((r, t) => (column[t] = values[f][r]));
      out.filledCells += fillMissing(column, missing);
      column.forEach((v, t) => (seq[t * features + f] = v));
    }
    if (seq.some(Number.isNaN) || rows.length === 0) {
      out.droppedForMissing++;
      return;
    }
    out.sequences.push({ values: seq, steps: rows.length, classId, group: g, row: rows[0] });
  });
  return out;
}

function classNotes(split: ClassSplit, classNames: string[], format: string): string[] {
  const counts = classNames.map((name, c) => `${name}: ${split.classCounts.train[c]}/${split.classCounts.validation[c]}/${split.classCounts.test[c]}`);
  const notes = [`Samples per class (train/validation/test): ${counts.join(', ')}.`];
  if (format === 'long') notes.push('Shorter sequences are padded with zeros at the start; longer ones keep their last steps.');
  return notes;
}
