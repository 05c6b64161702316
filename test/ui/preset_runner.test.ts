// Running a preset: its knobs and data picks go in through the controller, training starts once its example has
// loaded, a several-cell preset trains each cell in turn and then opens Compare on exactly its own runs.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunRecord } from '../../src/storage/checkpoint_store';

const calls = vi.hoisted(() => ({ load: [] as unknown[][], train: 0, trainResult: true, errors: [] as string[] }));

vi.mock('../../src/ui/controller', () => ({
  loadExampleWith: (...args: unknown[]) => calls.load.push(args),
  scheduleHash: () => undefined,
  showError: (m: string) => calls.errors.push(m),
  train: () => {
    calls.train++;
    return calls.trainResult;
  },
}));

const { applyPreset, cancelPreset, presetDataLoaded, presetRunEnded, presetRunSaved } = await import('../../src/ui/preset_runner');
const { appStore, INITIAL_STATE } = await import('../../src/ui/store');

function saved(id: string, createdAt = Date.now() + 1): RunRecord {
  return { id, createdAt } as RunRecord;
}

beforeEach(() => {
  cancelPreset();
  appStore.update({ ...INITIAL_STATE });
  calls.load = [];
  calls.train = 0;
  calls.trainResult = true;
  calls.errors = [];
});

describe('preset runner', () => {
  it('applies a preset’s knobs and data picks, and trains once its example has loaded', () => {
    applyPreset('lstm128-regressor');
    expect(appStore.get().knobs.hiddenSize).toBe('128');
    expect(appStore.get().knobs.epochs).toBe('10');
    expect(calls.load).toEqual([['sine', { window: '24', horizon: '1' }]]);
    expect(calls.train).toBe(0);
    presetDataLoaded('sine');
    expect(calls.train).toBe(1);
    expect(appStore.get().presetStatus).toContain('training');
    presetRunEnded(true);
    expect(appStore.get().presetStatus).toContain('done');
    expect(appStore.get().compareOpen).toBe(false);
  });

  it('trains RNN, LSTM and GRU in turn, then compares exactly those runs', () => {
    applyPreset('rnn-lstm-gru');
    expect(appStore.get().knobs.cell).toBe('rnn');
    presetRunSaved(saved('stale', 0)); // still loading, and created before the preset
    presetDataLoaded('sine');
    expect(appStore.get().presetStatus).toContain('RNN (1 of 3)');
    presetRunSaved(saved('stale', 0)); // a late write of a run from before the preset
    presetRunSaved(saved('r1'));
    presetRunSaved(saved('r1'));
    presetRunEnded(true);
    expect(appStore.get().knobs.cell).toBe('lstm');
    expect(appStore.get().presetStatus).toContain('LSTM (2 of 3)');
    presetRunSaved(saved('r2'));
    presetRunEnded(true);
    expect(appStore.get().knobs.cell).toBe('gru');
    presetRunEnded(true);
    expect(calls.train).toBe(3);
    expect(appStore.get().compareOpen).toBe(true);
    expect(appStore.get().compareIds).toEqual(['r1', 'r2']);
    // The last run's record can land after its end: it joins the comparison.
    presetRunSaved(saved('r3'));
    expect(appStore.get().compareIds).toEqual(['r1', 'r2', 'r3']);
  });

  it('stops the sequence when a run is stopped, and ignores runs it did not start', () => {
    applyPreset('rnn-lstm-gru');
    presetDataLoaded('sine');
    presetRunEnded(false);
    expect(appStore.get().presetStatus).toContain('stopped');
    presetRunEnded(true);
    expect(calls.train).toBe(1);
  });

  it('gives up when other data arrives, when training cannot start, or while a run is going', () => {
    applyPreset('stacked-lstm-classifier');
    presetDataLoaded('sine');
    expect(calls.train).toBe(0);
    expect(appStore.get().presetStatus).toBeNull();

    calls.trainResult = false;
    applyPreset('stacked-lstm-classifier');
    presetDataLoaded('shapes');
    expect(calls.train).toBe(1);
    expect(appStore.get().presetStatus).toBeNull();
    presetRunEnded(true);
    expect(calls.train).toBe(1);

    appStore.update({ training: { ...appStore.get().training, state: 'training' } });
    applyPreset('lstm128-regressor');
    expect(calls.errors).toHaveLength(1);
    expect(calls.load).toHaveLength(2);
  });
});
