// Tests the final metrics in original units (forecast errors, accuracy and F1), softmax and the predictions CSV fields.
import { describe, expect, it } from 'vitest';
import { classificationScore, forecastScore, jsonWithNulls, softmaxRows } from '../../src/model_io/metrics';
import { csvField } from '../../src/model_io/predictions_csv';

describe('metrics', () => {
  it('measures forecast errors in original units, overall and per target', () => {
    // Two targets: a (center 10, scale 2) and b (center 0, scale 10); outputs [n][targets].
    const scalings = [{ column: 'a', method: 'zscore' as const, center: 10, scale: 2 }, { column: 'b', method: 'zscore' as const, center: 0, scale: 10 }];
    const predicted = [0, 0, 1, 1];
    const actual = [0.5, 0, 1, 0.5];
    const s = forecastScore(predicted, actual, scalings)!;
    // Errors in original units: a: -1, 0 ; b: 0, 5.
    expect(s.count).toBe(4);
    expect(s.mse).toBeCloseTo((1 + 0 + 0 + 25) / 4, 12);
    expect(s.mae).toBeCloseTo((1 + 0 + 0 + 5) / 4, 12);
    expect(s.rmse).toBeCloseTo(Math.sqrt(26 / 4), 12);
    expect(s.normalizedMse).toBeCloseTo((0.25 + 0 + 0 + 0.25) / 4, 12);
    expect(s.perTarget.a).toEqual({ mse: 0.5, rmse: Math.sqrt(0.5), mae: 0.5 });
    expect(s.perTarget.b).toEqual({ mse: 12.5, rmse: Math.sqrt(12.5), mae: 2.5 });
    expect(forecastScore([], [], scalings)).toBeNull();
  });

  it('scores classes: accuracy, macro F1 over present classes, per-class numbers', () => {
    // 4 samples, 3 classes; predictions (argmax) 0, 1, 1, 0 against labels 0, 1, 0, 0; class 2 never appears.
    const logits = [2, 1, 0, 0, 3, 1, 0, 1, 0, 5, 1, 1];
    const s = classificationScore(logits, [0, 1, 0, 0], ['x', 'y', 'z'])!;
    expect(s.accuracy).toBe(0.75);
    expect(s.perClass.x).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
    expect(s.perClass.y).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(s.perClass.z.support).toBe(0);
    expect(s.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 12);
  });

  it('computes a stable softmax and writes non-finite numbers as null', () => {
    const p = softmaxRows([1000, 1000, 0, Math.log(3)], 2);
    [0.5, 0.5, 0.25, 0.75].forEach((v, i) => expect(p[i]).toBeCloseTo(v, 14));
    expect(jsonWithNulls({ a: NaN, b: [Infinity, 1] })).toBe('{"a":null,"b":[null,1]}');
  });

  it('quotes CSV fields that need it and prints numbers with nine significant digits', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(Math.fround(0.1))).toBe('0.100000001');
    expect(csvField(NaN)).toBe('');
  });
});
