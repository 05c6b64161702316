// Tests forecasting training sets: window layout, horizon, stride, splits, normalization, features, gaps, missing values, baselines.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { unscaleForecast, unscaleValue } from '../../src/data/scaling';
import { buildTrainingSet, trainConfigFields, type ForecastChoices, type TrainingSet } from '../../src/data/training_set';
import { fixturePath } from './helpers';

const series = (values: (number | string)[], header = 'v') => parseCsvString(`${header}\n${values.join('\n')}\n`);
/** Math.round without -0. */
const round = (v: number) => Math.round(v) + 0;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const forecast = async (csv: Promise<import('../../src/data/table').DataTable>, choices: Partial<ForecastChoices>) =>
  buildTrainingSet(await csv, { task: 'forecast', targets: ['v'], window: 10, transform: 'none', ...choices } as ForecastChoices);
/** Original-unit inputs of sample n, feature f. */
const inputsOf = (set: TrainingSet, split: 'train' | 'validation' | 'test', n: number, f = 0) =>
  range(set.window).map((t) => unscaleValue(set[split].x[(n * set.window + t) * set.inputSize + f], set.normalization!.inputs[f]));

describe('forecast windows', () => {
  it('lays out stride-1 windows split in time order, with counts, rows and train-only z-scores', async () => {
    const set = await forecast(series(range(100)), {});
    expect(trainConfigFields(set)).toEqual({ inputSize: 1, outputSize: 1, loss: 'mse', headOn: 'last_step', vocabSize: 0, window: 10 });
    expect([set.counts.train, set.counts.validation, set.counts.test, set.counts.droppedAtSplitBoundary]).toEqual([60, 20, 10, 0]);
    expect(set.train.x.length).toBe(60 * 10);
    expect(inputsOf(set, 'train', 0).map(round)).toEqual(range(10));
    expect(unscaleForecast(set.train.y, set.normalization!.targets)[0]).toBeCloseTo(10, 4);
    expect(inputsOf(set, 'validation', 0).map(round)).toEqual(range(10).map((i) => i + 60));
    expect(Math.round(unscaleValue(set.test.y[9], set.normalization!.targets[0]))).toBe(99);
    expect(Array.from(set.train.row.subarray(0, 3))).toEqual([9, 10, 11]);
    const { center, scale } = set.normalization!.targets[0];
    expect(center).toBeCloseTo(34.5, 10);
    expect(scale).toBeCloseTo(Math.sqrt((70 * 70 - 1) / 12), 10);
    expect(set.outputNames).toEqual(['v t+1']);
  });

  it('predicts a horizon jointly, drops windows straddling a split, and honours the stride', async () => {
    const set = await forecast(series(range(100)), { horizon: 3 });
    expect(set.outputSize).toBe(3);
    expect(set.counts.droppedAtSplitBoundary).toBe(4);
    expect(Array.from(unscaleForecast(set.train.y.subarray(0, 3), set.normalization!.targets)).map(round)).toEqual([10, 11, 12]);
    const strided = await forecast(series(range(100)), { stride: 5, testFraction: 0 });
    expect(inputsOf(strided, 'train', 1)[0]).toBeCloseTo(5, 4);
    expect(strided.counts.test).toBe(0);
  });

  it('builds features: targets and inputs scaled, categories one-hot from training, calendar sine/cosine', async () => {
    const rows = range(48).map((h) => `2021-03-01T${String(h % 24).padStart(2, '0')}:00:00+00:00`.replace('+00:00', '') + `,${h},${100 - h},${h % 3 === 0 ? 'on' : 'off'}`);
    rows.forEach((r, h) => (rows[h] = r.replace('2021-03-01', h < 24 ? '2021-03-01' : '2021-03-02')));
    const table = await parseCsvString(`time,a,b,state\n${rows.join('\n')}\n`);
    const set = buildTrainingSet(table, {
      task: 'forecast',
      transform: 'none',
      targets: ['a', 'b'],
      inputs: ['b'],
      categories: ['state'],
      calendar: ['hour'],
      timeColumn: 'time',
      window: 4,
      horizon: 2,
      testFraction: 0,
    });
    expect(set.featureNames).toEqual(['a', 'b', 'state=on', 'state=off', 'hour_sin', 'hour_cos']);
    expect(set.outputNames).toEqual(['a t+1', 'b t+1', 'a t+2', 'b t+2']);
    expect(set.inputSize).toBe(6);
    // Sample n starts at hour n, so its step t is hour n + t.
    const feature = (n: number, t: number, f: number) => set.train.x[(n * 4 + t) * 6 + f];
    expect([feature(0, 0, 2), feature(0, 0, 3), feature(0, 1, 2), feature(0, 1, 3)]).toEqual([1, 0, 0, 1]);
    expect(feature(0, 0, 4)).toBeCloseTo(0, 6); // hour 0: sin 0, cos 1
    expect(feature(0, 0, 5)).toBeCloseTo(1, 6);
    expect(feature(3, 3, 4)).toBeCloseTo(1, 6); // hour 6: sin 1, cos 0
    expect(feature(3, 3, 5)).toBeCloseTo(0, 6);
    expect(feature(0, 0, 0)).toBeCloseTo((0 - set.normalization!.inputs[0].center) / set.normalization!.inputs[0].scale, 5);
    const y = unscaleForecast(set.train.y.subarray(0, 4), set.normalization!.targets);
    expect(Array.from(y).map(round)).toEqual([4, 96, 5, 95]);
  });

  it('keeps windows inside each series of a long file, with the group of every sample', async () => {
    const table = await parseCsvPath(fixturePath('long_tickers.csv'));
    const set = buildTrainingSet(table, { task: 'forecast', transform: 'none', targets: ['close'], timeColumn: 'date', groupColumn: 'ticker', window: 5, horizon: 2 });
    expect(set.groupNames).toEqual(['AAA', 'BBB', 'CCC']);
    // Per ticker 60 rows: train end 42, validation end 54.
    expect(set.counts.train).toBe(3 * (42 - 7 + 1));
    expect(new Set(set.validation.group)).toEqual(new Set([0, 1, 2]));
    for (let n = 0; n < set.train.count; n++) {
      const g = set.train.group[n];
      expect(Math.floor(set.train.row[n] / 60)).toBe(g); // rows of ticker g are 60g…60g+59
    }
  });

  it('sorts rows by time and handles missing values by dropping windows, forward-filling or interpolating', async () => {
    const values = range(40).map((i) => (i === 5 || i === 6 ? 'NA' : String(i)));
    const dropped = await forecast(series(values), { window: 3, testFraction: 0 });
    expect(dropped.counts.droppedForMissing).toBe(5); // windows touching row 5 or 6 as input or target
    expect(dropped.counts.filledCells).toBe(0);
    const filled = await forecast(series(values), { window: 3, testFraction: 0, missing: 'forward-fill' });
    expect([filled.counts.droppedForMissing, filled.counts.filledCells]).toEqual([0, 2]);
    expect(inputsOf(filled, 'train', 4).map(round)).toEqual([4, 4, 4]);
    const interpolated = await forecast(series(values), { window: 3, testFraction: 0, missing: 'interpolate' });
    expect(inputsOf(interpolated, 'train', 4).map((v) => Number(v.toFixed(6)))).toEqual([4, 5, 6]);
    const shuffled = await parseCsvString(`t,v\n${range(30).map((i) => `${(i * 7) % 30},${(i * 7) % 30}`).join('\n')}\n`);
    const sorted = buildTrainingSet(shuffled, { task: 'forecast', transform: 'none', targets: ['v'], timeColumn: 't', window: 3, testFraction: 0 });
    expect(inputsOf(sorted, 'train', 0).map(round)).toEqual([0, 1, 2]);
  });

  it('does not cross a time gap unless it is filled, and then inserts the missing steps', async () => {
    const days = range(40).filter((d) => d !== 20).map((d) => `${new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10)},${d}`);
    const table = () => parseCsvString(`date,v\n${days.join('\n')}\n`);
    const dropped = await forecast(table(), { timeColumn: 'date', window: 3, testFraction: 0 });
    expect([dropped.counts.timeGaps, dropped.counts.insertedSteps]).toEqual([1, 0]);
    expect(dropped.counts.droppedForMissing).toBe(3);
    const filled = await forecast(table(), { timeColumn: 'date', window: 3, testFraction: 0, missing: 'interpolate' });
    expect([filled.counts.timeGaps, filled.counts.insertedSteps, filled.counts.filledCells]).toEqual([0, 1, 1]);
    expect(filled.counts.train + filled.counts.validation + filled.counts.droppedAtSplitBoundary!).toBe(40 - 3);
  });

  it('min-max scales the training part into [0, 1]', async () => {
    const set = await forecast(series(range(100).map((i) => i * 2 + 1)), { scaling: 'minmax' });
    const all = Array.from(set.train.x);
    expect(Math.min(...all)).toBeCloseTo(0, 6);
    expect(Math.max(...Array.from(set.train.y))).toBeCloseTo(1, 6);
    expect(set.normalization!.targets[0]).toEqual({ column: 'v', method: 'minmax', center: 1, scale: 138 });
  });
});

