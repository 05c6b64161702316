// Loss-chart rows from a run's epoch history (pure): non-finite losses become gaps.
import type { EpochLoss } from '../worker/protocol';
import type { ChartRow } from './store';

function finiteOrNull(v: number, positive: boolean): number | null {
  return Number.isFinite(v) && (!positive || v > 0) ? v : null;
}

export function chartRows(history: EpochLoss[]): ChartRow[] {
  return history.map((h) => ({ epoch: h.epoch, train: finiteOrNull(h.trainLoss, true), val: finiteOrNull(h.valLoss, true), lr: finiteOrNull(h.learningRate, true) }));
}

/** Estimated time left: remaining steps × ms per step (NaN when unknown). */
export function etaMs(t: { epoch: number; epochs: number; stepInEpoch: number; stepsPerEpoch: number; msPerStep: number }): number {
  if (!(t.msPerStep > 0) || t.stepsPerEpoch <= 0) return NaN;
  const remaining = Math.max(0, (t.epochs - t.epoch) * t.stepsPerEpoch - t.stepInEpoch);
  return remaining * t.msPerStep;
}
