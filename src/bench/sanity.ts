// The sanity check on every LSTM row: the engine trains — its loss on the fixed bench batch after the timed steps is below the loss with its initial weights.
import type { BenchRow } from './bench_spec';

/** Mean squared error of predictions [B][1] against targets [B] (float64 sums). */
export function mseOf(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  if (pred.length !== y.length) throw new Error(`mseOf: ${pred.length} predictions for ${y.length} targets`);
  if (y.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return s / y.length;
}

/**
 * The loss on the bench batch: MSE for the regression configs; for a language-model config (vocab), the mean
 * cross-entropy of every-step outputs [B][T][V] (logits, or probabilities when `probabilities`) against ids [B][T].
 */
export function batchLossOf(pred: ArrayLike<number>, y: ArrayLike<number>, vocab: number | undefined, probabilities = false): number {
  if (!vocab) return mseOf(pred, y);
  if (pred.length !== y.length * vocab) throw new Error(`batchLossOf: ${pred.length} outputs for ${y.length} targets of ${vocab} tokens`);
  let nats = 0;
  for (let r = 0; r < y.length; r++) {
    const row = r * vocab;
    if (probabilities) {
      nats -= Math.log(Math.max(pred[row + y[r]], 1e-30));
      continue;
    }
    let max = -Infinity;
    for (let k = 0; k < vocab; k++) max = Math.max(max, pred[row + k]);
    let sum = 0;
    for (let k = 0; k < vocab; k++) sum += Math.exp(pred[row + k] - max);
    nats += max + Math.log(sum) - pred[row + y[r]];
  }
  return nats / y.length;
}

/** Why a row's figure cannot be trusted as a training step, or null when it trained. */
export function trainingProblem(lossBefore: number | undefined, lossAfter: number | undefined): string | null {
  if (lossBefore === undefined || lossAfter === undefined) return 'the engine reported no loss before and after the timed steps';
  if (!Number.isFinite(lossBefore) || !Number.isFinite(lossAfter)) return `non-finite loss on the bench batch (before ${lossBefore}, after ${lossAfter})`;
  if (!(lossAfter < lossBefore))
    return `it did not train: the loss on the bench batch went from ${lossBefore.toPrecision(6)} to ${lossAfter.toPrecision(6)} over the warm-up and timed steps`;
  return null;
}

/** Thrown for a row that fails the check; the bench turns it into a miss with this reason. */
export class NotTraining extends Error {}

/** Throws NotTraining unless the row's loss went down. */
export function checkTrains(row: BenchRow): BenchRow {
  const problem = trainingProblem(row.lossBefore, row.lossAfter);
  if (problem) throw new NotTraining(problem);
  return row;
}

/** "0.4012 → 0.3987" for the report. */
export function lossChange(row: BenchRow): string {
  if (row.lossBefore === undefined || row.lossAfter === undefined) return '';
  return `${row.lossBefore.toPrecision(4)} → ${row.lossAfter.toPrecision(4)}`;
}
