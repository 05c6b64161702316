// IndexedDB storage of runs: a small record per run (curves, status), its latest checkpoint, and the data it trained on.
import type { TrainConfig } from '../engine/config';
import type { Checkpoint, EpochRecord } from '../training/types';
import type { TrainingChoices, TrainingSet } from '../data/training_types';
import type { ColumnUse } from '../data/column_use';
import type { ExampleId } from '../data/examples/index';

export const DB_NAME = 'lstm-playground';
const DB_VERSION = 1;
const RUNS = 'runs';
const CHECKPOINTS = 'checkpoints';
const DATASETS = 'datasets';

export type RunStatus = 'running' | 'paused' | 'done' | 'stopped' | 'error';

/** What the run list shows and compares; small, so listing runs never reads weights. */
export interface RunRecord {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  config: TrainConfig;
  /** Fingerprint of the training data (see training/fingerprint.ts); the key of its stored source. */
  fingerprint: string;
  datasetName: string;
  epoch: number;
  epochs: number;
  step: number;
  history: EpochRecord[];
  bestEpoch: number | null;
  /** Why the run ended, when it did not simply finish. */
  message: string | null;
  /** Whether a checkpoint is stored for it. */
  hasCheckpoint: boolean;
  /** The latest gradient-flow probe, ‖∂L/∂h_t‖ by time step (absent in runs saved before it was kept). */
  gradFlow?: RunGradFlow;
  /** The latest validation metrics in the data's own units (absent in older runs). */
  metrics?: RunMetrics;
  /** The data's baselines when the run began (absent in older runs). */
  baselines?: TrainingSet['baselines'];
}

/** One gradient-flow profile of a run: the norm of ∂L/∂h_t at each time step of one validation sequence. */
export interface RunGradFlow {
  step: number;
  epoch: number;
  layer: number;
  direction: number;
  norms: number[];
}

/** A run's validation metrics at an epoch: errors for a forecast, accuracy and macro F1 for a classifier. */
export type RunMetrics =
  | { kind: 'forecast'; epoch: number; mse: number; rmse: number; mae: number }
  | { kind: 'classify'; epoch: number; accuracy: number; macroF1: number };

/** The raw data a run was windowed from, so a reload can rebuild exactly the same training set. */
export interface SeriesSource {
  kind: 'series';
  name: string;
  column: string;
  series: Float64Array;
  window: number;
  valFraction: number;
}

/** A table and the choices that built the run's training set: rebuilt by parsing the same file (or example) again. */
export interface TableSource {
  kind: 'table';
  name: string;
  /** A built-in example's id, or null for a file. */
  example: ExampleId | null;
  /** The file as the person chose it (IndexedDB keeps Blobs), or null for an example. */
  file: Blob | null;
  choices: TrainingChoices;
  /** How each column was used (by position). */
  uses: ColumnUse[];
}

/** What a run was trained on: an older run's series, or a table with its choices. */
export type DataSource = SeriesSource | TableSource;

/** A failed read or write; `quota` is true when the browser refused for lack of space. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly quota: boolean,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** `action` completes "Could not …", e.g. "save the checkpoint of "run 1" (epoch 3, step 60)". */
export function asStorageError(e: unknown, action: string): StorageError {
  if (e instanceof StorageError) return e;
  if (isQuotaError(e)) {
    return new StorageError(
      `Could not ${action}: the browser's storage for this page is full (QuotaExceededError). Delete old runs under ` +
        'Past runs, or allow this site more storage in the browser settings. Training goes on, but a reload would lose ' +
        'the progress since the last saved checkpoint.',
      true,
    );
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new StorageError(`Could not ${action}: ${detail || 'the browser refused'}.`, false);
}

export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A failed request's error bubbles here before the transaction aborts (tx.error is still null then).
    tx.onerror = (ev) => reject((ev.target as IDBRequest | null)?.error ?? tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
  });
}

/** Opens (creating on first use) an IndexedDB database whose `upgrade` makes its object stores; `what` names its contents. */
export async function openDatabase(factory: IDBFactory, name: string, version: number, upgrade: (db: IDBDatabase) => void, what: string): Promise<IDBDatabase> {
  const req = factory.open(name, version);
  req.onupgradeneeded = () => upgrade(req.result);
  try {
    const db = await request(req);
    // Another tab upgrading the schema: let it, this connection closes.
    db.onversionchange = () => db.close();
    return db;
  } catch (e) {
    throw asStorageError(e, `read ${what} (IndexedDB could not be opened)`);
  }
}

