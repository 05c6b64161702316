// The worker's `tune` with the forecast transform varied (CPU engine, fake IndexedDB): each transform's trials get
// their own set, and trials are ranked on the common scale; a transform the data cannot take is refused by name.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { parseVary } from '../../src/training/tune_space';
import { loadSineOnCpu, workerHarness, type EventOf } from './harness';

const CONFIG: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, batchSize: 32, epochs: 2, learningRate: 0.02, seed: 4 };

describe('training worker: tune over the forecast transform', () => {
  it('runs each transform on its own set and ranks the trials on one scale; refuses log on values ≤ 0', async () => {
    const h = workerHarness(new IDBFactory(), { polls: 3000 });
    await loadSineOnCpu(h, CONFIG);
    h.send({ type: 'tune', request: { strategy: 'grid', space: [parseVary('transform=none,difference')] } });
    const done = await h.until('tune-done');
    expect(done.reason).toBe('completed');
    const last = h.events.filter((e): e is EventOf<'tune'> => e.type === 'tune').at(-1)!.snapshot;
    expect(last.trials.map((t) => `${t.settings.transform}/${t.status}`)).toEqual(['none/completed', 'difference/completed']);
    expect(last.trials.every((t) => Number.isFinite(t.bestValLoss) && t.bestValLoss > 0)).toBe(true);
    const from = h.events.length;
    h.send({ type: 'tune', request: { strategy: 'grid', space: [parseVary('transform=none,log')] } });
    const refused = await h.until('error', () => true, from);
    expect(JSON.stringify(refused)).toMatch(/transform=log: The log transform needs values above 0/);
    await h.worker.dispose();
  });
});
