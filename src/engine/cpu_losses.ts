// The four losses on the fast CPU engine's time-major head output, mean-reduced as torch does (as reference_losses.ts).
import type { LossKind } from './config';

/** torch.nn.HuberLoss default delta. */
const HUBER_DELTA = 1;

/** What one batch's loss leaves behind (reused from step to step). */
export interface LossSums {
  /** The batch's mean loss. */
  loss: number;
  /** The loss summed over elements (regression) or rows (cross-entropy), and how many there were. */
  sum: number;
  count: number;
  /** Regression: Σ (p − y)² and Σ |p − y|. Cross-entropy: rows whose arg-max (first maximum) is the target. */
  se: number;
  ae: number;
  correct: number;
}

export function newLossSums(): LossSums {
  return { loss: NaN, sum: 0, count: 0, se: 0, ae: 0, correct: 0 };
}

/**
 * Loss of prediction [S][Bp][O] (time-major, rows b < batch used) against y batch-first ([batch][S][O], or class ids
 * [batch][S]); writes d loss / d prediction into dPred (same layout, zero on the padding rows) when it is given.
 */
export function batchLoss(
  loss: LossKind, pred: Float32Array, Bp: number, batch: number, S: number, O: number,
  y: Float32Array, dPred: Float32Array | null, out: LossSums,
): void {
  if (dPred) dPred.fill(0, 0, S * Bp * O);
  let sum = 0, se = 0, ae = 0, correct = 0;
  if (loss === 'cross_entropy') {
    const rows = batch * S;
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < S; s++) {
        const p = (s * Bp + b) * O, target = y[b * S + s];
        let max = -Infinity, arg = 0;
        for (let o = 0; o < O; o++) if (pred[p + o] > max) { max = pred[p + o]; arg = o; }
        if (arg === target) correct++;
        let z = 0;
        for (let o = 0; o < O; o++) z += Math.exp(pred[p + o] - max);
        const lse = max + Math.log(z);
        sum += lse - pred[p + target];
        if (dPred) for (let o = 0; o < O; o++) dPred[p + o] = (Math.exp(pred[p + o] - lse) - (o === target ? 1 : 0)) / rows;
      }
    out.loss = sum / rows;
    out.sum = sum;
    out.count = rows;
    out.se = NaN;
    out.ae = NaN;
    out.correct = correct;
    return;
  }
  const n = batch * S * O;
  for (let b = 0; b < batch; b++)
    for (let s = 0; s < S; s++)
      for (let o = 0; o < O; o++) {
        const p = (s * Bp + b) * O + o;
        const d = pred[p] - y[(b * S + s) * O + o], a = Math.abs(d);
        se += d * d;
        ae += a;
        let g: number;
        if (loss === 'mse') {
          sum += d * d;
          g = (2 * d) / n;
        } else if (loss === 'mae') {
          sum += a;
          g = Math.sign(d) / n; // torch: sign(0) = 0
        } else if (a < HUBER_DELTA) {
          sum += 0.5 * d * d;
          g = d / n;
        } else {
          sum += HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
          g = (HUBER_DELTA * Math.sign(d)) / n;
        }
        if (dPred) dPred[p] = g;
      }
  out.loss = sum / n;
  out.sum = sum;
  out.count = n;
  out.se = se;
  out.ae = ae;
  out.correct = 0;
}
