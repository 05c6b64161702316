// Tests the search space (parsing, limits) and the strategies (grid, seeded random, successive halving's rungs and
// promotions) as pure code.
import { describe, expect, it } from 'vitest';
import { applySettings, parseVary, TuneSpaceError, type VarySpec } from '../../src/training/tune_space';
import { gridTrials, gridValues, halvingRungs, planSearch, randomTrials, TuneSearch } from '../../src/training/tune_strategy';
import { DEFAULT_CONFIG } from '../../src/engine/config';

const fails = (text: string) => {
  try {
    parseVary(text);
  } catch (e) {
    expect(e).toBeInstanceOf(TuneSpaceError);
    return (e as Error).message;
  }
  throw new Error(`parseVary(${text}) did not throw`);
};

describe('parseVary', () => {
  it('reads lists and ranges', () => {
    expect(parseVary('hidden=16,32,64')).toEqual({ name: 'hidden', domain: { kind: 'list', values: [16, 32, 64] } });
    expect(parseVary('lr=1e-3..3e-2')).toEqual({ name: 'lr', domain: { kind: 'range', lo: 0.001, hi: 0.03 } });
    expect(parseVary('cell=LSTM,gru')).toEqual({ name: 'cell', domain: { kind: 'list', values: ['lstm', 'gru'] } });
    expect(parseVary('weight-decay=0,1e-4').domain).toEqual({ kind: 'list', values: [0, 1e-4] });
  });

  it('names what is wrong with bad input', () => {
    expect(fails('hidden=')).toMatch(/hidden= has no values/);
    expect(fails('hidden=64..16')).toMatch(/inverted.*hidden=16\.\.64/);
    expect(fails('hidden=16..16')).toMatch(/empty/);
    expect(fails('weight-decay=0..0.1')).toMatch(/log scale.*above 0.*weight-decay=0,0.1/);
    expect(fails('lr=0..0.1')).toMatch(/lr 0 is out of range: it must be above 0/);
    expect(fails('cell=lstm,transformer')).toMatch(/"transformer" is not one of lstm, gru, rnn/);
    expect(fails('cell=a..b')).toMatch(/choice/);
    expect(fails('hidden=1.5,2')).toMatch(/whole numbers/);
    expect(fails('layers=1..9')).toMatch(/layers 9 is out of range: it must be from 1 to 4/);
    expect(fails('dropout=0..1')).toMatch(/dropout 1 is out of range/);
    expect(fails('optimizer=adam,sgd')).toMatch(/"optimizer" cannot vary; the settings that can: cell, hidden/);
    expect(fails('hidden')).toMatch(/NAME=a,b,c/);
    expect(fails('hidden=16,,32')).toMatch(/empty item/);
    expect(fails('lr=x..1')).toMatch(/"x" is not a number/);
  });

  it('maps settings onto the config fields', () => {
    const c = applySettings(DEFAULT_CONFIG, { hidden: 7, lr: 0.003, cell: 'gru', 'weight-decay': 0.01, batch: 5, layers: 2, window: 9, dropout: 0.1 });
    expect([c.hiddenSize, c.learningRate, c.cell, c.weightDecay, c.batchSize, c.numLayers, c.window, c.dropout]).toEqual([7, 0.003, 'gru', 0.01, 5, 2, 9, 0.1]);
  });
});

const space: VarySpec[] = [parseVary('hidden=4..64'), parseVary('lr=1e-4..1e-1'), parseVary('cell=lstm,gru,rnn')];

describe('grid', () => {
  it('splits a range into both ends and the middle (geometric on a log scale) and crosses every setting', () => {
    expect(gridValues(parseVary('hidden=4..64'))).toEqual([4, 34, 64]);
    expect(gridValues(parseVary('lr=1e-4..1e-2'))).toEqual([1e-4, 1e-3, 1e-2]);
    expect(gridValues(parseVary('layers=1..2'))).toEqual([1, 2]);
    const g = gridTrials([parseVary('hidden=8,16'), parseVary('cell=lstm,gru')]);
    expect(g).toEqual([{ hidden: 8, cell: 'lstm' }, { hidden: 8, cell: 'gru' }, { hidden: 16, cell: 'lstm' }, { hidden: 16, cell: 'gru' }]);
    expect(planSearch({ strategy: 'grid', space, maxEpochs: 5, seed: 1 }).trials).toHaveLength(27);
    expect(planSearch({ strategy: 'grid', space, maxEpochs: 5, seed: 1, trials: 4 }).trials).toEqual(gridTrials(space).slice(0, 4));
  });
});

