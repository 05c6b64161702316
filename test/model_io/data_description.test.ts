// Tests the mapping of a table, data choices and training set into model.json's data description, and back to choices.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { buildTrainingSet, trainConfigFields } from '../../src/data/training_set';
import type { TrainingChoices } from '../../src/data/training_types';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { buildModelManifest } from '../../src/export/manifest';
import { choicesFromManifest, describeTrainingData } from '../../src/model_io/data_description';
import { fixturePath } from '../data/helpers';

async function described(file: string, choices: TrainingChoices) {
  const table = await parseCsvPath(fixturePath(file));
  const set = buildTrainingSet(table, choices);
  const data = describeTrainingData(table, choices, set, file);
  const config = { ...DEFAULT_CONFIG, ...trainConfigFields(set), seed: choices.seed ?? 42 };
  // The description must make a valid model.json for the config the set implies.
  const manifest = buildModelManifest(config, data);
  return { table, set, data, manifest };
}

describe('describeTrainingData', () => {
  it('describes a forecast with extra inputs, one-hot categories and calendar features exactly', async () => {
    const choices: TrainingChoices = { task: 'forecast', targets: ['close'], categories: ['sector'], calendar: ['day-of-week'], timeColumn: 'date', groupColumn: 'ticker', window: 5, horizon: 2, scaling: 'minmax', missing: 'forward-fill', valFraction: 0.25, testFraction: 0.15 };
    const { set, data } = await described('long_tickers.csv', choices);
    expect(data).toMatchObject({
      task: 'forecast',
      dataset: { name: 'long_tickers.csv', rows: 180, columns: [{ name: 'ticker', type: 'category' }, { name: 'date', type: 'date' }, { name: 'close', type: 'number' }, { name: 'sector', type: 'category' }] },
      targetColumns: ['close'],
      window: 5,
      horizon: 2,
      stride: 1,
      timeColumn: 'date',
      groupColumn: 'ticker',
      layout: 'long',
      missing: 'ffill',
      split: { valFraction: 0.25, testFraction: 0.15 },
      vocabulary: null,
      classNames: null,
    });
    expect(data.inputColumns).toEqual(set.featureNames);
    const sectors = set.featureNames.filter((n) => n.startsWith('sector='));
    expect(sectors.length).toBeGreaterThan(0);
    expect(data.features).toEqual([
      { name: 'close', column: 'close', kind: 'value' },
      ...sectors.map((name) => ({ name, column: 'sector', kind: 'onehot', value: name.slice('sector='.length) })),
      { name: 'day-of-week_sin', column: 'date', kind: 'calendar', part: 'day-of-week', fn: 'sin' },
      { name: 'day-of-week_cos', column: 'date', kind: 'calendar', part: 'day-of-week', fn: 'cos' },
    ]);
    const s = set.normalization!.inputs[0];
    expect(data.normalization.inputs[0]).toEqual({ column: 'close', kind: 'minmax', a: s.center, b: s.scale });
    expect(data.normalization.inputs.slice(1).every((n) => n.kind === 'none' && n.a === 0 && n.b === 1)).toBe(true);
    expect(data.normalization.targets).toEqual([{ column: 'close', kind: 'minmax', a: s.center, b: s.scale }]);
  });

  it('describes wide sequences with their step columns and a long text set with its vocabulary', async () => {
    const wide = await described('wide_ucr.csv', { task: 'classify-sequences', format: 'wide', labelColumn: 'column_1', seed: 3 });
    expect(wide.data).toMatchObject({ task: 'classify-sequences', layout: 'wide', inputColumns: ['value'], targetColumns: ['column_1'], horizon: 0, window: 24, classNames: ['1', '2'] });
    expect(wide.data.sequenceColumns).toEqual(Array.from({ length: 24 }, (_, i) => `column_${i + 2}`));
    expect(wide.data.features).toBeUndefined();
    expect(wide.data.normalization.inputs).toEqual([{ column: 'value', kind: 'zscore', a: wide.set.normalization!.inputs[0].center, b: wide.set.normalization!.inputs[0].scale }]);

    const text = await described('text_label.csv', { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment', tokens: 'char', lowercase: false, embeddingSize: 8 });
    expect(text.data).toMatchObject({ task: 'classify-text', inputColumns: ['review'], targetColumns: ['sentiment'], normalization: { inputs: [], targets: [] }, classNames: text.set.classNames });
    expect(text.data.vocabulary).toEqual({ level: 'char', tokens: text.set.vocabulary, padId: 0, unknownId: 1, lowercase: false, padSide: 'left' });
    expect(text.manifest.config.inputSize).toBe(8);
  });

  it('turns a manifest back into choices that rebuild the same training set', async () => {
    const cases: [string, TrainingChoices][] = [
      ['long_tickers.csv', { task: 'forecast', targets: ['close'], categories: ['sector'], calendar: ['month'], timeColumn: 'date', groupColumn: 'ticker', window: 4, horizon: 3, stride: 2, missing: 'interpolate' }],
      ['one_series.csv', { task: 'forecast', targets: ['sales'], inputs: ['promo'], timeColumn: 'date', window: 7, scaling: 'minmax', testFraction: 0 }],
      ['wide_ucr.csv', { task: 'classify-sequences', format: 'wide', labelColumn: 'column_1', seed: 5 }],
      ['text_label.csv', { task: 'classify-text', textColumn: 'review', labelColumn: 'sentiment', maxVocab: 20, seed: 9 }],
    ];
    for (const [file, choices] of cases) {
      const { table, set, manifest } = await described(file, choices);
      const again = buildTrainingSet(table, choicesFromManifest(manifest));
      expect([file, again.featureNames, again.outputNames, again.window]).toEqual([file, set.featureNames, set.outputNames, set.window]);
      for (const split of ['train', 'validation', 'test'] as const) {
        expect(Array.from(again[split].x)).toEqual(Array.from(set[split].x));
        expect(Array.from(again[split].y)).toEqual(Array.from(set[split].y));
      }
    }
  });

  it('refuses a set that was not built from the choices', async () => {
    const table = await parseCsvPath(fixturePath('one_series.csv'));
    const set = buildTrainingSet(table, { task: 'forecast', targets: ['sales'], window: 5 });
    expect(() => describeTrainingData(table, { task: 'classify-text', textColumn: 'date', labelColumn: 'promo' }, set, 'x.csv')).toThrow('The training set is for forecast but the choices are for classify-text.');
  });
});
