// The per-step gradient-norm series of the current run, kept outside the store (appended in place: long runs are long).
import { newStepSeries, type StepSeries } from './loss_data';

let series: StepSeries = newStepSeries();
let lastStep = -1;

export function stepSeries(): StepSeries {
  return series;
}

/** Adds a snapshot's step (a new run, whose step count went back, starts a new series). */
export function noteStep(step: number, stepsPerEpoch: number, gradNorm: number): void {
  if (step < lastStep) series = newStepSeries();
  if (step <= lastStep || step === 0 || stepsPerEpoch <= 0) {
    lastStep = Math.max(lastStep, step);
    return;
  }
  lastStep = step;
  series.x.push(step / stepsPerEpoch);
  series.gradNorm.push(gradNorm);
  series.version++;
}

export function resetStepSeries(): void {
  series = newStepSeries();
  lastStep = -1;
}
