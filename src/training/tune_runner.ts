// Runs a search: its trials one after another as normal training sessions on one engine factory, the same data and
// split for each (rebuilt only where a varied setting changes the data), a halving trial continuing from its own
// checkpoint; keeps the budget (trials, minutes), stops cleanly, and reports every trial as it goes.
import type { TrainConfig } from '../engine/config';
import { validateConfig } from '../engine/config';
import { estimateMemory } from '../engine/network_buffers';
import type { EngineFactory } from './engine_factory';
import { TrainingSession } from './session';
import { applySettings, checkMinutes, TuneSpaceError, type TrialSettings } from './tune_space';
import { TuneSearch, type Rung, type SearchOptions, type TrialJob, type TuneStrategy } from './tune_strategy';
import type { Checkpoint, CheckpointReason, EpochRecord, SessionResult, TrainingData, TrainingSnapshot } from './types';

/** queued: not started; waiting: trained to its rung, may continue; pruned: left at a lower rung (halving). */
export type TrialStatus = 'queued' | 'running' | 'waiting' | 'completed' | 'pruned' | 'stopped' | 'early-stopped' | 'diverged' | 'failed';

export interface TrialRecord {
  trial: number;
  settings: TrialSettings;
  status: TrialStatus;
  /** Lowest validation loss of any epoch (normalized units, as the training loss); NaN before its first epoch. */
  bestValLoss: number;
  /** Epochs trained in all. */
  epochs: number;
  /** Wall time of its sessions (setup included), all rungs together. */
  seconds: number;
  /** The last rung it trained in. */
  rung: number;
  /** Why it diverged, failed or stopped early. */
  message: string | null;
  history: EpochRecord[];
}

export interface TuneSnapshot {
  state: 'running' | 'done';
  strategy: TuneStrategy;
  rungs: Rung[];
  rung: number;
  trials: TrialRecord[];
  /** The trial training now and its session's snapshot. */
  current: { trial: number; snapshot: TrainingSnapshot } | null;
  /** The best trial so far (lowest validation loss). */
  best: number | null;
  elapsedMs: number;
}

/** completed: the plan ran out; trials / minutes: that budget ended it; stopped: stop() was called. */
export type TuneEnd = 'completed' | 'minutes' | 'stopped';

export interface TuneResult {
  reason: TuneEnd;
  trials: TrialRecord[];
  best: number | null;
  elapsedMs: number;
}

export interface TuneCallbacks {
  onTrialStart?: (job: TrialJob) => void;
  /** A job ended (a halving trial may end several, status 'waiting' until its last). */
  onTrialEnd?: (record: TrialRecord, result: SessionResult) => void;
  /** A trial reached its final status (completed, pruned, stopped, early-stopped, diverged, failed): once per trial. */
  onTrialDone?: (record: TrialRecord) => void;
  onEpoch?: (trial: number, record: EpochRecord, snapshot: TrainingSnapshot) => void;
  onCheckpoint?: (trial: number, checkpoint: Checkpoint, reason: CheckpointReason) => void;
  onSnapshot?: (snapshot: TuneSnapshot) => void;
}

export interface TuneOptions {
  search: SearchOptions;
  /** The complete config every trial starts from (the data's fields filled in); epochs is set per rung. */
  baseConfig: TrainConfig;
  /** The training data for a trial: the same arrays for every trial unless a setting changes the data (window). */
  trialData: (settings: TrialSettings) => TrainingData | Promise<TrainingData>;
  engines: EngineFactory;
  /** Wall-clock budget: no trial starts after it, and the running one stops when it passes. */
  minutes?: number;
  /** Early-stopping patience of each trial (0 = off). */
  patience?: number;
  callbacks?: TuneCallbacks;
  snapshotIntervalMs?: number;
  now?: () => number;
}

const bestOf = (history: EpochRecord[]) => history.reduce((m, h) => (h.epoch > 0 && Number.isFinite(h.valLoss) && h.valLoss < m ? h.valLoss : m), Infinity);

