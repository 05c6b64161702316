// Shared by the class-weight tests: an imbalanced seeded batch, one weighted SGD step and a validation pass on an
// engine, and the worst differences of what it measured from another engine's (the float64 reference's).
import { DEFAULT_CONFIG, type TrainConfig } from '../../src/engine/config';
import type { TrainingEngine } from '../../src/engine/engine';
import { balancedClassWeights } from '../../src/training/class_weights';
import { Prng } from '../../src/util/prng';

/** Four classes; the training batch holds them about 25 : 9 : 3 : 0, so class 3 weighs 0. */
export const WEIGHTED: TrainConfig = {
  ...DEFAULT_CONFIG, loss: 'cross_entropy', classWeights: 'balanced', outputSize: 4, inputSize: 2, hiddenSize: 5, window: 4,
  batchSize: 37, optimizer: 'sgd', momentum: 0, learningRate: 1, seed: 8,
};

/** x in [-1, 1) and class ids drawn with the shares `shares` (cumulative draw). */
export function imbalancedBatch(c: TrainConfig, n: number, seed: number, shares: number[]): { x: Float32Array; y: Float32Array } {
  const rng = new Prng(seed);
  const x = new Float32Array(n * c.window * c.inputSize).map(() => rng.uniform(-1, 1));
  const y = new Float32Array(n).map(() => {
    let u = rng.next();
    for (let k = 0; k < shares.length; k++) if ((u -= shares[k]) < 0) return k;
    return shares.length - 1;
  });
  return { x, y };
}

export const TRAIN_SHARES = [0.68, 0.24, 0.08, 0];
export const VAL_SHARES = [0.4, 0.3, 0.2, 0.1];

export interface Measured {
  trainLoss: number;
  valLoss: number;
  valAccuracy: number;
  /** The first step's gradient: (parameters before − after) / lr, SGD without momentum. */
  grads: number[];
}

/** One weighted step (weights from the training batch's counts, as a session gives them) and one validation batch. */
export async function measure(e: TrainingEngine, c: TrainConfig, weights?: Float32Array): Promise<Measured> {
  const train = imbalancedBatch(c, c.batchSize, 1, TRAIN_SHARES);
  const val = imbalancedBatch(c, c.batchSize - 5, 2, VAL_SHARES);
  if (c.classWeights === 'balanced') e.setClassWeights(weights ?? balancedClassWeights(train.y, c.outputSize));
  const before = (await e.readParameters()).flatMap((t) => Array.from(t.data));
  e.trainStep(train.x, train.y, c.batchSize);
  await e.settled();
  const after = (await e.readParameters()).flatMap((t) => Array.from(t.data));
  const trainLoss = (await e.readLosses()).trainLoss;
  e.resetLosses();
  e.evalStep(val.x, val.y, c.batchSize - 5);
  await e.settled();
  const l = await e.readLosses();
  return { trainLoss, valLoss: l.valLoss, valAccuracy: l.valAccuracy, grads: before.map((p, i) => (p - after[i]) / c.learningRate) };
}

/** Largest |a − b| / max(|b|, 1) over each measured quantity. */
export function differences(a: Measured, b: Measured): { trainLoss: number; valLoss: number; valAccuracy: number; grads: number } {
  const rel = (x: number, y: number) => Math.abs(x - y) / Math.max(Math.abs(y), 1);
  let grads = a.grads.length === b.grads.length ? 0 : Infinity;
  a.grads.forEach((g, i) => (grads = Math.max(grads, rel(g, b.grads[i]))));
  return { trainLoss: rel(a.trainLoss, b.trainLoss), valLoss: rel(a.valLoss, b.valLoss), valAccuracy: Math.abs(a.valAccuracy - b.valAccuracy), grads };
}

/** The gradient's own size, so a negative control can say its difference is far above the tolerance. */
export function largest(m: Measured): number {
  return m.grads.reduce((s, g) => Math.max(s, Math.abs(g)), 0);
}