/** Runs `body` in one read-write transaction over `stores` and waits for it to commit (all of it or none). */
export async function writeTransaction(db: IDBDatabase, stores: string[], action: string, body: (tx: IDBTransaction) => void): Promise<void> {
  try {
    const tx = db.transaction(stores, 'readwrite');
    const finished = done(tx);
    body(tx);
    await finished;
  } catch (e) {
    throw asStorageError(e, action);
  }
}

export class CheckpointStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and on first use creates) the database; `factory` is indexedDB, or a fake one in tests. */
  static async open(factory: IDBFactory = globalThis.indexedDB, name = DB_NAME): Promise<CheckpointStore> {
    if (!factory) throw new StorageError('This browser offers no IndexedDB, so runs cannot be saved across reloads.', false);
    const db = await openDatabase(factory, name, DB_VERSION, (d) => {
      if (!d.objectStoreNames.contains(RUNS)) d.createObjectStore(RUNS, { keyPath: 'id' });
      if (!d.objectStoreNames.contains(CHECKPOINTS)) d.createObjectStore(CHECKPOINTS, { keyPath: 'runId' });
      if (!d.objectStoreNames.contains(DATASETS)) d.createObjectStore(DATASETS, { keyPath: 'fingerprint' });
    }, 'the saved runs');
    return new CheckpointStore(db);
  }

  close(): void {
    this.db.close();
  }

  private write(stores: string[], action: string, body: (tx: IDBTransaction) => void): Promise<void> {
    return writeTransaction(this.db, stores, action, body);
  }

  putRun(run: RunRecord): Promise<void> {
    return this.write([RUNS], `save the run "${run.name}"`, (tx) => tx.objectStore(RUNS).put(run));
  }

  /** Stores a run's record and its checkpoint together (one transaction: both or neither). */
  saveCheckpoint(run: RunRecord, checkpoint: Checkpoint): Promise<void> {
    const action = `save the checkpoint of "${run.name}" (epoch ${checkpoint.epoch}, step ${checkpoint.step})`;
    return this.write([RUNS, CHECKPOINTS], action, (tx) => {
      tx.objectStore(RUNS).put({ ...run, hasCheckpoint: true });
      tx.objectStore(CHECKPOINTS).put({ runId: run.id, checkpoint });
    });
  }

  putDataset(fingerprint: string, source: DataSource): Promise<void> {
    return this.write([DATASETS], `save the data of "${source.name}"`, (tx) => tx.objectStore(DATASETS).put({ fingerprint, source, savedAt: Date.now() }));
  }

  private async read<T>(store: string, key: IDBValidKey | null, what: string): Promise<T> {
    try {
      const tx = this.db.transaction([store], 'readonly');
      const s = tx.objectStore(store);
      return (await request(key === null ? s.getAll() : s.get(key))) as T;
    } catch (e) {
      throw asStorageError(e, `read ${what}`);
    }
  }

  /** Every run, most recently updated first. */
  async listRuns(): Promise<RunRecord[]> {
    const runs = await this.read<RunRecord[]>(RUNS, null, 'the saved runs');
    return runs.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async getRun(id: string): Promise<RunRecord | null> {
    return (await this.read<RunRecord | undefined>(RUNS, id, 'a saved run')) ?? null;
  }

  async loadCheckpoint(runId: string): Promise<Checkpoint | null> {
    const row = await this.read<{ checkpoint: Checkpoint } | undefined>(CHECKPOINTS, runId, 'a checkpoint');
    return row?.checkpoint ?? null;
  }

  async getDataset(fingerprint: string): Promise<DataSource | null> {
    const row = await this.read<{ source: DataSource } | undefined>(DATASETS, fingerprint, 'saved data');
    return row?.source ?? null;
  }

  /** Deletes a run and its checkpoint, and its data when no other run uses it. */
  async deleteRun(id: string): Promise<void> {
    const run = await this.getRun(id);
    const others = run ? (await this.listRuns()).filter((r) => r.id !== id && r.fingerprint === run.fingerprint) : [];
    await this.write([RUNS, CHECKPOINTS, DATASETS], `delete the run "${run?.name ?? id}"`, (tx) => {
      tx.objectStore(RUNS).delete(id);
      tx.objectStore(CHECKPOINTS).delete(id);
      if (run && others.length === 0) tx.objectStore(DATASETS).delete(run.fingerprint);
    });
  }
}