export class TuneRunner {
  readonly search: TuneSearch;
  private readonly o: TuneOptions;
  private readonly now: () => number;
  private readonly records: TrialRecord[];
  /** Each trial's checkpoint as its session left it (what it exports: a run may end on its best epoch's weights). */
  private readonly checkpoints = new Map<number, Checkpoint>();
  /** Each trial's last checkpoint of the state it trained to (what a halving trial continues from). */
  private readonly resumePoints = new Map<number, Checkpoint>();
  private session: TrainingSession | null = null;
  private currentTrial: number | null = null;
  private stopRequested = false;
  private budgetHit = false;
  private finished = false;
  private startedAt = 0;
  private runPromise: Promise<TuneResult> | null = null;

  constructor(o: TuneOptions) {
    checkMinutes(o.minutes);
    this.o = o;
    this.now = o.now ?? (() => performance.now());
    this.search = new TuneSearch(o.search);
    this.records = this.search.trials.map((settings, i) => ({
      trial: i + 1, settings, status: 'queued', bestValLoss: NaN, epochs: 0, seconds: 0, rung: 0, message: null, history: [],
    }));
    for (const r of this.records) {
      const problems = validateConfig(this.configOf(r.settings, o.search.maxEpochs));
      if (problems.length > 0) throw new TuneSpaceError(`trial ${r.trial} (${describeSettings(r.settings)}) cannot train: ${problems.join('; ')}`);
    }
  }

  /** The config trial settings train with, to `epochs` epochs. */
  configOf(settings: TrialSettings, epochs: number): TrainConfig {
    return { ...applySettings(this.o.baseConfig, settings), epochs };
  }

  /** Runs the search to its end; calling it again returns the same run. */
  start(): Promise<TuneResult> {
    this.runPromise ??= this.run();
    return this.runPromise;
  }

  /** Ends the search: the running trial stops at its next batch (its checkpoint kept), no other trial starts. */
  stop(): void {
    this.stopRequested = true;
    this.session?.stop();
  }

  /** The trial's last good checkpoint (weights, optimizer state, position), once it has trained. */
  checkpointOf(trial: number): Checkpoint | null {
    return this.checkpoints.get(trial) ?? null;
  }

  snapshot(current: TrainingSnapshot | null = null): TuneSnapshot {
    return {
      state: this.finished ? 'done' : 'running',
      strategy: this.o.search.strategy,
      rungs: this.search.rungs,
      rung: this.search.currentRung,
      trials: this.records.map((r) => ({ ...r, history: r.history.slice() })),
      current: current && this.currentTrial !== null ? { trial: this.currentTrial, snapshot: current } : null,
      best: this.bestTrial(),
      elapsedMs: this.startedAt > 0 ? this.now() - this.startedAt : 0,
    };
  }

  private bestTrial(): number | null {
    const ranked = this.search.ranking().filter((id) => Number.isFinite(this.records[id - 1].bestValLoss));
    return ranked[0] ?? null;
  }

  private async run(): Promise<TuneResult> {
    this.startedAt = this.now();
    await this.checkMemory();
    const deadline = this.o.minutes !== undefined ? this.startedAt + this.o.minutes * 60_000 : Infinity;
    for (;;) {
      if (this.stopRequested) break;
      if (this.now() >= deadline) {
        this.budgetHit = true;
        break;
      }
      const job = this.search.next();
      if (!job) break;
      this.pruneLeftBehind();
      await this.runJob(job, deadline);
    }
    for (const r of this.records) {
      if (r.status !== 'waiting') continue;
      r.status = this.search.wasPruned(r.trial) && !this.stopRequested && !this.budgetHit ? 'pruned' : 'stopped';
      this.done(r);
    }
    this.session = null;
    this.currentTrial = null;
    this.finished = true;
    const reason: TuneEnd = this.stopRequested ? 'stopped' : this.budgetHit ? 'minutes' : 'completed';
    this.o.callbacks?.onSnapshot?.(this.snapshot());
    return { reason, trials: this.records.filter((r) => r.status !== 'queued'), best: this.bestTrial(), elapsedMs: this.now() - this.startedAt };
  }

  /** Trials waiting at a rung the search has moved past: pruned. */
  private pruneLeftBehind(): void {
    for (const r of this.records) {
      if (r.status === 'waiting' && !this.search.inCurrentRung(r.trial)) {
        r.status = 'pruned';
        this.done(r);
      }
    }
  }

