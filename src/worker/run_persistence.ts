// The worker's side of saved runs: one RunRecord per run, kept in step with the session and written with its
// checkpoints to IndexedDB; a Web Lock marks the run as live so another tab does not offer to resume it.
import type { TrainConfig } from '../engine/config';
import { CheckpointStore, StorageError, type RunRecord, type RunStatus, type DataSource } from '../storage/checkpoint_store';
import { CheckpointWriter } from '../storage/checkpoint_writer';
import { holdRunLock } from '../storage/run_locks';
import type { Checkpoint, SessionResult, TrainingState } from '../training/types';

function statusOf(state: TrainingState): RunStatus {
  return state === 'paused' ? 'paused' : 'running';
}

function endStatus(r: SessionResult): RunStatus {
  if (r.reason === 'stopped') return 'stopped';
  return r.reason === 'diverged' || r.reason === 'failed' ? 'error' : 'done';
}

export class RunPersistence {
  private run: RunRecord | null = null;
  private source: DataSource | null = null;
  private sourceSaved = false;
  private release: (() => void) | null = null;
  private ended = false;

  private constructor(
    private readonly store: CheckpointStore,
    private readonly writer: CheckpointWriter,
  ) {}

  /** Opens storage (indexedDB, or `factory`); on failure reports once and returns null (training works, nothing survives a reload). */
  static async open(onError: (e: StorageError) => void, onSaved: (run: RunRecord, withCheckpoint: boolean) => void, factory?: IDBFactory): Promise<RunPersistence | null> {
    try {
      const store = await CheckpointStore.open(factory);
      let self: RunPersistence | null = null;
      const writer = new CheckpointWriter(store, onError, (run, cp) => {
        if (cp) self?.checkpointSaved(run.id);
        onSaved(run, cp !== null);
      });
      self = new RunPersistence(store, writer);
      return self;
    } catch (e) {
      onError(e instanceof StorageError ? e : new StorageError(`Runs cannot be saved in this browser: ${String(e)}`, false));
      return null;
    }
  }

  /** Starts a new run record (its fingerprint and data are filled in with the first checkpoint). */
  begin(config: TrainConfig, datasetName: string, source: DataSource | null): RunRecord {
    const now = Date.now();
    const time = new Date(now).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const run: RunRecord = {
      id: globalThis.crypto.randomUUID(),
      name: `${datasetName} · ${config.cell.toUpperCase()} ${config.hiddenSize} · ${time}`,
      createdAt: now,
      updatedAt: now,
      status: 'running',
      config,
      fingerprint: '',
      datasetName,
      epoch: 0,
      epochs: config.epochs,
      step: 0,
      history: [],
      bestEpoch: null,
      message: null,
      hasCheckpoint: false,
    };
    this.adopt(run, source);
    return run;
  }

  /** Continues writing an existing run (reopened or resumed). */
  adopt(run: RunRecord, source: DataSource | null): void {
    this.unlock();
    this.ended = false;
    this.run = { ...run, status: 'running', message: null, updatedAt: Date.now() };
    this.source = source;
    this.sourceSaved = false;
    this.release = holdRunLock(run.id);
  }

  /** A checkpoint of the run landed: later record-only writes (status, note) must keep saying so. */
  private checkpointSaved(id: string): void {
    if (this.run?.id === id && !this.run.hasCheckpoint) this.run = { ...this.run, hasCheckpoint: true };
  }

  get current(): RunRecord | null {
    return this.run;
  }

  private update(patch: Partial<RunRecord>, checkpoint: Checkpoint | null): void {
    if (!this.run) return;
    this.run = { ...this.run, ...patch, updatedAt: Date.now() };
    this.writer.save(this.run, checkpoint);
  }

  /** A checkpoint from the session: store it with the run's curves and position. */
  checkpoint(cp: Checkpoint, state: TrainingState): void {
    if (!this.run) return;
    if (!this.sourceSaved && this.source && cp.fingerprint) {
      this.sourceSaved = true;
      const src = this.source;
      void this.store.putDataset(cp.fingerprint, src).catch(() => (this.sourceSaved = false));
    }
    this.update(
      {
        fingerprint: cp.fingerprint,
        epoch: cp.epoch,
        step: cp.step,
        epochs: cp.config.epochs,
        history: cp.history,
        bestEpoch: cp.best.epoch,
        status: cp.finished ? this.run.status : statusOf(state),
      },
      cp,
    );
  }

  /** Records running/paused when the session's state changes. */
  state(state: TrainingState): void {
    if (!this.run || (state !== 'training' && state !== 'paused')) return;
    const status = statusOf(state);
    if (status !== this.run.status) this.update({ status }, null);
  }

  /** The run ended: its final status and, if it failed, why. */
  end(result: SessionResult): void {
    this.update({ status: endStatus(result), message: result.message, epoch: result.snapshot.epoch, history: result.snapshot.history }, null);
    this.ended = true;
    this.unlock();
  }

  /**
   * What the dashboard measured of the run (its latest gradient flow and metrics, the data's baselines): kept with the
   * record and written with the next checkpoint, or at once when the run has already ended.
   */
  note(extra: Pick<Partial<RunRecord>, 'gradFlow' | 'metrics' | 'baselines'>): void {
    if (!this.run) return;
    if (this.ended) this.update(extra, null);
    else this.run = { ...this.run, ...extra };
  }

  private unlock(): void {
    this.release?.();
    this.release = null;
  }

  getRun(id: string): Promise<RunRecord | null> {
    return this.store.getRun(id);
  }

  loadCheckpoint(id: string): Promise<Checkpoint | null> {
    return this.store.loadCheckpoint(id);
  }

  getDataset(fingerprint: string): Promise<DataSource | null> {
    return this.store.getDataset(fingerprint);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }
}
