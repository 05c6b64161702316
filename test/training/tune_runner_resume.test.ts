// Tests resuming a search on the CPU engine: a search interrupted after k jobs (at a job's end, or mid-trial with the
// progress since its last checkpoint lost) and resumed from what it saved (the finished jobs' records and the
// checkpoints) ends with the same trials, statuses, curves and best trial as the same search run straight through.
import { describe, expect, it } from 'vitest';
import { cpuEngines } from '../../src/training/engine_factory';
import { TuneRunner, type TrialRecord, type TuneOptions, type TuneResult } from '../../src/training/tune_runner';
import { parseVary } from '../../src/training/tune_space';
import type { TuneStrategy } from '../../src/training/tune_strategy';
import type { Checkpoint, TrainingData } from '../../src/training/types';
import { sineData, TINY } from './helpers';

const space = [parseVary('hidden=3..8'), parseVary('lr=3e-3..5e-2')];

function options(strategy: TuneStrategy, data: TrainingData, o: Partial<TuneOptions> = {}): TuneOptions {
  return {
    search: { strategy, space, trials: 4, maxEpochs: 4, seed: 5 },
    baseConfig: TINY,
    trialData: () => data,
    engines: cpuEngines(),
    snapshotIntervalMs: 0,
    checkpointIntervalMs: 0, // a checkpoint after every batch, so a cut mid-epoch has one to continue from
    ...o,
  };
}

/** What a search saves as it goes (the host writes these to IndexedDB): finished jobs, resume points, checkpoints. */
interface Saved {
  jobs: TrialRecord[];
  points: Map<number, Checkpoint>;
  /** Every checkpoint of each trial, oldest first (a trial's saved run keeps the newest that landed). */
  checkpoints: Map<number, Checkpoint[]>;
}

/** Runs the search until `cut` says stop (after a job, or at a batch of a trial), saving what the host would. */
async function interrupted(o: TuneOptions, cut: { afterJobs: number } | { trial: number; epoch: number; step: number }): Promise<Saved> {
  const saved: Saved = { jobs: [], points: new Map(), checkpoints: new Map() };
  const runner: TuneRunner = new TuneRunner({
    ...o,
    callbacks: {
      onJobDone: (rec, point) => {
        saved.jobs.push(rec);
        if (rec.status === 'waiting' && point) saved.points.set(rec.trial, point);
        if ('afterJobs' in cut && saved.jobs.length === cut.afterJobs) runner.stop();
      },
      onCheckpoint: (trial, cp, reason) => {
        if (reason !== 'end') saved.checkpoints.set(trial, [...(saved.checkpoints.get(trial) ?? []), cp]);
      },
      onSnapshot: (s) => {
        const c = s.current;
        if ('trial' in cut && c?.trial === cut.trial && c.snapshot.epoch === cut.epoch && c.snapshot.stepInEpoch >= cut.step) runner.stop();
      },
    },
  });
  const r = await runner.start();
  expect(r.reason).toBe('stopped');
  return saved;
}

/**
 * Resumes from what was saved (`lost` checkpoints of the interrupted trial never landed: a reload cut them off), and
 * checks that no trial trains an epoch twice: each starts after its checkpoint, a finished one does not train.
 */
async function resumed(o: TuneOptions, saved: Saved, interruptedTrial: number | null, lost = 0): Promise<TuneResult> {
  const checkpoints = new Map(saved.points);
  if (interruptedTrial !== null) {
    const cps = saved.checkpoints.get(interruptedTrial)!;
    const last = cps[cps.length - 1 - lost];
    const point = checkpoints.get(interruptedTrial);
    if (!point || last.step > point.step) checkpoints.set(interruptedTrial, last);
  }
  const firstEpoch = new Map<number, number>();
  const onEpoch = (trial: number, rec: { epoch: number }) => firstEpoch.set(trial, firstEpoch.get(trial) ?? rec.epoch);
  const r = await new TuneRunner({ ...o, resume: { jobs: saved.jobs, checkpoints, elapsedMs: 1000 }, callbacks: { onEpoch } }).start();
  for (const [trial, cp] of checkpoints) if (firstEpoch.has(trial)) expect(firstEpoch.get(trial), `trial ${trial}`).toBe(cp.epoch + 1);
  const final = saved.jobs.filter((j) => j.status !== 'waiting').map((j) => j.trial);
  for (const t of final) expect(firstEpoch.has(t), `trial ${t} trained again`).toBe(false);
  for (const t of firstEpoch.keys()) if (!checkpoints.has(t)) expect(firstEpoch.get(t)).toBe(1);
  return r;
}

