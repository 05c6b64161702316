// Checkpoint storage in IndexedDB (fake-indexeddb): round trips, deletion, quota errors surfaced, coalesced writes,
// and the dataset fingerprint.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { CheckpointStore, type RunRecord, type SeriesSource, type StorageError } from '../../src/storage/checkpoint_store';
import { CheckpointWriter } from '../../src/storage/checkpoint_writer';
import { datasetFingerprint } from '../../src/training/fingerprint';
import type { Checkpoint } from '../../src/training/types';
import { sineData } from '../training/helpers';

function checkpoint(epoch: number, value = epoch): Checkpoint {
  return {
    version: 1,
    config: DEFAULT_CONFIG,
    fingerprint: 'f1',
    epoch,
    stepInEpoch: 0,
    step: epoch * 10,
    parameters: [{ name: 'head.weight', shape: [1, 3], data: Float32Array.from([value, -value, 0.5]) }],
    optimizer: { step: epoch * 10, moment1: new Float32Array(3).fill(value), moment2: null },
    partialTrain: { sum: 0, count: 0 },
    learningRate: 0.01,
    schedule: { epoch, lr: 0.01, best: Infinity, badEpochs: 0 },
    best: { epoch: null, valLoss: Infinity, badEpochs: 0 },
    bestParameters: null,
    history: [{ epoch: 0, trainLoss: NaN, valLoss: 1, learningRate: 0.01 }],
    elapsedMs: 1234,
    finished: false,
    savedAt: 1,
  };
}

function run(id: string, fingerprint = 'f1', updatedAt = 1): RunRecord {
  return {
    id, name: `run ${id}`, createdAt: 1, updatedAt, status: 'running', config: DEFAULT_CONFIG, fingerprint, datasetName: 'sine',
    epoch: 0, epochs: 20, step: 0, history: [], bestEpoch: null, message: null, hasCheckpoint: false,
  };
}

const source: SeriesSource = { kind: 'series', name: 'sine.csv', column: 'value', series: Float64Array.from([1, 2, 3]), window: 2, valFraction: 0.2 };

/** Makes the fake database refuse writes to one object store as a full disk would: the request fails, the transaction aborts. */
async function refuseWrites(store: CheckpointStore, storeName: string): Promise<() => void> {
  const db = (store as unknown as { db: IDBDatabase }).db;
  const raw = (db.transaction([storeName], 'readonly').objectStore(storeName) as unknown as { _rawObjectStore: object })._rawObjectStore;
  const proto = Object.getPrototypeOf(raw) as { storeRecord: (...a: unknown[]) => unknown };
  const original = proto.storeRecord;
  proto.storeRecord = function (this: { name: string }, ...args: unknown[]) {
    if (this.name === storeName) throw new DOMException('quota reached', 'QuotaExceededError');
    return original.apply(this, args);
  };
  return () => {
    proto.storeRecord = original;
  };
}

describe('checkpoint store', () => {
  it('saves a run with its checkpoint and data, lists runs newest first, and reads them back intact', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    await store.putRun(run('a', 'f1', 5));
    await store.saveCheckpoint(run('b', 'f1', 9), checkpoint(3));
    await store.putDataset('f1', source);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await store.getRun('b'))!.hasCheckpoint).toBe(true);
    const cp = (await store.loadCheckpoint('b'))!;
    expect(cp.parameters[0].data).toBeInstanceOf(Float32Array);
    expect(Array.from(cp.parameters[0].data)).toEqual([3, -3, 0.5]);
    expect(cp.schedule.best).toBe(Infinity);
    expect(cp.history[0].trainLoss).toBeNaN();
    expect(await store.loadCheckpoint('a')).toBeNull();
    const ds = (await store.getDataset('f1')) as SeriesSource;
    expect(ds.series).toBeInstanceOf(Float64Array);
    expect(Array.from(ds.series)).toEqual([1, 2, 3]);
    store.close();
  });

  it('deleting a run removes its checkpoint, and its data unless another run trained on it', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    await store.saveCheckpoint(run('a', 'f1'), checkpoint(1));
    await store.saveCheckpoint(run('b', 'f1'), checkpoint(2));
    await store.putDataset('f1', source);
    await store.deleteRun('a');
    expect(await store.loadCheckpoint('a')).toBeNull();
    expect(await store.getDataset('f1')).not.toBeNull();
    await store.deleteRun('b');
    expect(await store.listRuns()).toEqual([]);
    expect(await store.getDataset('f1')).toBeNull();
    store.close();
  });

  it('a full disk (QuotaExceededError) rejects with a message saying what to do, and nothing half-written remains', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    await store.saveCheckpoint(run('a'), checkpoint(1));
    const restore = await refuseWrites(store, 'checkpoints');
    try {
      const failure = await store.saveCheckpoint({ ...run('a'), epoch: 2 }, checkpoint(2)).then(
        () => null,
        (e: StorageError) => e,
      );
      expect(failure).not.toBeNull();
      expect(failure!.name).toBe('StorageError');
      expect(failure!.quota).toBe(true);
      expect(failure!.message).toMatch(/Could not save the checkpoint of "run a" \(epoch 2, step 20\): the browser's storage for this page is full/);
      expect(failure!.message).toMatch(/Delete old runs/);
      // One transaction: the run record was not moved ahead of its checkpoint.
      expect((await store.getRun('a'))!.epoch).toBe(0);
      expect((await store.loadCheckpoint('a'))!.epoch).toBe(1);
    } finally {
      restore();
    }
    store.close();
  });

  it('the writer keeps one write in flight and only the newest waiting one, and reports quota errors once per streak', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    const errors: StorageError[] = [];
    const saved: number[] = [];
    const writer = new CheckpointWriter(store, (e) => errors.push(e), (_r, cp) => cp && saved.push(cp.epoch));
    for (let e = 1; e <= 10; e++) writer.save({ ...run('a'), epoch: e }, checkpoint(e));
    // A status-only update does not drop the waiting checkpoint.
    writer.save({ ...run('a'), epoch: 10, status: 'paused' }, null);
    await writer.flush();
    expect(saved).toEqual([1, 10]);
    expect((await store.getRun('a'))!.status).toBe('paused');
    expect((await store.loadCheckpoint('a'))!.epoch).toBe(10);

    const restore = await refuseWrites(store, 'checkpoints');
    for (let e = 11; e <= 13; e++) {
      writer.save({ ...run('a'), epoch: e }, checkpoint(e));
      await writer.flush();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0].quota).toBe(true);
    restore();
    writer.save({ ...run('a'), epoch: 14 }, checkpoint(14));
    await writer.flush();
    expect((await store.loadCheckpoint('a'))!.epoch).toBe(14);
    const again = await refuseWrites(store, 'checkpoints');
    writer.save({ ...run('a'), epoch: 15 }, checkpoint(15));
    await writer.flush();
    again();
    expect(errors).toHaveLength(2);
    store.close();
  });
});

describe('dataset fingerprint', () => {
  it('is the same for the same arrays and names, and changes with one value or one name', async () => {
    const a = sineData();
    const same = await datasetFingerprint(sineData());
    expect(await datasetFingerprint(a)).toBe(same);
    expect(same).toMatch(/^[0-9a-f]{64}$/);
    const tweaked = sineData();
    tweaked.valY[3] += 1e-6;
    expect(await datasetFingerprint(tweaked)).not.toBe(same);
    expect(await datasetFingerprint({ ...a, names: ['sine', 'other'] })).not.toBe(same);
  });
});
