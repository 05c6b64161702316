// The Tune panel's views of a search snapshot: the table sorted by any column (unknown losses last), every trial's
// curve (pruned ones shorter, the live trial's epochs included), the scatter of each setting against the loss.
import { describe, expect, it } from 'vitest';
import { IDLE_SNAPSHOT } from '../../src/training/types';
import type { TrialRecord, TuneSnapshot } from '../../src/training/tune_runner';
import { bestTrial, finishedCount, formatTrialTime, nextSort, scatterPanels, settingNames, sortTrials, tuneCurves, tuneSummary } from '../../src/ui/tune_view';

const h = (epoch: number, valLoss: number) => ({ epoch, trainLoss: epoch === 0 ? NaN : valLoss * 1.1, valLoss, learningRate: 0.01 });

function trial(n: number, settings: TrialRecord['settings'], patch: Partial<TrialRecord>): TrialRecord {
  return { trial: n, settings, status: 'completed', bestValLoss: NaN, epochs: 0, seconds: 0, rung: 0, message: null, history: [], ...patch };
}

const TRIALS: TrialRecord[] = [
  trial(1, { cell: 'lstm', hidden: 8, lr: 0.001 }, { bestValLoss: 0.4, epochs: 2, seconds: 3, history: [h(0, 1), h(1, 0.5), h(2, 0.4)] }),
  trial(2, { cell: 'gru', hidden: 32, lr: 0.01 }, { status: 'pruned', bestValLoss: 0.6, epochs: 1, seconds: 1, history: [h(0, 1), h(1, 0.6)] }),
  trial(3, { cell: 'gru', hidden: 16, lr: 0.03 }, { bestValLoss: 0.2, epochs: 2, seconds: 5, history: [h(0, 1), h(1, 0.3), h(2, 0.2)] }),
  trial(4, { cell: 'lstm', hidden: 4, lr: 0.002 }, { status: 'running', rung: 1 }),
];

function snap(patch: Partial<TuneSnapshot> = {}): TuneSnapshot {
  return { state: 'running', strategy: 'halving', rungs: [{ epochs: 1, trials: 4 }, { epochs: 2, trials: 2 }], rung: 1, trials: TRIALS, current: null, best: 3, elapsedMs: 9000, ...patch };
}

describe('tune view', () => {
  it('sorts by any column, both ways, with unknown values last and ties by trial', () => {
    const ids = (t: TrialRecord[]) => t.map((x) => x.trial);
    expect(ids(sortTrials(TRIALS, { key: 'bestValLoss', descending: false }))).toEqual([3, 1, 2, 4]);
    expect(ids(sortTrials(TRIALS, { key: 'bestValLoss', descending: true }))).toEqual([2, 1, 3, 4]);
    expect(ids(sortTrials(TRIALS, { key: 'setting:hidden', descending: false }))).toEqual([4, 1, 3, 2]);
    expect(ids(sortTrials(TRIALS, { key: 'setting:cell', descending: false }))).toEqual([2, 3, 1, 4]);
    expect(ids(sortTrials(TRIALS, { key: 'seconds', descending: true }))).toEqual([3, 1, 2, 4]);
    expect(ids(sortTrials(TRIALS, { key: 'status', descending: false }))).toEqual([4, 1, 3, 2]);
    expect(ids(sortTrials(TRIALS, { key: 'trial', descending: true }))).toEqual([4, 3, 2, 1]);
    expect(ids(TRIALS)).toEqual([1, 2, 3, 4]); // the snapshot's array is left alone
    expect(nextSort({ key: 'trial', descending: false }, 'epochs')).toEqual({ key: 'epochs', descending: false });
    expect(nextSort({ key: 'epochs', descending: false }, 'epochs')).toEqual({ key: 'epochs', descending: true });
  });

  it('draws every trial that has epochs, the pruned one shorter, the best flagged, the live trial from its session', () => {
    const live = { ...IDLE_SNAPSHOT, state: 'training' as const, epoch: 1, epochs: 2, history: [h(0, 1), h(1, 0.7)] };
    const c = tuneCurves(snap({ current: { trial: 4, snapshot: live } }));
    expect(c.lines.map((l) => [l.trial, l.epochs, l.best])).toEqual([[1, 2, false], [2, 1, false], [3, 2, true], [4, 1, false]]);
    expect(c.rows.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(c.rows[0]).toEqual({ epoch: 0, val_1: 1, val_2: 1, val_3: 1, val_4: 1 });
    expect(c.rows[2]).toEqual({ epoch: 2, val_1: 0.4, val_3: 0.2 });
    expect(c.rows[1].val_4).toBe(0.7);
    expect(tuneCurves(snap()).lines.map((l) => l.trial)).toEqual([1, 2, 3]);
  });

  it('puts each varied setting against the best loss: choices as categories, the best marked, untrained trials left out', () => {
    const [cell, hidden, lr] = scatterPanels(snap());
    expect(settingNames(snap())).toEqual(['cell', 'hidden', 'lr']);
    expect(cell.axis).toBe('category');
    expect(cell.categories).toEqual(['gru', 'lstm']);
    expect(cell.points.map((p) => [p.x, p.y, p.best])).toEqual([[1, 0.4, false], [0, 0.6, false], [0, 0.2, true]]);
    expect(hidden.axis).toBe('linear');
    expect(hidden.points.map((p) => p.x)).toEqual([8, 32, 16]);
    expect(lr.axis).toBe('log');
    expect(lr.points.find((p) => p.best)).toMatchObject({ x: 0.03, trial: 3 });
    expect(cell.ticks).toEqual([0, 1]);
    expect(hidden.ticks).toEqual([8, 20, 32]);
    expect(lr.ticks).toEqual([0.001, 0.0055, 0.03]);
  });

  it('names the best trial and sums the search up', () => {
    expect(bestTrial(snap())?.trial).toBe(3);
    expect(bestTrial(snap({ best: null }))).toBeNull();
    expect([0, 0.04, 3.21, 75].map(formatTrialTime)).toEqual(['—', '0.0 s', '3.2 s', '1 min 15 s']);
    expect(finishedCount(snap())).toBe(3);
    const live = { ...IDLE_SNAPSHOT, state: 'training' as const, epoch: 1, epochs: 2 };
    expect(tuneSummary(snap({ current: { trial: 4, snapshot: live } }), '9 s')).toBe('Tuning: trial 4 of 4 (rung 2 of 2), epoch 2 · 3 finished · best trial 3 · 9 s');
    expect(tuneSummary(snap({ state: 'done' }), '9 s')).toBe('Search done: 3 of 4 trials · best trial 3 · 9 s');
  });
});
