// The run's diagnosis (the "Why" panel, metrics.json `diagnosis`): checks that read the run's own numbers and say what
// they saw and what to try. Pure: the worker runs it after each epoch and at the end, the CLI once at the end.
import { losesToBaseline, majorityClass } from './diagnosis_baselines';
import { explodingGradient, saturatedGates, vanishingGradient } from './diagnosis_gradients';
import { overfitting, underfitting } from './diagnosis_learning';
import type { DiagnosisInput, Finding } from './diagnosis_types';

export type { AdvicePatch, CheckId, DiagnosisInput, Finding, Severity } from './diagnosis_types';

/** Every check, in the order findings are listed. */
const CHECKS: ((i: DiagnosisInput) => Finding | null)[] = [
  losesToBaseline,
  majorityClass,
  overfitting,
  underfitting,
  explodingGradient,
  vanishingGradient,
  saturatedGates,
];

/** The findings of every check on the run; empty when the run looks healthy. */
export function diagnose(input: DiagnosisInput): Finding[] {
  const out: Finding[] = [];
  for (const check of CHECKS) {
    const f = check(input);
    if (f) out.push(f);
  }
  return out;
}