  private done(r: TrialRecord): void {
    this.o.callbacks?.onTrialDone?.({ ...r, history: r.history.slice() });
  }

  /** Refuses, before anything is allocated, a trial whose largest buffer is over the device's per-buffer limit. */
  private async checkMemory(): Promise<void> {
    const ctx = await this.o.engines.ready();
    if (!ctx) return;
    const limit = Math.min(ctx.device.limits.maxStorageBufferBindingSize, ctx.device.limits.maxBufferSize);
    for (const r of this.records) {
      const { largest, totalBytes } = estimateMemory(this.configOf(r.settings, 1));
      if (largest.bytes > limit) {
        throw new TuneSpaceError(
          `trial ${r.trial} (${describeSettings(r.settings)}) is too large for this GPU: its ${largest.name} buffer would need ` +
            `${mib(largest.bytes)} MiB (${mib(totalBytes)} MiB in all), over the limit of ${mib(limit)} MiB per buffer. ` +
            'Narrow the ranges of hidden, window or batch.',
        );
      }
    }
  }

  private async runJob(job: TrialJob, deadline: number): Promise<void> {
    const rec = this.records[job.trial - 1];
    const cb = this.o.callbacks ?? {};
    rec.status = 'running';
    rec.rung = job.rung;
    this.currentTrial = job.trial;
    cb.onTrialStart?.(job);
    const t0 = this.now();
    const data = await this.o.trialData(job.settings);
    if (data.valCount === 0) throw new TuneSpaceError(`trial ${job.trial} (${describeSettings(job.settings)}) has no validation samples to rank it by: keep a validation share, or shorten the window`);
    let latest: Checkpoint | null = null;
    const session = new TrainingSession({
      config: this.configOf(job.settings, job.epochs),
      data,
      engines: this.o.engines,
      resumeFrom: this.resumePoints.get(job.trial),
      earlyStoppingPatience: this.o.patience ?? 0,
      snapshotIntervalMs: this.o.snapshotIntervalMs,
      callbacks: {
        onSnapshot: (s) => {
          if (this.now() >= deadline) {
            this.budgetHit = true;
            session.stop();
          }
          cb.onSnapshot?.(this.snapshot(s));
        },
        onEpochEnd: (r, s) => cb.onEpoch?.(job.trial, r, s),
        onCheckpoint: (c, reason) => {
          // The end checkpoint may carry the best epoch's weights instead of the last ones; continuing uses the last.
          if (reason !== 'end') latest = c;
          cb.onCheckpoint?.(job.trial, c, reason);
        },
      },
    });
    this.session = session;
    if (this.stopRequested) session.stop();
    let result: SessionResult;
    try {
      result = await session.start();
    } finally {
      const cp = session.lastCheckpoint();
      if (cp) this.checkpoints.set(job.trial, cp);
      if (latest ?? cp) this.resumePoints.set(job.trial, (latest ?? cp)!);
      await session.dispose();
      this.session = null;
    }
    rec.seconds += (this.now() - t0) / 1000;
    const { reason, message } = result;
    const history = result.snapshot.history;
    rec.history = history.length > 0 ? history : rec.history;
    rec.epochs = rec.history.at(-1)?.epoch ?? 0;
    rec.bestValLoss = bestOf(rec.history);
    if (!Number.isFinite(rec.bestValLoss)) rec.bestValLoss = NaN;
    rec.message = message;
    const canContinue = reason === 'completed';
    rec.status =
      reason === 'completed' ? (job.epochs >= this.o.search.maxEpochs ? 'completed' : 'waiting')
      : reason === 'stopped' ? 'stopped'
      : (reason as TrialStatus);
    this.search.report(job.trial, rec.bestValLoss, rec.epochs, canContinue);
    this.currentTrial = null;
    cb.onTrialEnd?.({ ...rec, history: rec.history.slice() }, result);
    if (rec.status !== 'waiting') this.done(rec);
  }
}

/** "hidden=32, lr=0.01": a trial's settings in one line. */
export function describeSettings(s: TrialSettings): string {
  return Object.entries(s).map(([k, v]) => `${k}=${v}`).join(', ');
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
