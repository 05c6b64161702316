// Losses of the float64 reference, mean-reduced as torch does (reduction='mean').
import type { ReferenceSpec } from './recurrent_reference';

/** torch.nn.HuberLoss default delta. */
const HUBER_DELTA = 1;

/**
 * Loss value and d loss / d prediction. Regression targets are laid out like the prediction; for
 * cross_entropy the prediction holds logits [rows][O] (rows = B for last_step, B*T for every_step)
 * and the target one class id per row; `correct` counts rows whose argmax (first maximum) is the target. classWeights
 * [O] makes cross_entropy torch's weighted mean (nn.CrossEntropyLoss(weight=w)); weightSum is its Σ w_{y_r}.
 */
export function lossOf(
  spec: ReferenceSpec, prediction: Float64Array, target: ArrayLike<number>, classWeights: ArrayLike<number> | null = null,
): { loss: number; dPrediction: Float64Array; correct?: number; weightSum?: number } {
  const n = prediction.length;
  const dPrediction = new Float64Array(n);
  if (spec.loss === 'cross_entropy') {
    const O = spec.outputSize, rows = n / O;
    if (!Number.isInteger(rows) || target.length !== rows) throw new Error(`cross_entropy: ${n} logits, ${target.length} targets, ${O} classes`);
    if (classWeights && classWeights.length !== O) throw new Error(`cross_entropy: ${classWeights.length} class weights for ${O} classes`);
    // torch's weighted mean: loss = Σ_r w_{y_r} · (lse(z_r) − z_r,y_r) / Σ_r w_{y_r} (every w = 1 without weights)
    let weightSum = 0;
    for (let r = 0; r < rows; r++) weightSum += classWeights ? classWeights[target[r]] : 1;
    let sum = 0, correct = 0;
    for (let r = 0; r < rows; r++) {
      const y = target[r];
      if (!Number.isInteger(y) || y < 0 || y >= O) throw new Error(`class id ${y} out of range [0, ${O})`);
      const w = classWeights ? classWeights[y] : 1;
      let max = -Infinity, arg = 0;
      for (let o = 0; o < O; o++) if (prediction[r * O + o] > max) { max = prediction[r * O + o]; arg = o; }
      if (arg === y) correct++;
      let z = 0;
      for (let o = 0; o < O; o++) z += Math.exp(prediction[r * O + o] - max);
      const lse = max + Math.log(z);
      sum += w * (lse - prediction[r * O + y]);
      // d loss / d z_r = w_{y_r} (softmax(z_r) − onehot(y_r)) / Σ w
      // Σ w is 0 only for rows all of a class absent from training (weight 0): they weigh nothing.
      for (let o = 0; o < O; o++) dPrediction[r * O + o] = weightSum > 0 ? (w * (Math.exp(prediction[r * O + o] - lse) - (o === y ? 1 : 0))) / weightSum : 0;
    }
    return { loss: weightSum > 0 ? sum / weightSum : 0, dPrediction, correct, weightSum };
  }
  if (target.length !== n) throw new Error(`${spec.loss}: ${n} predictions, ${target.length} targets`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = prediction[i] - target[i];
    const a = Math.abs(d);
    switch (spec.loss) {
      case 'mse':
        sum += d * d;
        dPrediction[i] = (2 * d) / n;
        break;
      case 'mae':
        sum += a;
        dPrediction[i] = Math.sign(d) / n; // torch: sign(0) = 0
        break;
      case 'huber':
        if (a < HUBER_DELTA) {
          sum += 0.5 * d * d;
          dPrediction[i] = d / n;
        } else {
          sum += HUBER_DELTA * (a - 0.5 * HUBER_DELTA);
          dPrediction[i] = (HUBER_DELTA * Math.sign(d)) / n;
        }
        break;
      default:
        throw new Error(`unknown loss ${String(spec.loss)}`);
    }
  }
  return { loss: sum / n, dPrediction };
}
