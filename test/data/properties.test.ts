// Property-based tests (fast-check) of windowing and splitting: groups, time order, no leaks into normalization, class ratios.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { DataError } from '../../src/data/data_error';
import { unscaleValue } from '../../src/data/scaling';
import { stratifiedSplit, timeCuts } from '../../src/data/splits';
import { buildTrainingSet, type TrainingSet } from '../../src/data/training_set';

/** Series g has `lengths[g]` steps; the value at step p is 1000·g + p, so a value tells its series and step. */
const arbitraryDataset = fc.record({
  lengths: fc.array(fc.integer({ min: 3, max: 60 }), { minLength: 1, maxLength: 4 }),
  window: fc.integer({ min: 1, max: 6 }),
  horizon: fc.integer({ min: 1, max: 3 }),
  stride: fc.integer({ min: 1, max: 3 }),
  valFraction: fc.constantFrom(0.1, 0.2, 0.3),
  testFraction: fc.constantFrom(0, 0.1, 0.2),
  shuffleSeed: fc.integer({ min: 0, max: 1000 }),
});
type Dataset = typeof arbitraryDataset extends fc.Arbitrary<infer T> ? T : never;

async function tableOf(d: Dataset, valueAt: (g: number, p: number) => number = (g, p) => 1000 * g + p) {
  const rows: string[] = [];
  d.lengths.forEach((n, g) => {
    for (let p = 0; p < n; p++) rows.push(`g${g},${p},${valueAt(g, p)}`);
  });
  // Interleave the series and scramble the order: the builder must regroup and sort by time.
  const order = rows.map((_, i) => i).sort((a, b) => ((a * 7919 + d.shuffleSeed) % 1009) - ((b * 7919 + d.shuffleSeed) % 1009) || a - b);
  return parseCsvString(`series,t,v\n${order.map((i) => rows[i]).join('\n')}\n`);
}

function build(table: Awaited<ReturnType<typeof tableOf>>, d: Dataset): TrainingSet | null {
  try {
    return buildTrainingSet(table, { task: 'forecast', targets: ['v'], timeColumn: 't', groupColumn: 'series', window: d.window, horizon: d.horizon, stride: d.stride, valFraction: d.valFraction, testFraction: d.testFraction });
  } catch (e) {
    if (e instanceof DataError && /Too few rows/.test(e.message)) return null;
    throw e;
  }
}

const SPLITS = ['train', 'validation', 'test'] as const;

describe('forecast windows (properties)', () => {
  it('never cross a series, are consecutive steps, and targets follow the window', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, async (d) => {
        const set = build(await tableOf(d), d);
        if (!set) return;
        const s = set.normalization!.inputs[0];
        for (const split of SPLITS) {
          const a = set[split];
          for (let n = 0; n < a.count; n++) {
            const inputs = Array.from(a.x.subarray(n * d.window, (n + 1) * d.window), (v) => Math.round(unscaleValue(v, s)) + 0);
            const targets = Array.from(a.y.subarray(n * d.horizon, (n + 1) * d.horizon), (v) => Math.round(unscaleValue(v, s)) + 0);
            const g = Math.floor(inputs[0] / 1000);
            expect(set.groupNames[a.group[n]]).toBe(`g${g}`);
            [...inputs, ...targets].forEach((v, t) => expect(v).toBe(inputs[0] + t));
            expect(Math.floor(targets[targets.length - 1] / 1000)).toBe(g);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('split each series in time order: training targets before validation targets before test targets', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, async (d) => {
        const set = build(await tableOf(d), d);
        if (!set) return;
        const s = set.normalization!.targets[0];
        const steps = SPLITS.map((split) => {
          const perGroup = new Map<number, number[]>();
          const a = set[split];
          for (let i = 0; i < a.y.length; i++) {
            const v = Math.round(unscaleValue(a.y[i], s)) + 0;
            perGroup.set(Math.floor(v / 1000), [...(perGroup.get(Math.floor(v / 1000)) ?? []), v % 1000]);
          }
          return perGroup;
        });
        d.lengths.forEach((length, g) => {
          const { trainEnd, validationEnd } = timeCuts(length, d.valFraction, d.testFraction);
          for (const p of steps[0].get(g) ?? []) expect(p).toBeLessThan(trainEnd);
          for (const p of steps[1].get(g) ?? []) expect(p >= trainEnd && p < validationEnd).toBe(true);
          for (const p of steps[2].get(g) ?? []) expect(p).toBeGreaterThanOrEqual(validationEnd);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('fit normalization on training rows only: changing validation and test rows changes no statistic', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, fc.constantFrom<'zscore' | 'minmax'>('zscore', 'minmax'), async (d, scaling) => {
        const cuts = d.lengths.map((n) => timeCuts(n, d.valFraction, d.testFraction).trainEnd);
        const plain = await tableOf(d);
        const wild = await tableOf(d, (g, p) => (p < cuts[g] ? 1000 * g + p : 1e6 * (g + 1) - p * 977));
        const choices = { task: 'forecast' as const, targets: ['v'], timeColumn: 't', groupColumn: 'series', window: d.window, horizon: d.horizon, valFraction: d.valFraction, testFraction: d.testFraction, scaling };
        let a: TrainingSet;
        try {
          a = buildTrainingSet(plain, choices);
        } catch (e) {
          if (e instanceof DataError) return;
          throw e;
        }
        const b = buildTrainingSet(wild, choices);
        expect(b.normalization).toEqual(a.normalization);
        const training = d.lengths.flatMap((n, g) => Array.from({ length: cuts[g] }, (_, p) => 1000 * g + p));
        const mean = training.reduce((x, y) => x + y, 0) / training.length;
        const expectedCenter = scaling === 'zscore' ? mean : Math.min(...training);
        expect(a.normalization!.targets[0].center).toBeCloseTo(expectedCenter, 6);
        expect(Array.from(b.train.x)).toEqual(Array.from(a.train.x));
      }),
      { numRuns: 60 },
    );
  });
});

describe('stratified split (properties)', () => {
  it('keeps every class within 1 of its exact share in each split, and one training sample per class', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 6 }),
        fc.constantFrom(0.1, 0.2, 0.25, 0.3),
        fc.constantFrom(0, 0.1, 0.2),
        fc.integer({ min: 0, max: 1e6 }),
        (sizes, valFraction, testFraction, seed) => {
          const ids = sizes.flatMap((n, c) => Array.from({ length: n }, () => c));
          const split = stratifiedSplit(ids, sizes.length, valFraction, testFraction, seed);
          sizes.forEach((n, c) => {
            const count = (name: string) => split.filter((s, i) => ids[i] === c && s === name).length;
            expect(Math.abs(count('validation') - n * valFraction)).toBeLessThanOrEqual(1);
            expect(Math.abs(count('test') - n * testFraction)).toBeLessThanOrEqual(1);
            expect(Math.abs(count('train') - n * (1 - valFraction - testFraction))).toBeLessThanOrEqual(1);
            expect(count('train')).toBeGreaterThanOrEqual(1);
          });
          expect(stratifiedSplit(ids, sizes.length, valFraction, testFraction, seed)).toEqual(split);
        },
      ),
      { numRuns: 200 },
    );
  });
});