describe('random', () => {
  it('draws the same trials for the same seed, inside the ranges, lr spread on a log scale', () => {
    const a = randomTrials(space, 400, 7);
    expect(randomTrials(space, 400, 7)).toEqual(a);
    expect(randomTrials(space, 400, 8)).not.toEqual(a);
    for (const t of a) {
      expect(Number.isInteger(t.hidden) && (t.hidden as number) >= 4 && (t.hidden as number) <= 64).toBe(true);
      expect((t.lr as number) >= 1e-4 && (t.lr as number) <= 1e-1).toBe(true);
      expect(['lstm', 'gru', 'rnn']).toContain(t.cell);
    }
    // Log scale: about a third of the draws in each decade (uniform would put 90% in the top one).
    const lowDecade = a.filter((t) => (t.lr as number) < 1e-3).length / a.length;
    expect(lowDecade).toBeGreaterThan(0.25);
    expect(lowDecade).toBeLessThan(0.42);
    expect(new Set(a.map((t) => t.hidden)).has(64)).toBe(true); // the upper end is included
  });

  it('draws a space of lists without repeats, at most all of it', () => {
    const lists = [parseVary('hidden=8,16,32'), parseVary('cell=lstm,gru')];
    const some = randomTrials(lists, 4, 1);
    expect(new Set(some.map((t) => JSON.stringify(t))).size).toBe(4);
    const all = planSearch({ strategy: 'halving', space: lists, trials: 20, maxEpochs: 8, seed: 1 });
    expect(all.trials).toHaveLength(6);
    expect(all.trials.map((t) => JSON.stringify(t)).sort()).toEqual(gridTrials(lists).map((t) => JSON.stringify(t)).sort());
    expect(all.rungs[0].trials).toBe(6);
  });
});

describe('successive halving', () => {
  it('plans rungs: n trials at the fewest epochs, 1/eta continuing, the last at --epochs', () => {
    expect(halvingRungs(12, 20, 2)).toEqual([{ epochs: 3, trials: 12 }, { epochs: 5, trials: 6 }, { epochs: 10, trials: 3 }, { epochs: 20, trials: 1 }]);
    expect(halvingRungs(9, 27, 3)).toEqual([{ epochs: 3, trials: 9 }, { epochs: 9, trials: 3 }, { epochs: 27, trials: 1 }]);
    expect(halvingRungs(8, 2, 2)).toEqual([{ epochs: 1, trials: 8 }, { epochs: 2, trials: 4 }]); // few epochs: fewer rungs
    expect(halvingRungs(1, 20, 2)).toEqual([{ epochs: 20, trials: 1 }]);
  });

  it('continues the best by validation loss, from where each stopped, and skips one that cannot continue', () => {
    const search = new TuneSearch({ strategy: 'halving', space, trials: 4, maxEpochs: 4, seed: 3 });
    expect(search.rungs.map((r) => r.epochs)).toEqual([1, 2, 4]);
    const loss: Record<number, number> = { 1: 0.5, 2: 0.2, 3: 0.9, 4: 0.3 };
    const jobs: string[] = [];
    for (let job = search.next(); job; job = search.next()) {
      jobs.push(`${job.trial}@${job.epochs}${job.continues ? '+' : ''}`);
      expect(job.settings).toEqual(search.trials[job.trial - 1]);
      // Trial 2 diverges in the second rung: it keeps its rank but does not continue.
      const diverged = job.trial === 2 && job.rung === 1;
      search.report(job.trial, loss[job.trial] - 0.01 * job.epochs, job.epochs, !diverged);
    }
    expect(jobs).toEqual(['1@1', '2@1', '3@1', '4@1', '2@2+', '4@2+', '4@4+']);
    // Trial 2 ranks first but cannot continue: its place in the last rung goes to trial 4.
    expect(search.ranking()).toEqual([2, 4, 1, 3]);
    expect([1, 2, 3, 4].map((t) => search.wasPruned(t))).toEqual([true, false, true, false]);
  });

  it('ranks trials without a finite loss last and refuses budgets that cannot make a trial', () => {
    const search = new TuneSearch({ strategy: 'halving', space, trials: 2, maxEpochs: 2, seed: 3 });
    const a = search.next()!;
    search.report(a.trial, NaN, 1, true);
    const b = search.next()!;
    search.report(b.trial, 5, 1, true);
    expect(search.next()).toMatchObject({ trial: b.trial, epochs: 2, continues: true });
    expect(() => new TuneSearch({ strategy: 'random', space, trials: 0, maxEpochs: 2, seed: 3 })).toThrow(/at least 1 trial/);
    expect(() => new TuneSearch({ strategy: 'random', space: [], maxEpochs: 2, seed: 3 })).toThrow(/nothing varies/);
    expect(() => new TuneSearch({ strategy: 'halving', space: [space[0], space[0]], maxEpochs: 2, seed: 3 })).toThrow(/hidden is varied twice/);
    expect(() => new TuneSearch({ strategy: 'halving', space, maxEpochs: 2, seed: 3, eta: 4 })).toThrow(/eta must be 2/);
  });
});
