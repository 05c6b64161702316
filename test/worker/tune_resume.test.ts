// The worker's saved searches in Node on the CPU engine with a fake IndexedDB: a search stopped partway is saved as
// stopped, and a new worker on the same storage (a reload) resumes it to the same trials and results as the same
// search run straight through, each trial still one saved run; a saved search is read back as the page offers it.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { CheckpointStore } from '../../src/storage/checkpoint_store';
import { TuneStore, type SavedTune } from '../../src/storage/tune_store';
import type { TuneSnapshot } from '../../src/training/tune_runner';
import { parseVary } from '../../src/training/tune_space';
import type { TuneRequest } from '../../src/worker/protocol';
import { loadSineOnCpu, workerHarness, type EventOf } from './harness';

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 2, learningRate: 0.02, seed: 4 };
const REQUEST: TuneRequest = { strategy: 'halving', space: [parseVary('hidden=4,6,8,10')], trials: 4 };

async function loaded(idb: IDBFactory) {
  const h = workerHarness(idb, { polls: 3000 });
  await loadSineOnCpu(h, CONFIG);
  return h;
}

const lastTune = (events: { type: string }[]) => (events.filter((e) => e.type === 'tune') as EventOf<'tune'>[]).at(-1)!;
const results = (s: TuneSnapshot) => s.trials.map((t) => ({ trial: t.trial, settings: t.settings, status: t.status, epochs: t.epochs, best: t.bestValLoss, val: t.history.map((h) => h.valLoss) }));

/** The saved search once `ok` holds (its writes land after the events). */
async function savedTune(idb: IDBFactory, id: string, ok: (t: SavedTune) => boolean): Promise<SavedTune> {
  const store = await TuneStore.open(idb);
  try {
    for (let i = 0; i < 500; i++) {
      const t = await store.getTune(id);
      if (t && ok(t)) return t;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`the saved search never got there: ${JSON.stringify((await store.getTune(id))?.status)}`);
  } finally {
    store.close();
  }
}

describe('training worker: a search survives a reload', () => {
  it('saves a stopped search, and a new worker resumes it to the same trials and results as straight through', async () => {
    const straight = await loaded(new IDBFactory());
    straight.send({ type: 'tune', request: REQUEST });
    expect((await straight.until('tune-done')).reason).toBe('completed');
    const expected = lastTune(straight.events).snapshot;
    await straight.worker.dispose();

    const idb = new IDBFactory();
    const first = await loaded(idb);
    first.send({ type: 'tune', request: REQUEST });
    // Stop once two trials have trained their first rung (the third is training).
    await first.until('tune', (e) => e.snapshot.trials.filter((t) => t.status === 'waiting' || t.status === 'completed').length >= 2 && e.snapshot.current !== null);
    first.send({ type: 'stop' });
    expect((await first.until('tune-done')).reason).toBe('stopped');
    const id = lastTune(first.events).tuneId!;
    expect(id).toBeTruthy();
    const stopped = await savedTune(idb, id, (t) => t.status === 'stopped');
    expect(stopped).toMatchObject({ end: 'stopped', definition: REQUEST, config: expect.objectContaining({ hiddenSize: 6, epochs: 2, seed: 4 }), rungs: expected.rungs });
    expect(stopped.jobs.length).toBeGreaterThanOrEqual(2);
    expect(stopped.jobs.length).toBeLessThan(6);
    expect(stopped.trials.filter((t) => t.status !== 'queued').length).toBeGreaterThanOrEqual(2);
    await first.worker.dispose();

    // A reload: a new worker on the same storage, no device and no data loaded yet; the search brings its own.
    const second = workerHarness(idb, { polls: 3000 });
    await second.worker.boot();
    second.send({ type: 'resume-tune', tuneId: id });
    const done = await second.until('tune-done');
    expect(done.reason).toBe('completed');
    expect(second.events.some((e) => e.type === 'data')).toBe(true);
    const resumed = lastTune(second.events);
    expect(resumed.tuneId).toBe(id);
    expect(results(resumed.snapshot)).toEqual(results(expected));
    expect(done.best).toBe(expected.trials.reduce((a, b) => (b.bestValLoss < a.bestValLoss ? b : a)).trial);
    // Nothing trained twice: a trial that had run a rung continues from there (its epochs never restart from 0).
    const current = second.events.flatMap((e) => (e.type === 'tune' && e.snapshot.current ? [e.snapshot.current] : []));
    for (const j of stopped.jobs) {
      const seen = current.filter((c) => c.trial === j.trial).map((c) => c.snapshot.epoch);
      if (seen.length > 0) expect(Math.min(...seen), `trial ${j.trial}`).toBeGreaterThanOrEqual(j.epochs);
    }
    const final = await savedTune(idb, id, (t) => t.status === 'done');
    expect(final.jobs).toHaveLength(6);
    expect(final.end).toBe('completed');
    // Still one saved run per trial, every one done, each trial's run the one it had before the reload.
    await second.worker.idle();
    const runs = await CheckpointStore.open(idb);
    for (let i = 0; i < 300; i++) {
      const all = await runs.listRuns();
      if (all.length === 4 && all.every((r) => r.status === 'done')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const all = await runs.listRuns();
    expect(all.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(new Set(Object.values(resumed.runIds))).toEqual(new Set(all.map((r) => r.id)));
    for (const [trial, runId] of Object.entries(stopped.runIds)) expect(resumed.runIds[Number(trial)]).toBe(runId);
    expect(all.map((r) => r.epoch).sort()).toEqual([1, 1, 2, 2]);
    runs.close();
    await second.worker.dispose();
  });

  it('refuses to resume a search that is not saved, with the reason', async () => {
    const h = await loaded(new IDBFactory());
    const from = h.events.length;
    h.send({ type: 'resume-tune', tuneId: 'nope' });
    const err = await h.until('error', () => true, from);
    expect(err.message).toMatch(/Cannot search: This search is no longer saved/);
    await h.worker.dispose();
  });
});
