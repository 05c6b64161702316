// Writes checkpoints in the background without piling up: one write at a time, only the newest waiting one kept,
// and every failure reported (a quota error once per streak of failures, never dropped silently).
import type { Checkpoint } from '../training/types';
import type { CheckpointStore, RunRecord, StorageError } from './checkpoint_store';

interface Pending {
  run: RunRecord;
  checkpoint: Checkpoint | null;
}

export class CheckpointWriter {
  private pending: Pending | null = null;
  private writing: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly store: CheckpointStore,
    /** A write failed: tell the person (the message says what was lost and what to do). */
    private readonly onError: (error: StorageError) => void,
    /** A write landed (the run list may refresh). */
    private readonly onSaved: (run: RunRecord, checkpoint: Checkpoint | null) => void = () => undefined,
  ) {}

  /** Queues a run record, with a checkpoint or without (status changes only). */
  save(run: RunRecord, checkpoint: Checkpoint | null): void {
    const older = this.pending;
    // A record-only update must not drop a checkpoint still waiting for the same run.
    const keep = checkpoint ?? (older && older.run.id === run.id ? older.checkpoint : null);
    if (older && older.run.id !== run.id) void this.writeOne(older);
    this.pending = { run, checkpoint: keep };
    this.writing ??= this.drain();
  }

  /** Resolves once everything queued so far is written (or has failed and been reported). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending) {
        const next = this.pending;
        this.pending = null;
        await this.writeOne(next);
      }
    } finally {
      this.writing = null;
    }
  }

  private async writeOne(p: Pending): Promise<void> {
    try {
      if (p.checkpoint) await this.store.saveCheckpoint(p.run, p.checkpoint);
      else await this.store.putRun(p.run);
      this.failing = false;
      this.onSaved(p.run, p.checkpoint);
    } catch (e) {
      const error = e as StorageError;
      // Report the first failure of a streak; later ones repeat it until a write succeeds again.
      if (!this.failing || !error.quota) this.onError(error);
      this.failing = true;
    }
  }
}
