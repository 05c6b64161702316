// Tests turning `train` options (and a previous model.json) into data choices and a TrainConfig, and their usage errors.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args';
import { parseCsvPath } from '../../src/data/csv_node';
import { buildTrainingSet, trainConfigFields } from '../../src/data/training_set';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { buildModelManifest } from '../../src/export/manifest';
import { describeTrainingData } from '../../src/model_io/data_description';
import { checkConfig, choicesFromFlags, configFromFlags, type Flags } from '../../src/model_io/train_options';
import { fixturePath } from '../data/helpers';

const table = (name: string) => parseCsvPath(fixturePath(name));

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('choicesFromFlags', () => {
  it('starts from the suggested task and applies the forecast options', async () => {
    const t = await table('one_series.csv');
    expect(choicesFromFlags(t, {}, null)).toMatchObject({ task: 'forecast', targets: ['promo'], timeColumn: 'date' });
    const flags: Flags = { target: 'sales', inputs: 'promo', window: 7, horizon: 2, stride: 3, calendar: 'month,day-of-week', missing: 'ffill', scaling: 'minmax', val: 0.3, test: 0, time: 'none' };
    expect(choicesFromFlags(t, flags, null)).toMatchObject({
      task: 'forecast',
      targets: ['sales'],
      inputs: ['promo'],
      window: 7,
      horizon: 2,
      stride: 3,
      calendar: ['month', 'day-of-week'],
      missing: 'forward-fill',
      scaling: 'minmax',
      valFraction: 0.3,
      testFraction: 0,
      timeColumn: null,
    });
  });

  it('builds classification choices from --task, --label, --text and friends', async () => {
    const wide = await table('wide_ucr.csv');
    expect(choicesFromFlags(wide, { task: 'classify-sequences', label: 'column_1' }, null)).toMatchObject({ task: 'classify-sequences', format: 'wide', labelColumn: 'column_1' });
    const text = await table('text_label.csv');
    expect(choicesFromFlags(text, { tokens: 'char', vocab: 50, embedding: 8, window: 40, 'keep-case': true }, null)).toEqual({
      task: 'classify-text',
      textColumn: 'review',
      labelColumn: 'sentiment',
      tokens: 'char',
      maxVocab: 50,
      embeddingSize: 8,
      length: 40,
      lowercase: false,
    });
    const long = await table('long_tickers.csv');
    expect(choicesFromFlags(long, { task: 'classify-sequences', label: 'sector', window: 10 }, null)).toMatchObject({ format: 'long', groupColumn: 'ticker', timeColumn: 'date', labelColumn: 'sector', length: 10 });
  });

  it('reuses a previous model\'s choices, with options on top', async () => {
    const t = await table('long_tickers.csv');
    const choices = { task: 'forecast' as const, targets: ['close'], categories: ['sector'], timeColumn: 'date', groupColumn: 'ticker', window: 5, horizon: 2 };
    const set = buildTrainingSet(t, choices);
    const manifest = buildModelManifest({ ...DEFAULT_CONFIG, ...trainConfigFields(set), hiddenSize: 12 }, describeTrainingData(t, choices, set, 'x.csv'));
    expect(choicesFromFlags(t, { window: 9 }, manifest)).toMatchObject({ ...choices, window: 9, missing: 'drop', scaling: 'zscore' });
    expect(configFromFlags({ epochs: 3 }, manifest)).toEqual({ ...manifest.config, epochs: 3 });
  });

  it('rejects options that do not apply, unknown columns and bad values', async () => {
    const t = await table('one_series.csv');
    expect(usage(() => choicesFromFlags(t, { text: 'sales' }, null))).toBe('train: --text does not apply to forecast (it is for classify-text or generate)');
    expect(usage(() => choicesFromFlags(t, { task: 'regress' }, null))).toBe('train: --task must be one of forecast, classify-sequences, classify-text, generate (got "regress")');
    expect(usage(() => choicesFromFlags(t, { inputs: 'sales,price' }, null))).toContain('--inputs names "price", which is not a column of the file. The columns are: "date", "sales", "promo".');
    expect(usage(() => choicesFromFlags(t, { calendar: 'week' }, null))).toBe('train: --calendar must be one of hour, day-of-week, month, day-of-year (got "week")');
    expect(usage(() => choicesFromFlags(t, { missing: 'guess' }, null))).toContain('--missing must be one of drop, forward-fill, interpolate');
    const wide = await table('wide_ucr.csv');
    expect(usage(() => choicesFromFlags(wide, { task: 'classify-sequences', label: 'column_1', window: 5 }, null))).toContain('--window does not apply to wide sequences');
    expect(usage(() => choicesFromFlags(wide, { task: 'classify-sequences', label: 'column_1', format: 'long' }, null))).toContain('add --group COLUMN');
  });
});

describe('configFromFlags', () => {
  it('maps model options onto the config', () => {
    const flags: Flags = { cell: 'GRU', layers: 2, hidden: 16, bidirectional: true, dropout: 0.1, optimizer: 'adamw', lr: 0.003, batch: 8, epochs: 4, clip: 1, 'weight-decay': 0.01, seed: 7 };
    expect(configFromFlags(flags, null)).toEqual({
      ...DEFAULT_CONFIG,
      cell: 'gru',
      numLayers: 2,
      hiddenSize: 16,
      bidirectional: true,
      dropout: 0.1,
      optimizer: 'adamw',
      learningRate: 0.003,
      batchSize: 8,
      epochs: 4,
      clipNorm: 1,
      weightDecay: 0.01,
      seed: 7,
    });
  });

  it('names the option of every out-of-range value', () => {
    expect(usage(() => configFromFlags({ layers: 5, lr: 0 }, null))).toBe(
      'train: invalid settings: --layers: numLayers must be an integer from 1 to 4 (got 5); --lr: learningRate must be a number above 0 (got 0)',
    );
    expect(usage(() => configFromFlags({ optimizer: 'rmsprop' }, null))).toBe('train: --optimizer must be one of adam, adamw, sgd (got "rmsprop")');
  });

  it('--class-weights: taken before the data decides the loss, refused once it is not a classifier', () => {
    const config = configFromFlags({ 'class-weights': 'Balanced' }, null);
    expect(config.classWeights).toBe('balanced');
    expect(usage(() => checkConfig(config))).toMatch(/^train: invalid settings: --class-weights: classWeights 'balanced' needs the cross_entropy loss/);
    expect(() => checkConfig({ ...config, loss: 'cross_entropy', outputSize: 3 })).not.toThrow();
    expect(usage(() => configFromFlags({ 'class-weights': 'inverse' }, null))).toBe('train: --class-weights must be one of none, balanced (got "inverse")');
  });
});
