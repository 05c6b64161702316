// Runs a search: its trials one after another as normal training sessions on one engine factory, the same data and
// split for each (rebuilt only where a varied setting changes the data), a halving trial continuing from its own
// checkpoint; keeps the budget (trials, minutes), stops cleanly, and reports every trial as it goes; a saved search
// (its finished jobs and checkpoints) resumes where it was.
import type { TrainConfig } from '../engine/config';
import { validateConfig } from '../engine/config';
import { estimateMemory } from '../engine/network_buffers';
import { WASM_MAX_BYTES } from '../engine/wasm/wasm_kernels';
import type { EngineFactory } from './engine_factory';
import { TrainingSession } from './session';
import { applySettings, checkMinutes, TuneSpaceError, type TrialSettings } from './tune_space';
import { rankLossOn, type RankScale } from './tune_scale';
import type { NamedTensor } from '../engine/tensor';
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
  /**
   * A job ran to its end (not cut short by a stop or the time budget): the trial's record just after it, what a
   * resumed search replays (TuneResume.jobs), and the checkpoint the trial would continue from in a later rung.
   */
  onJobDone?: (record: TrialRecord, resumePoint: Checkpoint | null) => void;
}

/** What a search saved as it went, to continue it after a reload or a stop exactly where it was. */
export interface TuneResume {
  /** Every job that ran to its end, in the order they ran: the trial's record just after it (onJobDone's). */
  jobs: TrialRecord[];
  /** Where trials continue from: a waiting trial's resume point, the interrupted trial's last checkpoint. */
  checkpoints: Map<number, Checkpoint>;
  /** Wall time the search had already run (the minutes budget counts it). */
  elapsedMs: number;
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
  /** Mid-epoch checkpoints of each trial (default: the session's). */
  checkpointIntervalMs?: number;
  /**
   * The common scale to rank a trial on (tune_scale.ts: where the forecast transform varies), or null to rank on its
   * own validation loss. A trial with a scale has its history's validation losses, and so its bestValLoss, on it.
   */
  rankScale?: (settings: TrialSettings) => RankScale | null;
  /** Continue a saved search: its finished jobs are replayed (not trained again), the next one continues. */
  resume?: TuneResume;
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
  /** Wall time of the search before it was resumed. */
  private priorMs = 0;
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
    if (o.resume) this.replay(o.resume);
  }

  /** Replays a saved search's finished jobs: the strategy takes the same steps and reports, the records their results. */
  private replay(r: TuneResume): void {
    r.jobs.forEach((saved, i) => {
      const job = this.search.next();
      if (!job || job.trial !== saved.trial || job.rung !== saved.rung) {
        const planned = job ? `trial ${job.trial} in rung ${job.rung + 1}` : 'nothing';
        throw new TuneSpaceError(`the saved search does not fit its own plan: its job ${i + 1} trained trial ${saved.trial} in rung ${saved.rung + 1}, the plan says ${planned}. Start the search anew.`);
      }
      this.pruneLeftBehind(false);
      Object.assign(this.records[saved.trial - 1], { ...saved, history: saved.history.slice() });
      this.search.report(saved.trial, saved.bestValLoss, saved.epochs, saved.status === 'completed' || saved.status === 'waiting');
    });
    for (const [trial, cp] of r.checkpoints) this.resumePoints.set(trial, cp);
    this.priorMs = r.elapsedMs;
  }

  /** The checkpoint a trial continues from (the last state it trained to), once it has trained or was resumed. */
  resumePointOf(trial: number): Checkpoint | null {
    return this.resumePoints.get(trial) ?? null;
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
    this.startedAt = this.now() - this.priorMs;
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

  /** Trials waiting at a rung the search has moved past: pruned (told to onTrialDone unless replaying). */
  private pruneLeftBehind(tell = true): void {
    for (const r of this.records) {
      if (r.status === 'waiting' && !this.search.inCurrentRung(r.trial)) {
        r.status = 'pruned';
        if (tell) this.done(r);
      }
    }
  }

  private done(r: TrialRecord): void {
    this.o.callbacks?.onTrialDone?.({ ...r, history: r.history.slice() });
  }

  /** Refuses, before anything is allocated, a trial whose largest buffer is over the device's per-buffer limit (on the
   *  CPU engine: a trial whose buffers in all are over what one WebAssembly memory holds). */
  private async checkMemory(): Promise<void> {
    const ctx = await this.o.engines.ready();
    if (!ctx) return this.checkCpuMemory();
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

  private checkCpuMemory(): void {
    for (const r of this.records) {
      const { totalBytes } = estimateMemory(this.configOf(r.settings, 1));
      if (totalBytes > WASM_MAX_BYTES) {
        throw new TuneSpaceError(
          `trial ${r.trial} (${describeSettings(r.settings)}) is too large for the CPU engine: it would need about ${mib(totalBytes)} MiB, ` +
            `over the ${mib(WASM_MAX_BYTES)} MiB one WebAssembly memory holds. Narrow the ranges of hidden, window or batch.`,
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
    const scale = this.o.rankScale?.(job.settings) ?? null;
    const toScore = new Map<number, NamedTensor[]>();
    const session = new TrainingSession({
      config: this.configOf(job.settings, job.epochs),
      data,
      engines: this.o.engines,
      resumeFrom: this.resumePoints.get(job.trial),
      earlyStoppingPatience: this.o.patience ?? 0,
      snapshotIntervalMs: this.o.snapshotIntervalMs,
      checkpointIntervalMs: this.o.checkpointIntervalMs,
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
          if (scale && (reason === 'epoch' || reason === 'start')) toScore.set(c.epoch, c.parameters);
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
    const { reason, message } = result;
    const history = scale ? await this.rescore(job, data, scale, toScore, result.snapshot.history, rec.history) : result.snapshot.history;
    rec.seconds += (this.now() - t0) / 1000;
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
    if (reason !== 'stopped') cb.onJobDone?.({ ...rec, history: rec.history.slice() }, this.resumePoints.get(job.trial) ?? null);
    if (rec.status !== 'waiting') this.done(rec);
  }

  /** A history with each epoch's validation loss on the common scale: the epochs this job trained scored from their
   *  checkpoints, the earlier ones as the trial's record has them. */
  private async rescore(job: TrialJob, data: TrainingData, scale: RankScale, toScore: Map<number, NamedTensor[]>, history: EpochRecord[], before: EpochRecord[]): Promise<EpochRecord[]> {
    const earlier = new Map(before.map((h) => [h.epoch, h.valLoss]));
    const scored = new Map<number, number>();
    if (toScore.size > 0) {
      const config = this.configOf(job.settings, job.epochs);
      const engine = await this.o.engines.build(config);
      try {
        for (const [epoch, parameters] of toScore) {
          engine.writeParameters(parameters);
          scored.set(epoch, await rankLossOn(engine, data.valX, data.valCount, config.batchSize, scale));
        }
      } finally {
        engine.dispose();
      }
    }
    return history.map((h) => ({ ...h, valLoss: scored.get(h.epoch) ?? earlier.get(h.epoch) ?? h.valLoss }));
  }
}

/** "hidden=32, lr=0.01": a trial's settings in one line. */
export function describeSettings(s: TrialSettings): string {
  return Object.entries(s).map(([k, v]) => `${k}=${v}`).join(', ');
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