const outcome = (r: TuneResult) => ({
  reason: r.reason,
  best: r.best,
  trials: r.trials.map((t) => ({ trial: t.trial, settings: t.settings, status: t.status, epochs: t.epochs, rung: t.rung, best: t.bestValLoss, curve: t.history.map((h) => `${h.epoch}:${h.trainLoss}:${h.valLoss}`) })),
});

describe('TuneRunner resume', () => {
  const plain = sineData(40, 12, 6);
  const based = { ...sineData(40, 12, 6), startAtBaseline: true };

  it.each([
    ['halving, cut after 3 jobs', 'halving', plain, { afterJobs: 3 }, null],
    ['halving, cut after 5 jobs (in rung 2), a baseline-started forecast', 'halving', based, { afterJobs: 5 }, null],
    ['halving, cut mid-epoch in rung 2', 'halving', plain, { trial: 0, epoch: 1, step: 3 }, 'rung2'],
    ['random, cut mid-epoch in trial 3', 'random', plain, { trial: 3, epoch: 2, step: 2 }, 3],
    ['grid, cut after 1 job', 'grid', plain, { afterJobs: 1 }, null],
  ] as const)('%s: the same trials and results as straight through', async (_name, strategy, data, cut0, which) => {
    const o = options(strategy, data, strategy === 'grid' ? { search: { strategy, space: [parseVary('hidden=3,5'), parseVary('lr=0.01,0.03')], maxEpochs: 2, seed: 5 } } : {});
    const straight = await new TuneRunner(o).start();
    expect(straight.reason).toBe('completed');
    let cut = cut0 as { afterJobs: number } | { trial: number; epoch: number; step: number };
    let trial: number | null = typeof which === 'number' ? which : null;
    if (which === 'rung2') {
      // The trial that trains first in rung 2 (1 epoch in rung 1, to 2 in rung 2): cut inside its second epoch.
      const first = straight.trials.filter((t) => t.epochs >= 2).sort((a, b) => a.history[1].valLoss - b.history[1].valLoss || a.trial - b.trial)[0];
      trial = first.trial;
      cut = { trial, epoch: 1, step: 3 };
    }
    const saved = await interrupted(o, cut);
    const again = await resumed(o, saved, trial, trial !== null ? 2 : 0);
    expect(outcome(again)).toEqual(outcome(straight));
    // The finished jobs were not trained again: their records are the saved ones (their seconds too).
    for (const j of saved.jobs.filter((x) => x.status !== 'waiting')) expect(again.trials[j.trial - 1].seconds).toBe(j.seconds);
  });

  it('trains nothing twice: a resumed trial continues from its checkpoint, finished trials do not train', async () => {
    const o = options('random', plain);
    const saved = await interrupted(o, { trial: 2, epoch: 1, step: 0 });
    expect(saved.jobs.map((j) => j.trial)).toEqual([1]);
    const epochs: [number, number][] = [];
    const started: number[] = [];
    const cps = saved.checkpoints.get(2)!;
    const r = await new TuneRunner({
      ...o,
      resume: { jobs: saved.jobs, checkpoints: new Map([[2, cps[cps.length - 1]]]), elapsedMs: 5000 },
      callbacks: { onEpoch: (t, rec) => epochs.push([t, rec.epoch]), onTrialStart: (j) => started.push(j.trial) },
    }).start();
    expect(started).toEqual([2, 3, 4]);
    expect(epochs.filter(([t]) => t === 2).map(([, e]) => e)).toEqual([2, 3, 4]);
    expect(r.trials.map((t) => t.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(5000);
  });

  it('counts the time already spent against the minutes budget, and refuses a saved search that does not fit its plan', async () => {
    let clock = 0;
    const o = options('random', plain, { minutes: 1, now: () => clock });
    const saved = await interrupted(o, { afterJobs: 1 });
    const r = await new TuneRunner({ ...o, resume: { jobs: saved.jobs, checkpoints: new Map(), elapsedMs: 60_000 } }).start();
    expect(r.reason).toBe('minutes');
    expect(r.trials.map((t) => t.trial)).toEqual([1]);
    clock = 0;
    const wrong = [{ ...saved.jobs[0], trial: 2 }];
    expect(() => new TuneRunner({ ...o, resume: { jobs: wrong, checkpoints: new Map(), elapsedMs: 0 } })).toThrow(/its job 1 trained trial 2 in rung 1, the plan says trial 1 in rung 1/);
  });
});
