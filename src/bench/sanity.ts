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
