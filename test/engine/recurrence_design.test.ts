// The choice between the one-dispatch ('sequence') and per-step recurrence (recurrence_design.ts), the per-step
// kernels' sizes against their shaders, and what each per-step shader file declares up front. No GPU needed.
import { describe, expect, it } from 'vitest';
import type { CellKind } from '../../src/engine/config';
import { checkKernelSizes, checkSizeTable, KERNEL_SIZES, stepSizes } from '../../src/engine/kernel_sizes';
import {
  PER_STEP_MIN_HIDDEN, perStepGrid, recurrenceDesign, SEQUENCE_BUSY_WORKGROUPS, sequenceKernel, sequenceRowsPerGroup, sequenceWorkgroups, type RecurrenceFacts,
} from '../../src/engine/recurrence_design';
import { SHADERS } from '../../src/engine/shader_sources';
import { wgslIntConsts } from '../../src/engine/wgsl_source';
import lstmStepForward from '../../shaders/lstm_step_forward.wgsl?raw';
import lstmStepBackward from '../../shaders/lstm_step_backward.wgsl?raw';
import gruStepForward from '../../shaders/gru_step_forward.wgsl?raw';
import gruStepBackward from '../../shaders/gru_step_backward.wgsl?raw';
import rnnStepForward from '../../shaders/rnn_step_forward.wgsl?raw';
import rnnStepBackward from '../../shaders/rnn_step_backward.wgsl?raw';

/** A discrete GPU with WebGPU's default limits. */
const GPU: Omit<RecurrenceFacts, 'cell' | 'batch' | 'hidden'> = {
  adapterIsCpu: false, maxComputeWorkgroupsPerDimension: 65535, maxComputeWorkgroupStorageSize: 16384, maxComputeInvocationsPerWorkgroup: 256,
};
const design = (cell: CellKind, batch: number, hidden: number, more: Partial<RecurrenceFacts> = {}) =>
  recurrenceDesign({ ...GPU, cell, batch, hidden, ...more }).design;
const CELLS = ['lstm', 'gru', 'rnn'] as const;

