// Tests the search runner on the CPU engine: trials are normal sessions, a halving trial continues from its own
// checkpoint (bit-for-bit the same as training straight through), budgets end it, stop() ends it cleanly.
import { describe, expect, it } from 'vitest';
import { cpuEngines } from '../../src/training/engine_factory';
import { TuneRunner, type TrialRecord, type TuneOptions, type TuneSnapshot } from '../../src/training/tune_runner';
import { parseVary } from '../../src/training/tune_space';
import type { TrainingData } from '../../src/training/types';
import { sineData, TINY } from './helpers';

const data = sineData(40, 12, 6);
const space = [parseVary('hidden=3..8'), parseVary('lr=3e-3..5e-2')];

function options(o: Partial<TuneOptions> & { strategy?: 'halving' | 'random' | 'grid'; trials?: number; epochs?: number }): TuneOptions {
  return {
    search: { strategy: o.strategy ?? 'halving', space, trials: o.trials ?? 4, maxEpochs: o.epochs ?? 4, seed: 5 },
    baseConfig: TINY,
    trialData: () => data,
    engines: cpuEngines(),
    snapshotIntervalMs: 0,
    ...o,
  };
}

const bits = (h: TrialRecord['history']) => h.map((e) => `${e.epoch}:${e.trainLoss}:${e.valLoss}`);

