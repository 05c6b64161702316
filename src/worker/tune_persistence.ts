// The worker's side of saved searches: one SavedTune per search, kept in step with the runner (definition at the
// start, each trial as it starts, each finished job with the checkpoint a waiting trial continues from, the end) and
// written in order to IndexedDB; a Web Lock marks it as live so no tab offers to resume it. Also reads a saved search
// back for resuming: its records, and where each unfinished trial continues from.
import type { TrainConfig } from '../engine/config';
import type { DataSource, RunRecord } from '../storage/checkpoint_store';
import { StorageError } from '../storage/checkpoint_store';
import { holdRunLock } from '../storage/run_locks';
import { TuneStore, type SavedTune, type TuneDefinition } from '../storage/tune_store';
import type { TrialRecord, TuneEnd, TuneResume, TuneSnapshot } from '../training/tune_runner';
import type { Checkpoint } from '../training/types';
import type { RunPersistence } from './run_persistence';

/** Opens saved-search storage (indexedDB, or `factory`); on failure reports once and returns null (searches still run). */
export async function openTuneStorage(onError: (e: StorageError) => void, factory?: IDBFactory): Promise<TuneStore | null> {
  try {
    return await TuneStore.open(factory);
  } catch (e) {
    onError(e instanceof StorageError ? e : new StorageError(`Searches cannot be saved in this browser: ${String(e)}`, false));
    return null;
  }
}

export interface NewTune {
  definition: TuneDefinition;
  config: TrainConfig;
  patience: number;
  datasetName: string;
}

/** A search's record as the runner moves on, written in the order it changes (a point with its record). */
export class TunePersistence {
  private tune: SavedTune;
  private chain: Promise<void> = Promise.resolve();
  private failing = false;
  private release: (() => void) | null;

  /** Starts writing a new search (with its data), or continues a saved one. */
  constructor(
    private readonly store: TuneStore,
    from: NewTune | SavedTune,
    source: DataSource | null,
    rungs: TuneSnapshot['rungs'],
    private readonly onError: (e: StorageError) => void,
  ) {
    if ('id' in from) this.tune = { ...from, status: 'running', end: null, updatedAt: Date.now() };
    else {
      const now = Date.now();
      const time = new Date(now).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
      const id = globalThis.crypto.randomUUID();
      const varied = from.definition.space.map((v) => v.name).join(', ');
      this.tune = { id, name: `${from.datasetName} · ${from.definition.strategy} on ${varied} · ${time}`, createdAt: now, updatedAt: now, status: 'running', end: null, ...from, rungs, trials: [], jobs: [], runIds: {}, best: null, elapsedMs: 0 };
    }
    this.release = holdRunLock(this.tune.id);
    if (source) this.queue(() => this.store.putSource(this.tune.id, source));
  }

  get id(): string {
    return this.tune.id;
  }

  get current(): SavedTune {
    return this.tune;
  }

  private queue(write: () => Promise<void>): void {
    this.chain = this.chain.then(write).then(
      () => {
        this.failing = false;
      },
      (e: unknown) => {
        if (!this.failing) this.onError(e as StorageError);
        this.failing = true;
      },
    );
  }

  private update(s: TuneSnapshot, runIds: Record<number, string>, point?: { trial: number; checkpoint: Checkpoint }): void {
    this.tune = { ...this.tune, trials: s.trials, runIds: { ...runIds }, best: s.best, elapsedMs: s.elapsedMs, updatedAt: Date.now() };
    const t = this.tune;
    this.queue(() => (point ? this.store.saveWithPoint(t, point.trial, point.checkpoint) : this.store.putTune(t)));
  }

  /** The search as it stands (a trial started, or its run got an id). */
  progress(s: TuneSnapshot, runIds: Record<number, string>): void {
    this.update(s, runIds);
  }

  /** A job ran to its end: kept for the replay, with the checkpoint the trial continues from when it waits for a rung. */
  jobDone(record: TrialRecord, point: Checkpoint | null, s: TuneSnapshot, runIds: Record<number, string>): void {
    this.tune = { ...this.tune, jobs: [...this.tune.jobs, record] };
    this.update(s, runIds, record.status === 'waiting' && point ? { trial: record.trial, checkpoint: point } : undefined);
  }

  /** The search ended: done, or stopped (by a person or its time budget: it can be resumed). */
  end(reason: TuneEnd, s: TuneSnapshot, runIds: Record<number, string>): void {
    this.finish({ status: reason === 'completed' ? 'done' : 'stopped', end: reason }, s, runIds);
  }

  /** The search could not run (its plan or data failed): kept as done, not offered for resuming. */
  failed(s: TuneSnapshot, runIds: Record<number, string>): void {
    this.finish({ status: 'done', end: null }, s, runIds);
  }

  private finish(how: Pick<SavedTune, 'status' | 'end'>, s: TuneSnapshot, runIds: Record<number, string>): void {
    this.tune = { ...this.tune, ...how };
    this.update(s, runIds);
    void this.chain.then(() => {
      this.release?.();
      this.release = null;
    });
  }

  /** Resolves once everything queued so far is written (or has failed and been reported). */
  flush(): Promise<void> {
    return this.chain;
  }
}

/** A saved search read back to resume: its record, data, trials' runs, and what the runner replays. */
export interface LoadedTune {
  tune: SavedTune;
  source: DataSource;
  runs: Map<number, RunRecord>;
  resume: TuneResume;
}

/**
 * Reads a saved search to resume it. A trial continues from the later of its saved resume point (the state it
 * trained a rung to) and its run's last checkpoint (where a reload or a stop cut it off); finished trials do not.
 */
export async function loadTune(tunes: TuneStore, runs: RunPersistence, id: string): Promise<LoadedTune> {
  const tune = await tunes.getTune(id);
  if (!tune) throw new Error('This search is no longer saved (it may have been discarded in another tab).');
  const source = await tunes.getSource(id);
  if (!source) throw new Error(`The data this search ran on ("${tune.datasetName}") is not stored, so it cannot be resumed. Load it again and start a new search.`);
  const points = await tunes.loadPoints(id);
  const last = new Map<number, TrialRecord>();
  for (const j of tune.jobs) last.set(j.trial, j);
  const records = new Map<number, RunRecord>();
  const checkpoints = new Map<number, Checkpoint>();
  for (const [key, runId] of Object.entries(tune.runIds)) {
    const trial = Number(key);
    const run = await runs.getRun(runId);
    if (run) records.set(trial, run);
    const status = last.get(trial)?.status;
    if (status !== undefined && status !== 'waiting') continue; // finished: it is not trained again
    const point = points.get(trial);
    const cp = run?.hasCheckpoint ? await runs.loadCheckpoint(runId) : null;
    const from = cp && (!point || cp.step > point.step) ? cp : point;
    if (from) checkpoints.set(trial, from);
  }
  return { tune, source, runs: records, resume: { jobs: tune.jobs, checkpoints, elapsedMs: tune.elapsedMs } };
}
