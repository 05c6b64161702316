// The worker's `tune` command in Node on the CPU engine with a fake IndexedDB: trials run one after another, each a
// saved run (a halving trial continuing its own record), the search streams snapshots, stops cleanly, and its best
// trial's run opens like any other.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { parseVary } from '../../src/training/tune_space';
import { loadSineOnCpu, workerHarness, type EventOf } from './harness';

function harness(idb: IDBFactory) {
  return workerHarness(idb, { polls: 3000 });
}

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 2, learningRate: 0.02, seed: 4 };

async function loaded(h: ReturnType<typeof harness>) {
  await loadSineOnCpu(h, CONFIG);
}

describe('training worker: tune', () => {
  it('runs every trial as a saved run, continues a halving trial in its own record, and opens the best', async () => {
    const h = harness(new IDBFactory());
    await loaded(h);
    h.send({ type: 'tune', request: { strategy: 'halving', space: [parseVary('hidden=4,6,8,10')], trials: 4 } });
    const done = await h.until('tune-done');
    expect(done.reason).toBe('completed');
    const last = h.events.filter((e): e is EventOf<'tune'> => e.type === 'tune').at(-1)!.snapshot;
    expect(last.state).toBe('done');
    expect(last.rungs).toEqual([{ epochs: 1, trials: 4 }, { epochs: 2, trials: 2 }]);
    expect(last.trials.map((t) => t.status).sort()).toEqual(['completed', 'completed', 'pruned', 'pruned']);
    expect(last.best).toBe(done.best);
    // One saved run per trial (six sessions, four records); the two that continued reached epoch 2 in their own record.
    const runs = new Map<string, EventOf<'run'>['run']>();
    const settled = () => {
      for (const e of h.events) if (e.type === 'run') runs.set(e.run.id, e.run);
      return [...runs.values()].filter((r) => r.status === 'done').reduce((n, r) => n + r.epoch, 0) === 6;
    };
    for (let i = 0; i < 500 && !settled(); i++) await new Promise((r) => setTimeout(r, 10)); // the writes land after the search ends
    expect(runs.size).toBe(4);
    expect([...runs.values()].map((r) => r.epoch).sort()).toEqual([1, 1, 2, 2]);
    expect([...runs.values()].every((r) => r.status === 'done')).toBe(true);
    for (const r of runs.values()) expect(h.events.some((e) => e.type === 'run' && e.saved && e.run.id === r.id && e.run.epoch === r.epoch)).toBe(true);
    // Each trial's saved run travels with the snapshots (the page opens a trial by it).
    const runIds = h.events.filter((e): e is EventOf<'tune'> => e.type === 'tune').at(-1)!.runIds;
    expect(Object.keys(runIds).map(Number).sort()).toEqual([1, 2, 3, 4]);
    expect(runIds[done.best!]).toBe(done.bestRunId);
    expect(new Set(Object.values(runIds))).toEqual(new Set(runs.keys()));
    const best = runs.get(done.bestRunId!)!;
    expect(best.config.hiddenSize).toBe(last.trials[done.best! - 1].settings.hidden);
    expect(best.history.map((x) => x.epoch)).toEqual([0, 1, 2]);
    const from = h.events.length;
    h.send({ type: 'open-run', runId: done.bestRunId!, resume: false });
    const model = await h.until('model', () => true, from);
    expect(model.model.config.hiddenSize).toBe(best.config.hiddenSize);
    await h.worker.dispose();
  });

  it('stops cleanly on stop, and refuses a setting that cannot vary for the data', async () => {
    const h = harness(new IDBFactory());
    await loaded(h);
    h.send({ type: 'tune', request: { strategy: 'random', space: [parseVary('lr=1e-3..1e-2')], trials: 20 } });
    await h.until('tune', (e) => e.snapshot.current !== null);
    h.send({ type: 'start' });
    await h.until('error', (e) => /A run is already going/.test(e.message));
    h.send({ type: 'stop' });
    const done = await h.until('tune-done');
    expect(done.reason).toBe('stopped');
    const last = h.events.filter((e): e is EventOf<'tune'> => e.type === 'tune').at(-1)!.snapshot;
    expect(last.trials.filter((t) => t.status !== 'queued').length).toBeLessThan(20);
    // The worker is free again: a bad request is refused with the reason.
    const from = h.events.length;
    h.send({ type: 'tune', request: { strategy: 'grid', space: [{ name: 'cell', domain: { kind: 'list', values: ['lstm', 'xlstm'] } }] } });
    const err = await h.until('error', () => true, from);
    expect(err.message).toMatch(/Cannot search: cell "xlstm" is not one of lstm, gru, rnn/);
    await h.worker.dispose();
  });
});
