// IndexedDB storage of searches (tune): a small record per search (its definition, every trial's record, the finished
// jobs a resume replays), the checkpoint each waiting trial continues from, and the data it searched on. Each trial's
// own run (curves, checkpoints) is a saved run in checkpoint_store.ts.
import type { TrainConfig } from '../engine/config';
import type { TrialRecord, TuneEnd } from '../training/tune_runner';
import type { VarySpec } from '../training/tune_space';
import type { Rung, TuneStrategy } from '../training/tune_strategy';
import type { Checkpoint } from '../training/types';
import { asStorageError, openDatabase, request, StorageError, writeTransaction, type DataSource } from './checkpoint_store';

export const TUNE_DB_NAME = 'lstm-playground-tunes';
const DB_VERSION = 1;
const TUNES = 'tunes';
const POINTS = 'points';
const SOURCES = 'sources';

/** What a search varies and how (the Tune panel's request): the same definition plans the same trials. */
export interface TuneDefinition {
  strategy: TuneStrategy;
  space: VarySpec[];
  trials?: number;
  minutes?: number;
  eta?: number;
}

/** running: live in some tab, or cut off by a reload (no tab holds its lock); stopped: stopped by a person or its time budget. */
export type SavedTuneStatus = 'running' | 'stopped' | 'done';

export interface SavedTune {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
  status: SavedTuneStatus;
  /** How it ended (null while running or cut off). */
  end: TuneEnd | null;
  definition: TuneDefinition;
  /** The complete config every trial starts from (its seed draws the trials). */
  config: TrainConfig;
  /** Early-stopping patience of each trial. */
  patience: number;
  datasetName: string;
  rungs: Rung[];
  /** Every trial as the page last showed it (the one training then is 'running'). */
  trials: TrialRecord[];
  /** The jobs that ran to their end, in order: each trial's record just after it (what a resume replays). */
  jobs: TrialRecord[];
  /** Each trial's saved run (a trial not started yet has none). */
  runIds: Record<number, string>;
  best: number | null;
  elapsedMs: number;
}

function pointKey(tuneId: string, trial: number): string {
  return `${tuneId}:${trial}`;
}

export class TuneStore {
  private constructor(private readonly db: IDBDatabase) {}

  /** Opens (and on first use creates) the database; `factory` is indexedDB, or a fake one in tests. */
  static async open(factory: IDBFactory = globalThis.indexedDB, name = TUNE_DB_NAME): Promise<TuneStore> {
    if (!factory) throw new StorageError('This browser offers no IndexedDB, so searches cannot be saved across reloads.', false);
    const db = await openDatabase(factory, name, DB_VERSION, (d) => {
      if (!d.objectStoreNames.contains(TUNES)) d.createObjectStore(TUNES, { keyPath: 'id' });
      if (!d.objectStoreNames.contains(POINTS)) d.createObjectStore(POINTS, { keyPath: 'key' }).createIndex('tuneId', 'tuneId');
      if (!d.objectStoreNames.contains(SOURCES)) d.createObjectStore(SOURCES, { keyPath: 'tuneId' });
    }, 'the saved searches');
    return new TuneStore(db);
  }

  close(): void {
    this.db.close();
  }

  private write(stores: string[], action: string, body: (tx: IDBTransaction) => void): Promise<void> {
    return writeTransaction(this.db, stores, action, body);
  }

  private async read<T>(store: string, run: (s: IDBObjectStore) => IDBRequest, what: string): Promise<T> {
    try {
      return (await request(run(this.db.transaction([store], 'readonly').objectStore(store)))) as T;
    } catch (e) {
      throw asStorageError(e, `read ${what}`);
    }
  }

  putTune(tune: SavedTune): Promise<void> {
    return this.write([TUNES], `save the search "${tune.name}"`, (tx) => tx.objectStore(TUNES).put(tune));
  }

  /** Stores the search's record with the checkpoint a waiting trial continues from (both or neither). */
  saveWithPoint(tune: SavedTune, trial: number, checkpoint: Checkpoint): Promise<void> {
    return this.write([TUNES, POINTS], `save trial ${trial} of the search "${tune.name}" (epoch ${checkpoint.epoch})`, (tx) => {
      tx.objectStore(TUNES).put(tune);
      tx.objectStore(POINTS).put({ key: pointKey(tune.id, trial), tuneId: tune.id, trial, checkpoint });
    });
  }

  putSource(tuneId: string, source: DataSource): Promise<void> {
    return this.write([SOURCES], `save the data of "${source.name}"`, (tx) => tx.objectStore(SOURCES).put({ tuneId, source }));
  }

  /** Every search, most recently updated first. */
  async listTunes(): Promise<SavedTune[]> {
    const all = await this.read<SavedTune[]>(TUNES, (s) => s.getAll(), 'the saved searches');
    return all.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async getTune(id: string): Promise<SavedTune | null> {
    return (await this.read<SavedTune | undefined>(TUNES, (s) => s.get(id), 'a saved search')) ?? null;
  }

  /** The checkpoint each waiting trial of the search continues from, by trial. */
  async loadPoints(tuneId: string): Promise<Map<number, Checkpoint>> {
    const rows = await this.read<{ trial: number; checkpoint: Checkpoint }[]>(POINTS, (s) => s.index('tuneId').getAll(tuneId), 'the checkpoints of a saved search');
    return new Map(rows.map((r) => [r.trial, r.checkpoint]));
  }

  async getSource(tuneId: string): Promise<DataSource | null> {
    return (await this.read<{ source: DataSource } | undefined>(SOURCES, (s) => s.get(tuneId), 'the data of a saved search'))?.source ?? null;
  }

  /** Deletes a search, its checkpoints and its data (its trials stay in Past runs). */
  async deleteTune(id: string): Promise<void> {
    const keys = [...(await this.loadPoints(id)).keys()].map((t) => pointKey(id, t));
    await this.write([TUNES, POINTS, SOURCES], 'delete the search', (tx) => {
      tx.objectStore(TUNES).delete(id);
      for (const k of keys) tx.objectStore(POINTS).delete(k);
      tx.objectStore(SOURCES).delete(id);
    });
  }
}