describe('recurrenceDesign', () => {
  it('a GPU, a small batch and a wide layer: per-step, for every cell', () => {
    for (const cell of CELLS) {
      expect(design(cell, 32, 256), cell).toBe('per-step');
      expect(design(cell, 1, 1024), cell).toBe('per-step');
    }
    expect(recurrenceDesign({ ...GPU, cell: 'lstm', batch: 32, hidden: 256 }).reason).toBe('the one-dispatch kernel would run 4 workgroups; a step runs 512');
  });

  it('a CPU adapter (SwiftShader) keeps the one-dispatch kernels at every size', () => {
    for (const cell of CELLS) for (const [B, H] of [[1, 1024], [32, 256], [4096, 2048]]) expect(design(cell, B, H, { adapterIsCpu: true })).toBe('sequence');
  });

  it('below PER_STEP_MIN_HIDDEN hidden units: the one-dispatch kernels', () => {
    expect(PER_STEP_MIN_HIDDEN).toBe(128);
    expect(design('lstm', 8, PER_STEP_MIN_HIDDEN - 1)).toBe('sequence');
    expect(design('lstm', 8, PER_STEP_MIN_HIDDEN)).toBe('per-step');
    expect(design('gru', 1, 32)).toBe('sequence');
  });

  it('from SEQUENCE_BUSY_WORKGROUPS workgroups of the one-dispatch kernels on: those', () => {
    // LSTM at H = 256: 8 rows per workgroup, so B = 8·31 runs 31 workgroups and one more row 32
    expect(sequenceRowsPerGroup('lstm', 256, 1000)).toBe(8);
    expect(sequenceWorkgroups('lstm', 256, 8 * (SEQUENCE_BUSY_WORKGROUPS - 1))).toBe(SEQUENCE_BUSY_WORKGROUPS - 1);
    expect(design('lstm', 8 * (SEQUENCE_BUSY_WORKGROUPS - 1), 256)).toBe('per-step');
    expect(design('lstm', 8 * (SEQUENCE_BUSY_WORKGROUPS - 1) + 1, 256)).toBe('sequence');
    expect(design('rnn', 4096, 2048)).toBe('sequence');
  });

  it('where the device cannot run the per-step kernels: the one-dispatch ones; forcing per-step there throws', () => {
    const small = { maxComputeWorkgroupStorageSize: 4096 };
    expect(recurrenceDesign({ ...GPU, ...small, cell: 'lstm', batch: 8, hidden: 512 })).toEqual({
      design: 'sequence', reason: expect.stringMatching(/forward kernel needs 8192 bytes of workgroup memory, over the device's maxComputeWorkgroupStorageSize \(4096\)/),
    });
    expect(design('lstm', 8, 512, { maxComputeInvocationsPerWorkgroup: 128 })).toBe('sequence');
    expect(design('lstm', 8, 512, { maxComputeWorkgroupsPerDimension: 100 })).toBe('sequence');
    expect(() => design('lstm', 8, 512, { ...small, requested: 'per-step' })).toThrow(/per-step recurrence was asked for, but its forward kernel needs 8192 bytes/);
  });

  it('a forced design is obeyed anywhere it fits', () => {
    expect(design('lstm', 32, 256, { requested: 'sequence' })).toBe('sequence');
    expect(design('gru', 4096, 8, { requested: 'per-step', adapterIsCpu: true })).toBe('per-step');
    expect(design('rnn', 1, 1, { requested: 'per-step' })).toBe('per-step');
    expect(design('lstm', 32, 256, { requested: 'auto' })).toBe('per-step');
  });

  it('sequenceRowsPerGroup is the planner\'s historic rule (the cases of against_reference)', () => {
    expect(sequenceRowsPerGroup('lstm', 70, 51)).toBe(24);
    expect(sequenceRowsPerGroup('gru', 100, 23)).toBe(8);
    expect(sequenceRowsPerGroup('lstm', 1, 1)).toBe(1);
    expect(sequenceRowsPerGroup('lstm', 260, 6)).toBe(6);
  });
});

describe('sequenceKernel', () => {
  const SUBGROUPS = { usable: true, reason: 'subgroups of 4 neighbouring invocations (probed)' };
  const NONE = { usable: false, reason: "the device has no 'subgroups' feature" };
  it('auto: the subgroup kernels for an LSTM on a CPU adapter whose subgroups suit them, plain everywhere else', () => {
    expect(sequenceKernel({ cell: 'lstm', adapterIsCpu: true, subgroups: SUBGROUPS })).toEqual({ kernel: 'subgroup', reason: 'a CPU adapter with subgroups of 4 neighbouring invocations (probed)' });
    expect(sequenceKernel({ cell: 'lstm', adapterIsCpu: false, subgroups: SUBGROUPS })).toEqual({ kernel: 'plain', reason: 'a GPU adapter: the subgroup kernels are written for 4-lane subgroups' });
    expect(sequenceKernel({ cell: 'lstm', adapterIsCpu: true, subgroups: NONE })).toEqual({ kernel: 'plain', reason: NONE.reason });
    for (const cell of ['gru', 'rnn'] as const) expect(sequenceKernel({ cell, adapterIsCpu: true, subgroups: SUBGROUPS }).kernel).toBe('plain');
  });

  it('a forced kernel is obeyed where it can run, and a subgroup one where it cannot throws the reason', () => {
    expect(sequenceKernel({ cell: 'lstm', adapterIsCpu: true, subgroups: SUBGROUPS, requested: 'plain' })).toEqual({ kernel: 'plain', reason: 'asked for' });
    expect(sequenceKernel({ cell: 'lstm', adapterIsCpu: false, subgroups: SUBGROUPS, requested: 'subgroup' })).toEqual({ kernel: 'subgroup', reason: 'asked for' });
    expect(() => sequenceKernel({ cell: 'lstm', adapterIsCpu: true, subgroups: NONE, requested: 'subgroup' })).toThrow(
      "The subgroup recurrence kernels were asked for, but the device has no 'subgroups' feature.",
    );
    expect(() => sequenceKernel({ cell: 'rnn', adapterIsCpu: true, subgroups: SUBGROUPS, requested: 'subgroup' })).toThrow(/for LSTM only, not rnn/);
  });

  it('rows per workgroup of the subgroup kernels: 16 per invocation, a workgroup of 128 (two workgroups at config S)', () => {
    expect(sequenceRowsPerGroup('lstm', 64, 64, 'subgroup')).toBe(32);
    expect(sequenceWorkgroups('lstm', 64, 64, 'subgroup')).toBe(2);
    expect(sequenceRowsPerGroup('lstm', 128, 128, 'subgroup')).toBe(16);
    expect(sequenceRowsPerGroup('lstm', 70, 51, 'subgroup')).toBe(16);
    expect(sequenceRowsPerGroup('lstm', 5, 3, 'subgroup')).toBe(3);
    expect(() => sequenceRowsPerGroup('gru', 64, 64, 'subgroup')).toThrow(/no subgroup kernels for gru/);
  });
});

describe('per-step kernels', () => {
  const KERNELS = ['lstmStepForward', 'lstmStepBackward', 'gruStepForward', 'gruStepBackward', 'rnnStepForward', 'rnnStepBackward'] as const;

  it('perStepGrid covers every unit and row, and its workgroup memory is the shader\'s part array', () => {
    for (const cell of CELLS) {
      for (const pass of ['forward', 'backward'] as const) {
        const s = stepSizes(cell)[pass];
        const g = perStepGrid(cell, 70, 51, pass);
        expect(g.x * s.UNITS).toBeGreaterThanOrEqual(70);
        expect((g.x - 1) * s.UNITS).toBeLessThan(70);
        expect(g.y).toBe(Math.ceil(51 / s.ROWS));
        expect(g.invocations).toBe(s.WG);
        // SUMS_PER_ROW: the kernel's GATES forward (recurrent_step_forward_common.wgsl), 1 backward
        const code = SHADERS[`${cell}Step${pass === 'forward' ? 'Forward' : 'Backward'}`];
        expect(code).toMatch(pass === 'forward' ? /\bconst SUMS_PER_ROW = GATES;/ : /\bconst SUMS_PER_ROW = 1u;/);
        const sums = pass === 'forward' ? wgslIntConsts(code).get('GATES')! : 1;
        expect(g.workgroupBytes).toBe(4 * s.WG * sums * s.ROWS);
        expect(g.workgroupBytes).toBeLessThanOrEqual(16384);
      }
    }
  });

  it('every per-step kernel agrees with its entry of the table and takes WG, ROWS and UNITS as overrides', () => {
    for (const name of KERNELS) {
      expect(checkKernelSizes(name, SHADERS[name], KERNEL_SIZES[name]), name).toEqual([]);
      for (const o of ['WG', 'ROWS', 'UNITS']) expect(SHADERS[name], name).toMatch(new RegExp(`\\boverride ${o}: u32;`));
      expect(SHADERS[name], name).toMatch(/@group\(1\) @binding\(0\) var<uniform> visit: u32;/);
    }
    expect(checkSizeTable()).toEqual([]);
  });

  it('refuses UNITS that is not a power of two, a finishing stage larger than the workgroup, a missing UNITS (negative controls)', () => {
    expect(checkSizeTable({ ...KERNEL_SIZES, lstmStepForward: { WG: 128, ROWS: 4, UNITS: 3 } })).toEqual([expect.stringMatching(/lstmStepForward: UNITS = 3 is not a power of two/)]);
    expect(checkSizeTable({ ...KERNEL_SIZES, rnnStepBackward: { WG: 64, ROWS: 4, UNITS: 32 } })).toEqual([expect.stringMatching(/rnnStepBackward: UNITS × ROWS = 128 is over WG = 64/)]);
    expect(checkKernelSizes('gruStepForward', SHADERS.gruStepForward, { WG: 128, ROWS: 4 })).toEqual([expect.stringMatching(/override UNITS has no size/)]);
    expect(checkKernelSizes('gruStepForward', SHADERS.gruStepForward, { ...KERNEL_SIZES.gruStepForward, ROWS: 8 })).toHaveLength(1);
  });

  it('each file opens with every binding it declares, by name, before the first declaration', () => {
    const files = { lstmStepForward, lstmStepBackward, gruStepForward, gruStepBackward, rnnStepForward, rnnStepBackward };
    for (const [name, source] of Object.entries(files)) {
      const head = source.slice(0, source.indexOf('@group'));
      expect(head, name).toMatch(/^\/\/ \w+_step_(forward|backward): /);
      const bindings = [...source.matchAll(/@binding\(\d+\) var<[^>]+> (\w+)/g)].map((m) => m[1]);
      expect(bindings.length, name).toBeGreaterThanOrEqual(5);
      for (const b of [...bindings, 'visit']) expect(head, `${name}: ${b}`).toMatch(new RegExp(`^// ${b}:\\s+(\\[|flat|uniform)`, 'm'));
    }
  });
});
