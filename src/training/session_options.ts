// Options of a training session, their defaults, and the error type that ends a session with a plain message.
import type { TrainConfig } from '../engine/config';
import type { EngineFactory } from './engine_factory';
import type { Checkpoint, SessionCallbacks, SessionError, TrainingData } from './types';

export interface SessionOptions {
  config: TrainConfig;
  data: TrainingData;
  /** Builds the engine: gpuEngines(device, newDevice) for WebGPU (a device loss is recovered from where newDevice is
   *  given), cpuEngines() for the CPU. */
  engines: EngineFactory;
  callbacks?: SessionCallbacks;
  /** Continue this checkpoint (same model settings and data; the learning rate and epochs may change). */
  resumeFrom?: Checkpoint;
  /** Enter the paused state before the first batch (step() then trains one batch at a time). */
  startPaused?: boolean;
  /** Stop after this many epochs without a better validation loss and restore the best weights (0 = off). */
  earlyStoppingPatience?: number;
  /** Device losses recovered from before giving up (default 3). */
  maxRecoveries?: number;
  /** Least time between snapshots (default 100 ms: at most 10 a second). */
  snapshotIntervalMs?: number;
  /** Longest time between checkpoints inside an epoch (default 30 s); every epoch end checkpoints too. */
  checkpointIntervalMs?: number;
  /** A loss above this many times max(untrained validation loss, 1) counts as diverged (default 1000). */
  divergenceFactor?: number;
  now?: () => number;
}

export interface ResolvedOptions {
  maxRecoveries: number;
  snapshotIntervalMs: number;
  checkpointIntervalMs: number;
  divergenceFactor: number;
  earlyStoppingPatience: number;
  now: () => number;
}

export function resolveOptions(o: SessionOptions): ResolvedOptions {
  return {
    maxRecoveries: o.maxRecoveries ?? 3,
    snapshotIntervalMs: o.snapshotIntervalMs ?? 100,
    checkpointIntervalMs: o.checkpointIntervalMs ?? 30_000,
    divergenceFactor: o.divergenceFactor ?? 1000,
    earlyStoppingPatience: Math.max(0, Math.floor(o.earlyStoppingPatience ?? 0)),
    now: o.now ?? (() => performance.now()),
  };
}

/** Ends a session with a message a person can act on; `kind` says what went wrong. */
export class SessionFailure extends Error {
  constructor(
    readonly kind: SessionError['kind'],
    message: string,
  ) {
    super(message);
    this.name = 'SessionFailure';
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
