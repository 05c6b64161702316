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
  /** Cross-entropy: Σ w_{y_r} over the batch's rows (the row count without class weights). */
  weight: number;
  /** Regression: Σ (p − y)² and Σ |p − y|. Cross-entropy: rows whose arg-max (first maximum) is the target. */
  se: number;
  ae: number;
  correct: number;
}

export function newLossSums(): LossSums {
  return { loss: NaN, sum: 0, count: 0, weight: 0, se: 0, ae: 0, correct: 0 };
}

/**
 * Loss of prediction [S][Bp][O] (time-major, rows b < batch used) against y batch-first ([batch][S][O], or class ids
 * [batch][S]); writes d loss / d prediction into dPred (same layout, zero on the padding rows) when it is given.
 * classWeights [O] makes cross-entropy torch's weighted mean (nn.CrossEntropyLoss(weight=w)); sum is then Σ w·loss.
 */
export function batchLoss(
  loss: LossKind, pred: Float32Array, Bp: number, batch: number, S: number, O: number,
  y: Float32Array, dPred: Float32Array | null, out: LossSums, classWeights: Float32Array | null = null,
): void {
  if (dPred) dPred.fill(0, 0, S * Bp * O);
  let sum = 0, se = 0, ae = 0, correct = 0;
  if (loss === 'cross_entropy') {
    const rows = batch * S;
    // loss = Σ_r w_{y_r} · (lse(z_r) − z_r,y_r) / Σ_r w_{y_r}, every w = 1 without weights (then Σ w = rows)
    let weight = rows;
    if (classWeights) {
      weight = 0;
      for (let r = 0; r < rows; r++) weight += classWeights[y[r]];
    }
    for (let b = 0; b < batch; b++)
      for (let s = 0; s < S; s++) {
        const p = (s * Bp + b) * O, target = y[b * S + s];
        const w = classWeights ? classWeights[target] : 1;
        let max = -Infinity, arg = 0;
        for (let o = 0; o < O; o++) if (pred[p + o] > max) { max = pred[p + o]; arg = o; }
        if (arg === target) correct++;
        let z = 0;
        for (let o = 0; o < O; o++) z += Math.exp(pred[p + o] - max);
        const lse = max + Math.log(z);
        sum += w * (lse - pred[p + target]);
        // d loss / d z_r = w_{y_r} (softmax(z_r) − onehot(y_r)) / Σ w
        // (Σ w is 0 only for rows all of a class absent from training: they weigh nothing, as on the GPU.)
        if (dPred) for (let o = 0; o < O; o++) dPred[p + o] = weight > 0 ? (w * (Math.exp(pred[p + o] - lse) - (o === target ? 1 : 0))) / weight : 0;
      }
    out.loss = weight > 0 ? sum / weight : 0;
    out.sum = sum;
    out.count = rows;
    out.weight = weight;
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
  out.weight = n;
  out.se = se;
  out.ae = ae;
  out.correct = 0;
}
