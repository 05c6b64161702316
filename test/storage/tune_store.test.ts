// Saved searches in IndexedDB (fake-indexeddb): a search's record round-trips with its trials and jobs, a waiting
// trial's checkpoint is stored with the record, the data with it, and deleting a search removes all three.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import type { TableSource } from '../../src/storage/checkpoint_store';
import { TuneStore, type SavedTune } from '../../src/storage/tune_store';
import type { TrialRecord } from '../../src/training/tune_runner';
import { parseVary } from '../../src/training/tune_space';
import type { Checkpoint } from '../../src/training/types';

const trial = (n: number, status: TrialRecord['status']): TrialRecord => ({
  trial: n, settings: { hidden: 4 * n }, status, bestValLoss: n === 2 ? NaN : 0.5 / n, epochs: 1, seconds: 1.5, rung: 0, message: null,
  history: [{ epoch: 0, trainLoss: NaN, valLoss: 1, learningRate: 0.01 }, { epoch: 1, trainLoss: 0.7, valLoss: 0.5 / n, learningRate: 0.01 }],
});

function tune(id: string, updatedAt: number): SavedTune {
  return {
    id, name: `search ${id}`, createdAt: 1, updatedAt, status: 'running', end: null,
    definition: { strategy: 'halving', space: [parseVary('hidden=4,8')], trials: 2 }, config: DEFAULT_CONFIG, patience: 0, datasetName: 'sine',
    rungs: [{ epochs: 1, trials: 2 }, { epochs: 2, trials: 1 }], trials: [trial(1, 'waiting'), trial(2, 'running')], jobs: [trial(1, 'waiting')],
    runIds: { 1: 'run-a', 2: 'run-b' }, best: 1, elapsedMs: 3000,
  };
}

const cp = (epoch: number) => ({ epoch, step: epoch * 5, parameters: [{ name: 'w', shape: [2], data: Float32Array.from([epoch, -epoch]) }] }) as unknown as Checkpoint;
const source: TableSource = { kind: 'table', name: 'sine', example: 'sine', file: null, choices: { task: 'forecast' } as never, uses: [] };

describe('TuneStore', () => {
  it('keeps a search, its waiting trials’ checkpoints and its data, newest first, and deletes them together', async () => {
    const idb = new IDBFactory();
    const store = await TuneStore.open(idb);
    await store.putTune(tune('old', 1));
    await store.saveWithPoint(tune('new', 2), 1, cp(1));
    await store.saveWithPoint(tune('new', 3), 1, cp(2));
    await store.putSource('new', source);
    const reopened = await TuneStore.open(idb);
    expect((await reopened.listTunes()).map((t) => [t.id, t.updatedAt])).toEqual([['new', 3], ['old', 1]]);
    const got = (await reopened.getTune('new'))!;
    expect(got.trials[1].bestValLoss).toBeNaN();
    expect(got.jobs).toEqual(tune('new', 3).jobs);
    expect(got.runIds).toEqual({ 1: 'run-a', 2: 'run-b' });
    const points = await reopened.loadPoints('new');
    expect([...points.keys()]).toEqual([1]);
    expect(Array.from(points.get(1)!.parameters[0].data)).toEqual([2, -2]);
    expect((await reopened.loadPoints('old')).size).toBe(0);
    expect(await reopened.getSource('new')).toEqual(source);
    await reopened.deleteTune('new');
    expect((await reopened.listTunes()).map((t) => t.id)).toEqual(['old']);
    expect((await reopened.loadPoints('new')).size).toBe(0);
    expect(await reopened.getSource('new')).toBeNull();
    expect(await reopened.getTune('new')).toBeNull();
    store.close();
    reopened.close();
  });

  it('says when the browser has no IndexedDB', async () => {
    await expect(TuneStore.open(undefined as unknown as IDBFactory)).rejects.toThrow(/no IndexedDB, so searches cannot be saved across reloads/);
  });
});
