// Tests building a saved model's inputs from a new table: same arrays as training, every window, clear schema errors.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { DataError } from '../../src/data/data_error';
import { buildTrainingSet, trainConfigFields } from '../../src/data/training_set';
import type { SplitArrays, TrainingChoices, TrainingSet } from '../../src/data/training_types';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { buildModelManifest } from '../../src/export/manifest';
import { describeTrainingData } from '../../src/model_io/data_description';
import { buildInferenceInputs, type InferenceInputs } from '../../src/model_io/inference_inputs';
import { asyncErrorOf, errorOf, fixturePath } from '../data/helpers';

async function model(file: string, choices: TrainingChoices) {
  const table = await parseCsvPath(fixturePath(file));
  const set = buildTrainingSet(table, choices);
  const manifest = buildModelManifest({ ...DEFAULT_CONFIG, ...trainConfigFields(set) }, describeTrainingData(table, choices, set, file));
  return { table, set, manifest };
}

/** Each sample of `split` must appear among the inputs with the same key row and bit-identical values. */
function expectSamplesAmong(split: SplitArrays, set: TrainingSet, inputs: InferenceInputs, keyOf: (n: number) => string, inputKey: (i: number) => string) {
  const width = set.window * (set.vocabSize > 0 ? 1 : set.inputSize);
  const index = new Map(inputs.keys.map((_, i) => [inputKey(i), i]));
  expect(split.count).toBeGreaterThan(0);
  for (let n = 0; n < split.count; n++) {
    const i = index.get(keyOf(n));
    expect(i, `sample ${n} (${keyOf(n)})`).toBeDefined();
    expect(Array.from(inputs.x.subarray(i! * width, (i! + 1) * width))).toEqual(Array.from(split.x.subarray(n * width, (n + 1) * width)));
  }
}

