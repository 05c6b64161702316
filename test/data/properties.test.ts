// Property-based tests (fast-check) of windowing and splitting: groups, time order, no leaks into normalization, class ratios.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvString } from '../../src/data/csv_stream';
import { DataError } from '../../src/data/data_error';
import { unscaleValue } from '../../src/data/scaling';
import { stratifiedSplit, timeCuts } from '../../src/data/splits';
import { buildTrainingSet, type TrainingSet } from '../../src/data/training_set';

/**
 * Series g has `lengths[g]` steps; the value at step p is 1000·g + p, so a value tells its series and step. One series
 * in five is short (3–19 steps: often too short for a window in some split, so it is dropped or the whole set is
 * refused), the rest 20–60, so that most drawn datasets make a training set and the properties run on them (a
 * uniform 3–60, with fast-check's bias to small values, left as few as 81 % of the cases usable over 40 seeds).
 */
const seriesLength = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 20, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 19 }) });
const arbitraryDataset = fc.record({
  lengths: fc.array(seriesLength, { minLength: 1, maxLength: 4 }),
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

type Choices = Parameters<typeof buildTrainingSet>[1];

/** The training set, or null where the data is refused as too short (any other error fails the test). */
function tryBuild(table: Awaited<ReturnType<typeof tableOf>>, choices: Choices): TrainingSet | null {
  try {
    return buildTrainingSet(table, choices);
  } catch (e) {
    if (e instanceof DataError && /Too few rows/.test(e.message)) return null;
    throw e;
  }
}

function build(table: Awaited<ReturnType<typeof tableOf>>, d: Dataset): TrainingSet | null {
  return tryBuild(table, { task: 'forecast', transform: 'none', targets: ['v'], timeColumn: 't', groupColumn: 'series', window: d.window, horizon: d.horizon, stride: d.stride, valFraction: d.valFraction, testFraction: d.testFraction });
}

/** Share of drawn inputs that must exercise a property (the rest refused by fc.pre) for the run to count. */
const MIN_EXERCISED = 0.8;

/**
 * Counts the cases that exercised a property and the inputs fc.pre refused. fast-check draws a replacement for each
 * refused input, so `ran` reaches numRuns; the share tells whether the generator fits the property. (Declare it
 * `const t: Tally` for `pre` to narrow its argument.)
 */
class Tally {
  ran = 0;
  rejected = 0;
  /** Windows (or samples) the exercised cases checked, so an empty split cannot pass for a checked one. */
  checked = 0;

  constructor(readonly name: string) {}

  /** fc.pre that counts: false refuses the input. */
  pre(ok: boolean): asserts ok {
    if (!ok) this.rejected++;
    fc.pre(ok);
    this.ran++;
  }

  /** What is wrong with the run's counts ('' when enough cases exercised the property); prints them. */
  problem(numRuns: number): string {
    const share = this.ran / Math.max(1, this.ran + this.rejected);
    console.log(`[property ${this.name}] ${this.ran} cases exercised it (${this.checked} windows checked), ${this.rejected} inputs refused: ${(100 * share).toFixed(1)} % exercised`);
    if (this.ran < numRuns) return `only ${this.ran} of ${numRuns} runs exercised the property`;
    if (share < MIN_EXERCISED) return `only ${(100 * share).toFixed(1)} % of the drawn inputs exercised the property (at least ${100 * MIN_EXERCISED} % must)`;
    if (this.checked < this.ran) return `${this.checked} windows checked in ${this.ran} cases`;
    return '';
  }
}

function checkTally(t: Tally, numRuns: number): void {
  expect(t.problem(numRuns)).toBe('');
}

const SPLITS = ['train', 'validation', 'test'] as const;

/** Throws unless every window of every split is consecutive steps of one series with its targets right after; returns the windows checked. */
function checkWindows(set: TrainingSet, d: Dataset): number {
  const s = set.normalization!.inputs[0];
  let checked = 0;
  for (const split of SPLITS) {
    const a = set[split];
    for (let n = 0; n < a.count; n++) {
      const inputs = Array.from(a.x.subarray(n * d.window, (n + 1) * d.window), (v) => Math.round(unscaleValue(v, s)) + 0);
      const targets = Array.from(a.y.subarray(n * d.horizon, (n + 1) * d.horizon), (v) => Math.round(unscaleValue(v, s)) + 0);
      const g = Math.floor(inputs[0] / 1000);
      expect(set.groupNames[a.group[n]]).toBe(`g${g}`);
      [...inputs, ...targets].forEach((v, t) => expect(v).toBe(inputs[0] + t));
      expect(Math.floor(targets[targets.length - 1] / 1000)).toBe(g);
      checked++;
    }
  }
  return checked;
}

/** Throws unless each series' training targets come before its validation targets, and those before its test targets. */
function checkTimeOrder(set: TrainingSet, d: Dataset): number {
  const s = set.normalization!.targets[0];
  let checked = 0;
  const steps = SPLITS.map((split) => {
    const perGroup = new Map<number, number[]>();
    const a = set[split];
    for (let i = 0; i < a.y.length; i++) {
      const v = Math.round(unscaleValue(a.y[i], s)) + 0;
      perGroup.set(Math.floor(v / 1000), [...(perGroup.get(Math.floor(v / 1000)) ?? []), v % 1000]);
    }
    checked += a.count;
    return perGroup;
  });
  d.lengths.forEach((length, g) => {
    const { trainEnd, validationEnd } = timeCuts(length, d.valFraction, d.testFraction);
    for (const p of steps[0].get(g) ?? []) expect(p).toBeLessThan(trainEnd);
    for (const p of steps[1].get(g) ?? []) expect(p >= trainEnd && p < validationEnd).toBe(true);
    for (const p of steps[2].get(g) ?? []) expect(p).toBeGreaterThanOrEqual(validationEnd);
  });
  return checked;
}

/** A dataset every choice of which makes a training set with windows in all three splits (for the negative controls). */
const PLAIN: Dataset = { lengths: [40, 30], window: 4, horizon: 2, stride: 1, valFraction: 0.2, testFraction: 0.2, shuffleSeed: 5 };

describe('forecast windows (properties)', () => {
  it('never cross a series, are consecutive steps, and targets follow the window', async () => {
    const tally: Tally = new Tally('windows');
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, async (d) => {
        const set = build(await tableOf(d), d);
        tally.pre(set !== null);
        tally.checked += checkWindows(set, d);
      }),
      { numRuns: 80 },
    );
    checkTally(tally, 80);
  });

  it('split each series in time order: training targets before validation targets before test targets', async () => {
    const tally: Tally = new Tally('time order');
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, async (d) => {
        const set = build(await tableOf(d), d);
        tally.pre(set !== null);
        tally.checked += checkTimeOrder(set, d);
      }),
      { numRuns: 80 },
    );
    checkTally(tally, 80);
  });

  it('fit normalization on training rows only: changing validation and test rows changes no statistic', async () => {
    const tally: Tally = new Tally('normalization');
    await fc.assert(
      fc.asyncProperty(arbitraryDataset, fc.constantFrom<'zscore' | 'minmax'>('zscore', 'minmax'), async (d, scaling) => {
        const cuts = d.lengths.map((n) => timeCuts(n, d.valFraction, d.testFraction).trainEnd);
        const plain = await tableOf(d);
        const wild = await tableOf(d, (g, p) => (p < cuts[g] ? 1000 * g + p : 1e6 * (g + 1) - p * 977));
        const choices = { task: 'forecast' as const, transform: 'none' as const, targets: ['v'], timeColumn: 't', groupColumn: 'series', window: d.window, horizon: d.horizon, valFraction: d.valFraction, testFraction: d.testFraction, scaling };
        const a = tryBuild(plain, choices);
        tally.pre(a !== null);
        tally.checked += a.train.count;
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
    checkTally(tally, 60);
  });
});

describe('forecast properties: negative controls (each check rejects a deliberately wrong input)', () => {
  it('a window with two steps swapped, or one whose target is another series, fails the window check', async () => {
    const set = build(await tableOf(PLAIN), PLAIN)!;
    expect(SPLITS.map((split) => set[split].count).every((n) => n > 0)).toBe(true);
    expect(checkWindows(set, PLAIN)).toBe(set.train.count + set.validation.count + set.test.count);
    const swapped = structuredClone(set);
    [swapped.validation.x[1], swapped.validation.x[2]] = [swapped.validation.x[2], swapped.validation.x[1]];
    expect(() => checkWindows(swapped, PLAIN)).toThrow();
    const crossed = structuredClone(set);
    crossed.test.y[0] = set.train.y[set.train.y.length - 1];
    expect(() => checkWindows(crossed, PLAIN)).toThrow();
  });

  it('a validation target moved into training fails the time-order check', async () => {
    const set = build(await tableOf(PLAIN), PLAIN)!;
    expect(checkTimeOrder(set, PLAIN)).toBeGreaterThan(0);
    const leaked = structuredClone(set);
    leaked.train.y[0] = set.validation.y[set.validation.y.length - 1];
    expect(() => checkTimeOrder(leaked, PLAIN)).toThrow();
  });

  it('changing a training row does change the normalization (what the leak property must not see from other rows)', async () => {
    const choices: Choices = { task: 'forecast', transform: 'none', targets: ['v'], timeColumn: 't', groupColumn: 'series', window: PLAIN.window, horizon: PLAIN.horizon, valFraction: PLAIN.valFraction, testFraction: PLAIN.testFraction, scaling: 'zscore' };
    const a = buildTrainingSet(await tableOf(PLAIN), choices);
    const b = buildTrainingSet(await tableOf(PLAIN, (g, p) => (g === 0 && p === 0 ? -5000 : 1000 * g + p)), choices);
    expect(b.normalization).not.toEqual(a.normalization);
  });

  it('the run counts: too few exercised cases, or too large a share refused, is reported', () => {
    const t = (ran: number, rejected: number, checked = ran) => Object.assign(new Tally('control'), { ran, rejected, checked });
    expect(t(80, 10).problem(80)).toBe('');
    expect(t(79, 0).problem(80)).toMatch(/only 79 of 80 runs/);
    expect(t(80, 21).problem(80)).toMatch(/% of the drawn inputs/);
    expect(t(80, 0, 0).problem(80)).toMatch(/0 windows checked/);
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