describe('TuneRunner', () => {
  it('continues a halving trial from its own checkpoint: the same curve as training it straight through', async () => {
    const epochsRun: Record<number, number[]> = {};
    const onEpoch = (trial: number, r: { epoch: number }) => (epochsRun[trial] ??= []).push(r.epoch);
    const halving = await new TuneRunner(options({ callbacks: { onEpoch } })).start();
    const random = await new TuneRunner(options({ strategy: 'random' })).start();
    expect(halving.reason).toBe('completed');
    expect(halving.trials.map((t) => t.settings)).toEqual(random.trials.map((t) => t.settings));
    expect(halving.trials.map((t) => t.epochs).sort()).toEqual([1, 1, 2, 4]);
    expect(random.trials.map((t) => t.epochs)).toEqual([4, 4, 4, 4]);
    const done = halving.trials.find((t) => t.status === 'completed')!;
    expect(halving.trials.filter((t) => t.status === 'pruned')).toHaveLength(3);
    // Each epoch of the finished trial trained once (1 in rung 1, 2 in rung 2, 3 and 4 in rung 3): not restarted.
    expect(epochsRun[done.trial]).toEqual([1, 2, 3, 4]);
    const straight = random.trials[done.trial - 1];
    expect(bits(done.history)).toEqual(bits(straight.history));
    expect(done.bestValLoss).toBe(straight.bestValLoss);
    expect(halving.best).toBe(done.trial);
    // Random ranks by the best validation loss of any epoch.
    const bestRandom = random.trials.reduce((a, b) => (b.bestValLoss < a.bestValLoss ? b : a));
    expect(random.best).toBe(bestRandom.trial);
    expect(bestRandom.bestValLoss).toBe(Math.min(...bestRandom.history.slice(1).map((h) => h.valLoss)));
  });

  it('continues from the state a trial trained to, not the best-epoch weights a baseline-started run ends on', async () => {
    // startAtBaseline (a forecast transform) ends a completed session on its best epoch's weights; a trial that
    // continues must still pick up its last epoch's weights and optimizer state.
    const based = { ...sineData(40, 12, 6), startAtBaseline: true };
    // Both trials' validation loss gets worse in epoch 3, the first rung's end (checked below).
    const o = (strategy: 'halving' | 'random'): TuneOptions => ({
      ...options({}),
      search: { strategy, space: [parseVary('lr=0.006468,0.003066')], trials: 2, maxEpochs: 6, seed: 5 },
      baseConfig: { ...TINY, hiddenSize: 5 },
      trialData: () => based,
    });
    const halving = await new TuneRunner(o('halving')).start();
    const random = await new TuneRunner(o('random')).start();
    expect(halving.trials.map((t) => t.epochs).sort()).toEqual([3, 6]);
    const done = halving.trials.find((t) => t.epochs === 6)!;
    const straight = random.trials.find((t) => t.settings.lr === done.settings.lr)!;
    expect(done.history[3].valLoss).toBeGreaterThan(Math.min(...done.history.slice(0, 3).map((h) => h.valLoss)));
    expect(bits(done.history)).toEqual(bits(straight.history));
  });

  it('gives each trial its data (rebuilt by window) and config, and streams snapshots of the search', async () => {
    const asked: number[] = [];
    const snapshots: TuneSnapshot[] = [];
    const runner = new TuneRunner(
      options({
        search: { strategy: 'grid', space: [parseVary('window=4,6')], maxEpochs: 1, seed: 5 },
        trialData: (s): TrainingData => {
          asked.push(s.window as number);
          return sineData(40, 12, s.window as number);
        },
        callbacks: { onSnapshot: (s) => snapshots.push(s) },
      }),
    );
    const r = await runner.start();
    expect(asked).toEqual([4, 6]);
    expect(r.trials.map((t) => [t.settings.window, t.status, t.epochs])).toEqual([[4, 'completed', 1], [6, 'completed', 1]]);
    expect(runner.checkpointOf(1)!.config.window).toBe(4);
    expect(runner.checkpointOf(2)!.config.window).toBe(6);
    expect(snapshots.some((s) => s.current?.trial === 2 && s.current.snapshot.stepsPerEpoch === 5)).toBe(true);
    expect(snapshots.at(-1)).toMatchObject({ state: 'done', best: r.best, current: null });
  });

  it('stops the running trial when the minutes budget passes, and starts no other', async () => {
    let clock = 0;
    const ended: TrialRecord[] = [];
    const runner = new TuneRunner(
      options({
        strategy: 'random',
        minutes: 1,
        now: () => clock,
        callbacks: {
          onEpoch: (trial, rec) => {
            if (trial === 2 && rec.epoch === 2) clock = 61_000; // the budget runs out in trial 2's third epoch
          },
          onTrialEnd: (t) => ended.push(t),
        },
      }),
    );
    const r = await runner.start();
    expect(r.reason).toBe('minutes');
    expect(r.trials.map((t) => [t.trial, t.status])).toEqual([[1, 'completed'], [2, 'stopped']]);
    expect(r.trials[1].epochs).toBe(2);
    expect(ended).toHaveLength(2);
    expect(runner.checkpointOf(2)!.epoch).toBe(2);
    expect(runner.checkpointOf(3)).toBeNull();
  });

  it('stops cleanly when asked, and keeps going past a trial that diverges', async () => {
    const runner = new TuneRunner(options({ strategy: 'random', callbacks: { onTrialEnd: (t) => t.trial === 2 && runner.stop() } }));
    const r = await runner.start();
    expect([r.reason, r.trials.length]).toEqual(['stopped', 2]);
    const wild = await new TuneRunner(
      options({ search: { strategy: 'grid', space: [parseVary('lr=1e9,0.01')], maxEpochs: 2, seed: 5 } }),
    ).start();
    expect(wild.trials.map((t) => t.status)).toEqual(['diverged', 'completed']);
    expect(wild.best).toBe(2);
  });

  it('refuses a trial whose settings the engine cannot train, naming it', () => {
    expect(() => new TuneRunner(options({ baseConfig: { ...TINY, numLayers: 1, dropout: 0 }, search: { strategy: 'grid', space: [{ name: 'batch', domain: { kind: 'list', values: [8, 0] } }], maxEpochs: 1, seed: 1 } }))).toThrow(/trial 2 \(batch=0\) cannot train: batchSize must be an integer from 1/);
    expect(() => new TuneRunner(options({ minutes: 0 }))).toThrow(/above 0 minutes/);
  });
});
