// Tests the common ranking scale of a search whose forecast transform varies: decoded validation errors in the
// target's normalized original units (hand-computed cases), and the runner ranking trials on it.
import { describe, expect, it } from 'vitest';
import type { TrainingSet } from '../../src/data/training_types';
import { cpuEngines } from '../../src/training/engine_factory';
import { TuneRunner } from '../../src/training/tune_runner';
import { rankLoss, rankScaleOf, type RankScale } from '../../src/training/tune_scale';
import { parseVary } from '../../src/training/tune_space';
import { sineData, TINY } from './helpers';

const zscore = (scale: number) => ({ column: 'v', method: 'zscore' as const, center: 100, scale });

/** A set with only what the scale reads: the validation targets and decoder. */
function validationOnly(y: number[], offset: number[], scale: number, exp = false): TrainingSet {
  return { validation: { y: Float32Array.from(y), decoder: { offset: Float64Array.from(offset), scale: Float64Array.of(scale), exp } } } as unknown as TrainingSet;
}

describe('rankLoss', () => {
  it('puts a difference-transform trial in the normalized units of the target: (outputScale / b)² × its own MSE', () => {
    // Last values 10 and 12, next values 11 and 11.5; the difference transform's output scale 0.5: y = (v − last) / 0.5.
    const s = rankScaleOf(validationOnly([2, -1], [10, 12], 0.5), [zscore(2)]);
    expect(Array.from(s.actual)).toEqual([11, 11.5]);
    // Outputs 1 and 0 decode to 10.5 and 12: errors −0.5 and 0.5, divided by the target's z-score scale 2: ±0.25.
    expect(rankLoss([1, 0], s)).toBeCloseTo(0.0625, 12);
    // Its own loss is ((1 − 2)² + (0 + 1)²) / 2 = 1; (0.5 / 2)² · 1 = 0.0625.
  });

  it('gives a trial with transform none its own normalized MSE', () => {
    // none: y = (v − 100) / 4, the decoder is the normalization itself.
    const s = rankScaleOf(validationOnly([0.5, -0.25], [100, 100], 4), [zscore(4)]);
    expect(rankLoss([0, 0.75], s)).toBeCloseTo((0.5 ** 2 + 1 ** 2) / 2, 12);
  });

  it('decodes a log trial through exp before comparing', () => {
    // log with a = 0, b = 1: y = ln v, for v = e and 1. Outputs 0 and 0 decode to 1 and 1: errors 1 − e and 0.
    const s = rankScaleOf(validationOnly([1, 0], [0, 0], 1, true), [zscore(2)]);
    expect(rankLoss([0, 0], s)).toBeCloseTo(((1 - Math.E) / 2) ** 2 / 2, 6);
  });

  it('refuses a set without a decoder and a reference of the wrong width', () => {
    expect(() => rankScaleOf({ validation: { y: new Float32Array(1) } } as unknown as TrainingSet, [zscore(1)])).toThrow(/only a forecast set/);
    expect(() => rankScaleOf(validationOnly([1], [0], 1), [zscore(1), zscore(1)])).toThrow(/2 reference scalings for 1 targets/);
  });
});

describe('TuneRunner with a common scale', () => {
  it('ranks each trial by the common-scale loss of every epoch\'s weights (its history and bestValLoss on that scale)', async () => {
    const data = sineData(40, 12, 6);
    const y = Array.from(data.valY);
    // Trial "difference" is scored with its outputs scaled by 3 (outputScale 3, b 1): 9 × its own loss.
    const scaleOf = (k: number): RankScale => ({ decoder: { offset: new Float64Array(y.length), scale: Float64Array.of(k), exp: false }, actual: Float64Array.from(y, (v) => k * v), inverseScale: Float64Array.of(1) });
    const run = (scored: boolean) =>
      new TuneRunner({
        search: { strategy: 'grid', space: [parseVary('transform=none,difference')], maxEpochs: 3, seed: 5 },
        baseConfig: TINY,
        trialData: () => data,
        engines: cpuEngines(),
        snapshotIntervalMs: 0,
        rankScale: scored ? (s) => (s.transform === 'none' ? null : scaleOf(3)) : undefined,
      }).start();
    const [own, common] = [await run(false), await run(true)];
    // The same data and seed: the same training; none keeps its loss, difference's is 9 × its own at every epoch.
    expect(common.trials[0].history.map((h) => h.valLoss)).toEqual(own.trials[0].history.map((h) => h.valLoss));
    own.trials[1].history.forEach((h, i) => expect(common.trials[1].history[i].valLoss).toBeCloseTo(9 * h.valLoss, 5));
    expect(common.trials[1].bestValLoss).toBeCloseTo(9 * own.trials[1].bestValLoss, 5);
    expect(common.best).toBe(1);
  });
});