describe('forecast baselines', () => {
  it('persistence on a straight line is off by the number of steps ahead', async () => {
    const set = await forecast(series(range(100)), { horizon: 2, season: null });
    const persistence = set.baselines.find((b) => b.name === 'persistence')!;
    expect(persistence.validation).toMatchObject({ mse: 2.5, mae: 1.5, rmse: Math.sqrt(2.5) });
    expect(set.baselines.map((b) => b.name)).toEqual(['persistence']);
  });

  it('seasonal naive is exact on a repeating week, and its season is guessed from daily dates', async () => {
    const week = [3, 5, 4, 8, 9, 2, 1];
    const rows = range(140).map((d) => `${new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10)},${week[d % 7]}`);
    const set = await forecast(parseCsvString(`date,v\n${rows.join('\n')}\n`), { timeColumn: 'date', window: 14, horizon: 3 });
    const seasonal = set.baselines.find((b) => b.name === 'seasonal-naive')!;
    expect(seasonal.validation).toMatchObject({ mse: 0, mae: 0 });
    expect(seasonal.test).toMatchObject({ mse: 0 });
    expect(set.notes).toContain('Seasonal-naive baseline: a season of 7 steps was assumed.');
    expect(set.baselines[0].validation).toMatchObject({ mse: expect.any(Number) });
    expect((set.baselines[0].validation as { mse: number }).mse).toBeGreaterThan(1);
  });

  it('guesses the season of an undated series from its autocorrelation', async () => {
    const set = await forecast(series(range(300).map((i) => Math.sin((2 * Math.PI * i) / 12).toFixed(5))), { window: 12 });
    expect(set.notes).toContain('Seasonal-naive baseline: a season of 12 steps was assumed.');
  });
});
