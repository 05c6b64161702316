// The stats slots: shaders/stats_slots.wgsl and its TypeScript mirror must agree, and no kernel indexes stats by number.
import { describe, expect, it } from 'vitest';
import { SHADERS, statsSlotsSource } from '../../src/engine/shader_sources';
import { STAT, statSlotMismatches } from '../../src/engine/stats_slots';

describe('stats slots', () => {
  it('the WGSL declarations equal the TypeScript mirror', () => {
    expect(statSlotMismatches(statsSlotsSource)).toEqual([]);
    expect(Object.keys(STAT).length).toBeGreaterThan(10);
  });

  it('fails on a tampered copy (negative controls)', () => {
    const moved = statsSlotsSource.replace('STAT_VAL_COUNT: u32 = 4u;', 'STAT_VAL_COUNT: u32 = 5u;');
    expect(moved).not.toBe(statsSlotsSource);
    expect(statSlotMismatches(moved)).toEqual(['STAT_VAL_COUNT is 5 in WGSL but 4 in TypeScript']);
    const renamed = statsSlotsSource.replace('STAT_GRAD_NORM:', 'STAT_NORM:');
    expect(statSlotMismatches(renamed)).toEqual(['STAT_GRAD_NORM is not declared in WGSL', 'STAT_NORM has no TypeScript mirror']);
    const commentedOut = statsSlotsSource.replace('const STAT_CLIP_SCALE', '// const STAT_CLIP_SCALE');
    expect(statSlotMismatches(commentedOut)).toEqual(['STAT_CLIP_SCALE is not declared in WGSL']);
    expect(statSlotMismatches(statsSlotsSource, { ...STAT, BATCH_LOSS: 1 })).toHaveLength(1);
  });

  it('slots are distinct, the scalars lie before the partial sums, and kernels use the names', () => {
    const scalars = Object.entries(STAT).filter(([k]) => k !== 'NORM_PARTIALS' && k !== 'COUNT').map(([, v]) => v);
    expect(new Set(scalars).size).toBe(scalars.length);
    expect(Math.max(...scalars)).toBeLessThan(STAT.NORM_PARTIALS);
    expect(STAT.NORM_PARTIALS).toBeLessThan(STAT.COUNT);
    for (const [name, code] of Object.entries(SHADERS)) expect(code, name).not.toMatch(/\bstats\[\s*\d/);
  });
});
