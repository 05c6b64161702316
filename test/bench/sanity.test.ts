// The check every LSTM row passes before it is reported: the loss on the fixed batch fell over the engine's steps.
import { describe, expect, it } from 'vitest';
import { makeRow } from '../../src/bench/bench_spec';
import { checkTrains, lossChange, mseOf, NotTraining, trainingProblem } from '../../src/bench/sanity';

const row = (lossBefore?: number, lossAfter?: number) => ({ ...makeRow('S', 'jax-js', 'test', 100, 64, 1e9), lossBefore, lossAfter });

describe('training sanity check', () => {
  it('computes the MSE of predictions against targets', () => {
    expect(mseOf([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(mseOf(new Float32Array([1, -1]), new Float32Array([0, 1]))).toBeCloseTo((1 + 4) / 2, 12);
    expect(Number.isNaN(mseOf([], []))).toBe(true);
    expect(() => mseOf([1, 2], [1])).toThrow(/2 predictions for 1 targets/);
  });

  it('passes a row whose loss fell, however little', () => {
    expect(trainingProblem(0.2727, 0.2711)).toBeNull();
    expect(trainingProblem(1, 1 - 1e-7)).toBeNull();
    expect(checkTrains(row(0.5, 0.4)).engine).toBe('jax-js');
    expect(lossChange(row(0.27274, 0.27111))).toBe('0.2727 → 0.2711');
  });

  it('negative controls: a loss that stayed, rose, is not finite or is missing is a miss with the reason', () => {
    expect(trainingProblem(0.3, 0.3)).toMatch(/did not train: the loss on the bench batch went from 0\.300000 to 0\.300000/);
    expect(trainingProblem(0.3, 0.31)).toMatch(/did not train/);
    expect(trainingProblem(Number.NaN, 0.1)).toMatch(/non-finite loss/);
    expect(trainingProblem(0.3, Number.POSITIVE_INFINITY)).toMatch(/non-finite loss/);
    expect(trainingProblem(undefined, 0.1)).toMatch(/reported no loss/);
    expect(() => checkTrains(row(0.3, 0.31))).toThrow(NotTraining);
    expect(() => checkTrains(row())).toThrow(NotTraining);
    expect(lossChange(row())).toBe('');
  });
});
