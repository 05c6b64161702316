// Shared data and helpers for the training-session tests: tiny seeded sine windows and a run-to-the-end wrapper.
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import { TrainingSession, type SessionOptions } from '../../src/training/session';
import type { Checkpoint, CheckpointReason, SessionError, SessionResult, TrainingData, TrainingSnapshot } from '../../src/training/types';

/** Windows of a sine (train) and of the same sine further on (validation); `flipVal` negates the validation targets. */
export function sineData(trainCount = 40, valCount = 12, T = 6, flipVal = false): TrainingData {
  const series = Array.from({ length: trainCount + valCount + T + 1 }, (_, i) => Math.sin(i * 0.35) + 0.3 * Math.sin(i * 1.3));
  const windows = (first: number, n: number, sign: number) => {
    const x = new Float32Array(n * T), y = new Float32Array(n);
    for (let w = 0; w < n; w++) {
      for (let t = 0; t < T; t++) x[w * T + t] = series[first + w + t];
      y[w] = sign * series[first + w + T];
    }
    return { x, y };
  };
  const train = windows(0, trainCount, 1), val = windows(trainCount, valCount, flipVal ? -1 : 1);
  return { names: ['sine', 'value'], trainX: train.x, trainY: train.y, trainCount, valX: val.x, valY: val.y, valCount };
}

export const TINY: TrainConfig = { ...DEFAULT_CONFIG, hiddenSize: 6, window: 6, batchSize: 8, epochs: 3, learningRate: 0.02, seed: 11 };

export interface Recorded {
  result: SessionResult;
  snapshots: TrainingSnapshot[];
  checkpoints: { reason: CheckpointReason; cp: Checkpoint }[];
  errors: SessionError[];
  notices: string[];
  session: TrainingSession;
}

/** Runs a session to its end, recording every callback; `hook` sees each snapshot (to pause, lose the device …). */
export async function runSession(options: SessionOptions, hook?: (s: TrainingSnapshot, session: TrainingSession) => void): Promise<Recorded> {
  const snapshots: TrainingSnapshot[] = [];
  const checkpoints: Recorded['checkpoints'] = [];
  const errors: SessionError[] = [];
  const notices: string[] = [];
  let session!: TrainingSession;
  session = new TrainingSession({
    ...options,
    callbacks: {
      onSnapshot: (s) => {
        snapshots.push(s);
        hook?.(s, session);
      },
      onCheckpoint: (cp, reason) => checkpoints.push({ reason, cp }),
      onError: (e) => errors.push(e),
      onNotice: (m) => notices.push(m),
    },
  });
  const result = await session.start();
  return { result, snapshots, checkpoints, errors, notices, session };
}

/** Bitwise equality of two weight lists (names, shapes and every float's bits). */
export function sameWeights(a: { name: string; shape: number[]; data: Float32Array }[], b: { name: string; shape: number[]; data: Float32Array }[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i];
    if (t.name !== u.name || t.shape.join() !== u.shape.join() || t.data.length !== u.data.length) return false;
    const x = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length), y = new Uint32Array(u.data.buffer, u.data.byteOffset, u.data.length);
    return x.every((v, k) => v === y[k]);
  });
}

/** Loss curve as exact bit patterns (NaN-safe) for bit-for-bit comparisons. */
export function curveBits(s: TrainingSnapshot): string[] {
  const bits = (v: number) => (Number.isNaN(v) ? 'NaN' : Buffer.from(new Float64Array([v]).buffer).toString('hex'));
  return s.history.map((h) => `${h.epoch}:${bits(h.trainLoss)}:${bits(h.valLoss)}:${bits(h.learningRate)}`);
}
