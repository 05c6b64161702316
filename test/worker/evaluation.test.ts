// Predictions against truth, computed in the worker: confusion matrix and per-class scores; forecasts in original units.
import { describe, expect, it } from 'vitest';
import { buildTrainingSet, parseCsvString } from '../../src/data/index';
import { noisySineCsv } from '../../src/data/builtin_datasets';
import { evaluateClasses, evaluateForecast } from '../../src/worker/evaluation';

describe('evaluateClasses', () => {
  it('counts actual × predicted and scores each class', () => {
    // logits for 4 samples of 2 classes: predicted 0, 1, 1, 0; actual 0, 1, 0, 0
    const e = evaluateClasses(['a', 'b'], [2, 1, 0, 3, 0, 1, 5, 0], [0, 1, 0, 0]);
    expect(e.confusion).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect(e.accuracy).toBe(0.75);
    expect(e.perClass[0]).toMatchObject({ name: 'a', precision: 1, recall: 2 / 3, support: 3 });
    expect(e.perClass[1]).toMatchObject({ name: 'b', precision: 0.5, recall: 1, support: 1 });
    expect(e.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2);
  });
});

describe('evaluateForecast', () => {
  it('a perfect forecast has zero error and lines up with the actual series in original units', async () => {
    const table = await parseCsvString(noisySineCsv(300));
    const set = buildTrainingSet(table, { task: 'forecast', targets: ['value'], timeColumn: 'step', window: 12, horizon: 2 });
    const e = evaluateForecast(set, set.validation.y.slice(), (r) => `row ${r}`);
    expect(e.horizon).toBe(2);
    expect(e.metrics!.rmse).toBeCloseTo(0, 6);
    const values = table.columns[1].kind === 'number' ? table.columns[1].values : new Float64Array();
    e.x.forEach((x, i) => {
      if (e.actual[i] !== null) expect(e.actual[i]).toBeCloseTo(values[x - 1], 3);
      if (e.predicted[0][i] !== null) expect(e.predicted[0][i]).toBeCloseTo(values[x - 1], 3);
    });
    expect(e.xLabels![0]).toBe(`row ${e.x[0] - 1}`);
  });

  it('a constant forecast has the error of the series around that constant', async () => {
    const table = await parseCsvString(noisySineCsv(300));
    const set = buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 12, transform: 'none' });
    const zero = new Float32Array(set.validation.y.length); // normalized 0 = the training mean
    const e = evaluateForecast(set, zero, null);
    expect(e.metrics!.rmse).toBeGreaterThan(0.3);
    expect(e.predicted[0].every((v) => v === null || Math.abs(v - set.normalization!.targets[0].center) < 1e-6)).toBe(true);
  });

  it('draws a transformed forecast in original units: with the difference transform a zero output is persistence', async () => {
    const table = await parseCsvString(noisySineCsv(300));
    const set = buildTrainingSet(table, { task: 'forecast', targets: ['value'], window: 12, transform: 'difference' });
    const e = evaluateForecast(set, new Float32Array(set.validation.y.length), null);
    const persistence = set.baselines.find((b) => b.name === 'persistence')!.validation as { rmse: number };
    expect(e.metrics!.rmse).toBeCloseTo(persistence.rmse, 5);
    // Each point's t+1 forecast is the actual value one step before it.
    for (let i = 1; i < e.x.length; i++) if (e.x[i] === e.x[i - 1] + 1 && e.predicted[0][i] !== null) expect(e.predicted[0][i]).toBeCloseTo(e.actual[i - 1]!, 4);
  });
});
