// The running loss sums a CPU engine keeps, as the GPU engine's stats buffer keeps them, and the Losses they report.
import type { Losses } from './engine';

export interface RunningSums {
  trainSum: number;
  trainSteps: number;
  /** Element losses (rows for cross-entropy) summed over the validation batches, and their count. */
  valSum: number;
  valCount: number;
  /** Cross-entropy: Σ w_{y_r} over the validation rows (the row count without class weights); valLoss = valSum / it. */
  valWeight: number;
  valSe: number;
  valAe: number;
  valCorrect: number;
}

export function zeroSums(): RunningSums {
  return { trainSum: 0, trainSteps: 0, valSum: 0, valCount: 0, valWeight: 0, valSe: 0, valAe: 0, valCorrect: 0 };
}

/** readLosses' answer from the sums (regression: MSE and MAE; classification: accuracy). */
export function lossesOf(s: RunningSums, regression: boolean, gradNorm: number, nonFinite: boolean): Losses {
  return {
    trainLoss: s.trainSteps > 0 ? s.trainSum / s.trainSteps : NaN,
    valLoss: s.valCount > 0 ? s.valSum / (regression ? s.valCount : s.valWeight) : NaN,
    valMse: regression && s.valCount > 0 ? s.valSe / s.valCount : NaN,
    valMae: regression && s.valCount > 0 ? s.valAe / s.valCount : NaN,
    valAccuracy: !regression && s.valCount > 0 ? s.valCorrect / s.valCount : NaN,
    trainSteps: s.trainSteps,
    gradNorm,
    nonFinite,
  };
}
