// The host's mirror of shaders/stats_slots.wgsl: where each number lives in the stats buffer (float index).
// test/engine/stats_slots.test.ts parses the WGSL declarations and checks them against this table.
import { wgslIntConsts } from './wgsl_source';

export const STAT = Object.freeze({
  BATCH_LOSS: 0,
  TRAIN_LOSS_SUM: 1,
  TRAIN_STEPS: 2,
  VAL_LOSS_SUM: 3,
  VAL_COUNT: 4,
  VAL_CORRECT: 5,
  GRAD_NORM: 6,
  NON_FINITE: 7,
  CLIP_SCALE: 8,
  VAL_SQ_ERR_SUM: 9,
  VAL_ABS_ERR_SUM: 10,
  VAL_WEIGHT_SUM: 11,
  NORM_PARTIALS: 16,
  COUNT: 80,
});

export type StatSlot = keyof typeof STAT;

/** The grad_norm partial sums the buffer has room for (one per partial workgroup). */
export const MAX_NORM_PARTIALS = STAT.COUNT - STAT.NORM_PARTIALS;

/** Differences between the `const STAT_…` declarations of a WGSL text and a mirror (empty when they agree). */
export function statSlotMismatches(wgsl: string, mirror: Readonly<Record<string, number>> = STAT): string[] {
  const declared = new Map([...wgslIntConsts(wgsl)].filter(([name]) => name.startsWith('STAT_')).map(([name, v]) => [name.slice(5), v]));
  const problems: string[] = [];
  for (const [name, v] of Object.entries(mirror)) {
    if (!declared.has(name)) problems.push(`STAT_${name} is not declared in WGSL`);
    else if (declared.get(name) !== v) problems.push(`STAT_${name} is ${declared.get(name)} in WGSL but ${v} in TypeScript`);
  }
  for (const name of declared.keys()) if (!(name in mirror)) problems.push(`STAT_${name} has no TypeScript mirror`);
  return problems;
}