describe('buildInferenceInputs', () => {
  it('rebuilds the forecast validation (and training) inputs from the training CSV exactly, grouped, with categories and calendar features', async () => {
    const { table, set, manifest } = await model('long_tickers.csv', { task: 'forecast', targets: ['close'], categories: ['sector'], calendar: ['day-of-week', 'month'], timeColumn: 'date', groupColumn: 'ticker', window: 6, horizon: 2 });
    const inputs = buildInferenceInputs(manifest, table);
    const key = (group: string | null, row: number) => `${group}:${row}`;
    for (const split of [set.validation, set.train, set.test]) {
      expectSamplesAmong(split, set, inputs, (n) => key(set.groupNames[split.group[n]], split.row[n]), (i) => key(inputs.keys[i].group, inputs.keys[i].row));
    }
    // Every window of every series, including the last ones that predict past the end of the file.
    const series = set.groupNames.length;
    expect(inputs.count).toBe(180 - series * (6 - 1));
    const lastOfAAA = inputs.keys.filter((k) => k.group === 'AAA').at(-1)!;
    expect(lastOfAAA.row).toBe(59);
    expect(lastOfAAA.time).toBe('2022-04-29');
  });

  it('uses the saved statistics, not ones refitted on the new file', async () => {
    const { manifest } = await model('one_series.csv', { task: 'forecast', targets: ['sales'], inputs: ['promo'], timeColumn: 'date', window: 3 });
    const fresh = await parseCsvString('date,sales,promo\n2022-01-01,10,0\n2022-01-02,20,1\n2022-01-03,30,0\n2022-01-04,40,1\n');
    const inputs = buildInferenceInputs(manifest, fresh);
    expect(inputs.count).toBe(2);
    expect(inputs.keys.map((k) => [k.row, k.time])).toEqual([[2, '2022-01-03'], [3, '2022-01-04']]);
    const [s, p] = manifest.normalization.inputs;
    const expected = [10, 0, 20, 1, 30, 0].map((v, i) => Math.fround((v - (i % 2 ? p.a : s.a)) / (i % 2 ? p.b : s.b)));
    expect(Array.from(inputs.x.subarray(0, 6))).toEqual(expected);
  });

  it('leaves out windows holding a missing value and says how many', async () => {
    const { manifest } = await model('one_series.csv', { task: 'forecast', targets: ['sales'], timeColumn: 'date', window: 2 });
    const fresh = await parseCsvString('date,sales,promo\n2022-01-01,10,0\n2022-01-02,,1\n2022-01-03,30,0\n2022-01-04,40,1\n2022-01-05,50,1\n');
    const inputs = buildInferenceInputs(manifest, fresh);
    expect(inputs.keys.map((k) => k.row)).toEqual([3, 4]);
    expect(inputs.notes).toEqual(["2 windows left out for missing values the model's policy (drop) does not fill."]);
  });

  it('gives one input per row for wide sequences and text, equal to the training inputs of those rows', async () => {
    const wide = await model('wide_ucr.csv', { task: 'classify-sequences', format: 'wide', labelColumn: 'column_1' });
    const wideInputs = buildInferenceInputs(wide.manifest, wide.table);
    expect(wideInputs.count).toBe(40);
    for (const split of [wide.set.train, wide.set.validation]) expectSamplesAmong(split, wide.set, wideInputs, (n) => String(split.row[n]), (i) => String(wideInputs.keys[i].row));

    const text = await model('text_label.csv', { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment', maxVocab: 12, length: 5 });
    const textInputs = buildInferenceInputs(text.manifest, text.table);
    expect(textInputs.count).toBe(60);
    for (const split of [text.set.train, text.set.validation, text.set.test]) expectSamplesAmong(split, text.set, textInputs, (n) => String(split.row[n]), (i) => String(textInputs.keys[i].row));
    // A new text: known tokens map to their ids, unknown ones to 1, padded on the left to the window.
    const fresh = buildInferenceInputs(text.manifest, await parseCsvString('review\n"zzz film"\n'));
    const ids = Array.from(fresh.x);
    expect(ids.slice(0, 3)).toEqual([0, 0, 0]);
    expect(ids[3]).toBe(1);
    expect(ids[4]).toBe(text.manifest.vocabulary!.tokens.indexOf('film'));
  });

  it('gives one input per series for long sequences, equal to training', async () => {
    const csv = ['id,t,v,label', ...Array.from({ length: 12 }, (_, g) => Array.from({ length: 4 + (g % 3) }, (_, t) => `s${g},${t},${(g % 2 ? 1 : -1) * t + g / 10},${g % 2 ? 'up' : 'down'}`)).flat()].join('\n');
    const table = await parseCsvString(csv);
    const choices: TrainingChoices = { task: 'classify-sequences', format: 'long', labelColumn: 'label', groupColumn: 'id', timeColumn: 't', valueColumns: ['v'], length: 5 };
    const set = buildTrainingSet(table, choices);
    const manifest = buildModelManifest({ ...DEFAULT_CONFIG, ...trainConfigFields(set) }, describeTrainingData(table, choices, set, 'long.csv'));
    const inputs = buildInferenceInputs(manifest, table);
    expect(inputs.count).toBe(12);
    for (const split of [set.train, set.validation]) expectSamplesAmong(split, set, inputs, (n) => set.groupNames[split.group[n]], (i) => inputs.keys[i].group!);
  });

  it('names a missing column, and the row and column of text in a numeric column', async () => {
    const { manifest } = await model('one_series.csv', { task: 'forecast', targets: ['sales'], inputs: ['promo'], timeColumn: 'date', window: 3 });
    const noPromo = await parseCsvString('date,sales\n2022-01-01,1\n2022-01-02,2\n2022-01-03,3\n');
    const missing = errorOf(() => buildInferenceInputs(manifest, noPromo));
    expect(missing.message).toBe('The model was trained with column "promo" (an input), but this file has no column of that name. Its columns are: "date", "sales". Use a file with the same columns as the training data.');
    expect(missing.column).toBe('promo');
    const textual = await parseCsvString('date,sales,promo\n2022-01-01,1,0\n2022-01-02,2,0\n2022-01-03,3,0\n2022-01-04,abc,1\n2022-01-05,5,1\n2022-01-06,6,1\n2022-01-07,7,1\n');
    const bad = errorOf(() => buildInferenceInputs(manifest, textual));
    expect(bad.message).toBe('Row 4 (line 5 of the file), column "sales": "abc" is not a number, but the model reads this column as numbers (a target, also an input). Fix or empty that cell.');
    expect([bad.row, bad.column]).toEqual([4, 'sales']);
    const noDates = await parseCsvString('date,sales,promo\n1,1,0\n2,2,0\n3,3,0\n');
    const cal = await model('one_series.csv', { task: 'forecast', targets: ['sales'], timeColumn: 'date', calendar: ['month'], window: 3 });
    expect(errorOf(() => buildInferenceInputs(cal.manifest, noDates)).message).toContain('calendar features from column "date", but in this file it does not hold dates');
    expect(errorOf(() => buildInferenceInputs(manifest, noPromo))).toBeInstanceOf(DataError);
    const tooShort = await parseCsvString('date,sales,promo\n2022-01-01,1,0\n2022-01-02,2,0\n');
    expect((await asyncErrorOf(Promise.resolve().then(() => buildInferenceInputs(manifest, tooShort)))).message).toContain('no complete window of 3 steps');
  });
});
