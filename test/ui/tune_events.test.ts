// The search's worker events into the store: an unchanged trials array is kept (no redraw), a changed trial lands at
// once, live-only updates are thinned, and the end keeps why the search ended and the best trial's run.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrialRecord, TuneSnapshot } from '../../src/training/tune_runner';
import { IDLE_SNAPSHOT } from '../../src/training/types';
import { appStore, INITIAL_STATE, isTuning } from '../../src/ui/store';
import { onTune, onTuneDone } from '../../src/ui/tune_events';

const trial = (n: number, patch: Partial<TrialRecord> = {}): TrialRecord => ({
  trial: n, settings: { hidden: 4 * n }, status: 'queued', bestValLoss: NaN, epochs: 0, seconds: 0, rung: 0, message: null, history: [], ...patch,
});

function snap(trials: TrialRecord[], step = 0, patch: Partial<TuneSnapshot> = {}): TuneSnapshot {
  return {
    state: 'running', strategy: 'grid', rungs: [{ epochs: 2, trials: 2 }], rung: 0, trials: trials.map((t) => ({ ...t, history: t.history.slice() })),
    current: { trial: 1, snapshot: { ...IDLE_SNAPSHOT, state: 'training', step } }, best: null, elapsedMs: step, ...patch,
  };
}

describe('tune events', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    appStore.update({ ...INITIAL_STATE, tuneStarting: true });
  });
  afterEach(() => vi.useRealTimers());

  it('keeps an unchanged trials array, thins live updates, applies a changed trial at once, and records the end', () => {
    const running = [trial(1, { status: 'running' }), trial(2)];
    onTune(snap(running, 1), {});
    const first = appStore.get().tune!;
    expect(appStore.get().tuneStarting).toBe(false);
    expect(isTuning(appStore.get())).toBe(true);

    onTune(snap(running, 2), {});
    expect(appStore.get().tune).toBe(first); // within the thinning interval: waits
    vi.advanceTimersByTime(600);
    const later = appStore.get().tune!;
    expect(later.snapshot.current?.snapshot.step).toBe(2);
    expect(later.snapshot.trials).toBe(first.snapshot.trials); // the same records: the same array

    const h = [{ epoch: 0, trainLoss: NaN, valLoss: 1, learningRate: 0.01 }, { epoch: 1, trainLoss: 0.5, valLoss: 0.4, learningRate: 0.01 }];
    const done1 = [trial(1, { status: 'completed', bestValLoss: 0.4, epochs: 1, seconds: 1, history: h }), trial(2, { status: 'running' })];
    onTune(snap(done1, 3, { best: 1, current: null }), { 1: 'run-1' });
    const changed = appStore.get().tune!;
    expect(changed.snapshot.trials).not.toBe(first.snapshot.trials);
    expect(changed.snapshot.trials[0].status).toBe('completed');
    expect(changed.runIds).toEqual({ 1: 'run-1' });

    onTune(snap(done1, 4, { state: 'done', best: 1, current: null }), { 1: 'run-1', 2: 'run-2' });
    onTuneDone('completed', 1, 'run-1');
    const end = appStore.get().tune!;
    expect(end.end).toEqual({ reason: 'completed', best: 1, bestRunId: 'run-1' });
    expect(end.runIds).toEqual({ 1: 'run-1', 2: 'run-2' });
    expect(isTuning(appStore.get())).toBe(false);
  });
});
