// A saved search as the page shows it after a reload: its trials as they were (the one cut off shown stopped), ended,
// its best trial's run; offered only when it can continue (stopped, or cut off with no tab running it).
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import type { SavedTune } from '../../src/storage/tune_store';
import type { TrialRecord } from '../../src/training/tune_runner';
import { parseVary } from '../../src/training/tune_space';
import { resumable, tuneStateOf } from '../../src/ui/saved_tunes';

const trial = (n: number, status: TrialRecord['status'], rung = 0): TrialRecord => ({
  trial: n, settings: { hidden: 4 * n }, status, bestValLoss: 0.5 / n, epochs: rung + 1, seconds: 1, rung, message: null, history: [],
});

const saved: SavedTune = {
  id: 't1', name: 'search', createdAt: 1, updatedAt: 2, status: 'running', end: null,
  definition: { strategy: 'halving', space: [parseVary('hidden=4,8,12')], trials: 3 }, config: DEFAULT_CONFIG, patience: 0, datasetName: 'sine',
  rungs: [{ epochs: 1, trials: 3 }, { epochs: 2, trials: 1 }],
  trials: [trial(1, 'pruned'), trial(2, 'waiting'), trial(3, 'running', 1)],
  jobs: [trial(1, 'waiting'), trial(2, 'waiting'), trial(3, 'waiting')],
  runIds: { 1: 'a', 2: 'b', 3: 'c' }, best: 3, elapsedMs: 4200,
};

describe('saved searches in the page', () => {
  it('shows the trials as they were, the cut-off one stopped, the search ended with its best trial’s run', () => {
    const s = tuneStateOf(saved);
    expect(s.snapshot.trials.map((t) => t.status)).toEqual(['pruned', 'waiting', 'stopped']);
    expect(s.snapshot).toMatchObject({ state: 'done', strategy: 'halving', rungs: saved.rungs, rung: 0, best: 3, elapsedMs: 4200, current: null });
    expect(s.end).toEqual({ reason: 'stopped', best: 3, bestRunId: 'c' });
    expect(s.tuneId).toBe('t1');
  });

  it('offers a search that was cut off or stopped, not one a tab runs or one that is done', () => {
    expect(resumable(saved, new Set())).toBe(true);
    expect(resumable(saved, new Set(['t1']))).toBe(false);
    expect(resumable({ ...saved, status: 'stopped' }, new Set(['t1']))).toBe(true);
    expect(resumable({ ...saved, status: 'done' }, new Set())).toBe(false);
  });
});
