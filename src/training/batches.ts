// Mini-batch plumbing: the seeded order of each epoch, batch gathering, and checks that data and config agree.
import type { TrainConfig } from '../engine/config';
import type { TrainingEngine } from '../engine/engine';
import { Prng } from '../util/prng';
import type { TrainingData } from './types';

/**
 * The training order of epoch `epoch` (1-based): a Fisher-Yates shuffle from a Prng seeded by (seed, epoch).
 * Each epoch's order depends only on the seed and its number, so a run resumed mid-way draws the same batches.
 */
export function epochOrder(seed: number, epoch: number, count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const mixed = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch, 0x85ebca6b) ^ 0x5bd1e995) >>> 0;
  new Prng(mixed).shuffle(order);
  return order;
}

/** Values per sample of x and y the engine expects for this config. */
export function sampleWidths(c: TrainConfig): { x: number; y: number } {
  const perStep = c.vocabSize > 0 ? 1 : c.inputSize;
  const perTarget = c.loss === 'cross_entropy' ? 1 : c.outputSize;
  return { x: c.window * perStep, y: (c.headOn === 'every_step' ? c.window : 1) * perTarget };
}

/** Plain-language problems with the data for this config (empty when it fits). */
export function checkData(data: TrainingData, c: TrainConfig): string[] {
  const problems: string[] = [];
  const { x, y } = sampleWidths(c);
  const count = (n: number, what: string) => {
    if (!Number.isInteger(n) || n < 0) problems.push(`the ${what} count must be a whole number (got ${n})`);
  };
  count(data.trainCount, 'training');
  count(data.valCount, 'validation');
  if (data.trainCount < 1) problems.push('there are no training samples; use a longer series or a shorter window');
  const size = (a: Float32Array, n: number, w: number, what: string) => {
    if (a.length !== n * w) problems.push(`${what} holds ${a.length} values but ${n} samples of ${w} need ${n * w} (check the window and sizes)`);
  };
  size(data.trainX, data.trainCount, x, 'trainX');
  size(data.trainY, data.trainCount, y, 'trainY');
  size(data.valX, data.valCount, x, 'valX');
  size(data.valY, data.valCount, y, 'valY');
  // Non-finite numbers in the data would surface as a non-finite loss or gradient, blamed on the learning rate.
  const finite = (a: Float32Array, w: number, what: string) => {
    let i = 0;
    while (i < a.length && a[i] - a[i] === 0) i++; // v - v is NaN for NaN and ±Infinity
    if (i === a.length) return;
    problems.push(
      `the data are not finite: ${what} sample ${Math.floor(i / Math.max(1, w)) + 1} holds ${a[i]} at position ${i % Math.max(1, w)} ` +
        '(a value beyond the 32-bit float range ±3.4e38, or a missing value left in), so the loss would be non-finite whatever the learning rate; fix or rescale the data',
    );
  };
  finite(data.trainX, x, 'training input');
  finite(data.trainY, y, 'training target');
  finite(data.valX, x, 'validation input');
  finite(data.valY, y, 'validation target');
  return problems;
}

/** Reusable batch buffers filled from the samples named by order[from .. from + n). */
export class BatchGatherer {
  private readonly xb: Float32Array;
  private readonly yb: Float32Array;
  constructor(
    private readonly xw: number,
    private readonly yw: number,
    batch: number,
  ) {
    this.xb = new Float32Array(batch * xw);
    this.yb = new Float32Array(batch * yw);
  }

  gather(srcX: Float32Array, srcY: Float32Array, order: Uint32Array, from: number, n: number): { x: Float32Array; y: Float32Array } {
    const { xw, yw, xb, yb } = this;
    for (let i = 0; i < n; i++) {
      const k = order[from + i];
      xb.set(srcX.subarray(k * xw, (k + 1) * xw), i * xw);
      yb.set(srcY.subarray(k * yw, (k + 1) * yw), i * yw);
    }
    return { x: xb.subarray(0, n * xw), y: yb.subarray(0, n * yw) };
  }
}

/** Queues evaluation of every validation batch (no readback); false when there is no validation data. */
export function queueValidation(trainer: TrainingEngine, d: TrainingData, c: TrainConfig): boolean {
  const { x: xw, y: yw } = sampleWidths(c);
  for (let from = 0; from < d.valCount; from += c.batchSize) {
    const n = Math.min(c.batchSize, d.valCount - from);
    trainer.evalStep(d.valX.subarray(from * xw, (from + n) * xw), d.valY.subarray(from * yw, (from + n) * yw), n);
  }
  return d.valCount > 0;
}
