// The size table against the shaders: every override it sets exists and every override without an initializer gets a
// value; sizes stay within what the shaders' registers hold; and no shader writes a size of its own. Negative controls
// show each check refuses a wrong table or a tampered shader.
import { describe, expect, it } from 'vitest';
import { checkKernelSizes, checkSizeTable, KERNEL_SIZES, recurrentSizes, subgroupWorkgroupSizes } from '../../src/engine/kernel_sizes';
import { SHADERS, sizesOf, type ShaderName } from '../../src/engine/shader_sources';

const entries = Object.entries(SHADERS) as [ShaderName, string][];

describe('kernel sizes', () => {
  it('every shader agrees with its entry of the table', () => {
    for (const [name, code] of entries) expect(checkKernelSizes(name, code, KERNEL_SIZES[sizesOf(name)]), name).toEqual([]);
    expect(checkSizeTable()).toEqual([]);
  });

  it('no shader writes a workgroup size, rows per invocation or tile of its own', () => {
    for (const [name, code] of entries) {
      for (const m of code.matchAll(/@workgroup_size\(([^)]*)\)/g)) expect(m[1], `${name} @workgroup_size`).not.toMatch(/\d/);
      expect(code, name).not.toMatch(/\bconst\s+(WG|ROWS|UNITS|TILE)\b/);
      expect(code, name).not.toMatch(/\b(256|128|64)u\b/);
    }
  });

  it('every recurrent kernel takes WG and ROWS (and the LSTM backward UNITS) as override constants', () => {
    for (const name of ['lstmForward', 'lstmBackward', 'gruForward', 'gruBackward', 'rnnForward', 'rnnBackward'] as const) {
      expect(SHADERS[name]).toMatch(/\boverride WG: u32;/);
      expect(SHADERS[name]).toMatch(/\boverride ROWS: u32;/);
    }
    expect(SHADERS.lstmBackward).toMatch(/\boverride UNITS: u32;/);
    expect(KERNEL_SIZES.lstmForward.ROWS).toBe(8);
    expect(recurrentSizes('lstm').backward).toBe(KERNEL_SIZES.lstmBackward);
  });

  it('the table is frozen', () => {
    expect(Object.isFrozen(KERNEL_SIZES)).toBe(true);
    for (const entry of Object.values(KERNEL_SIZES)) expect(Object.isFrozen(entry)).toBe(true);
  });

  describe('refuses (negative controls)', () => {
    const rnn = SHADERS.rnnForward;
    it('more rows than the accumulators hold', () => {
      expect(checkKernelSizes('rnnForward', rnn, { ...KERNEL_SIZES.rnnForward, ROWS: 8 })).toEqual([expect.stringMatching(/ROWS = 8 is over the shader's ROWS_MAX = 4/)]);
      const shrunk = rnn.replace('const ROWS_MAX = 4u;', 'const ROWS_MAX = 2u;');
      expect(shrunk).not.toBe(rnn);
      expect(checkKernelSizes('rnnForward', shrunk, KERNEL_SIZES.rnnForward)).toHaveLength(1);
      expect(checkKernelSizes('lstmBackward', SHADERS.lstmBackward, { ...KERNEL_SIZES.lstmBackward, UNITS: 3 })).toHaveLength(1);
    });
    it('an override without a value, and a value without an override', () => {
      expect(checkKernelSizes('rnnForward', rnn, { WG: 256 })).toEqual([expect.stringMatching(/override ROWS has no size/)]);
      expect(checkKernelSizes('rnnForward', rnn, { ...KERNEL_SIZES.rnnForward, UNITS: 2 })).toEqual([expect.stringMatching(/UNITS is not an override/)]);
      expect(checkKernelSizes('rnnForward', rnn.replace('override ROWS: u32;', 'override ROWS: u32;\noverride EXTRA: u32;'), KERNEL_SIZES.rnnForward)).toHaveLength(1);
    });
    it('a tile that is not a multiple of the register block, a workgroup that is not a power of two, a non-integer', () => {
      expect(checkKernelSizes('matmulDirect', SHADERS.matmulDirect, { TILE: 60 })).toHaveLength(1);
      expect(checkKernelSizes('adam', SHADERS.adam, { WG: 200 })).toHaveLength(1);
      expect(checkKernelSizes('adam', SHADERS.adam, { WG: 0.5 })).not.toEqual([]);
    });
    it('a backward ROWS that does not divide the forward one, and a grad_norm workgroup smaller than its partials', () => {
      expect(checkSizeTable({ ...KERNEL_SIZES, gruBackward: { WG: 256, ROWS: 3 } })).toHaveLength(1);
      expect(checkSizeTable({ ...KERNEL_SIZES, gradNorm: { WG: 32 } })).toHaveLength(1);
    });
    it('subgroup kernels whose rows do not nest, whose workgroup splits a subgroup, or whose tile splits a block', () => {
      expect(checkSizeTable({ ...KERNEL_SIZES, lstmBackwardSubgroup: { WG: 128, ROWS: 5, UNITS: 4 } })).toEqual([
        "lstmBackwardSubgroup: ROWS = 5 does not divide lstmForwardSubgroup's ROWS = 16",
      ]);
      expect(checkSizeTable({ ...KERNEL_SIZES, lstmForwardSubgroup: { WG: 62, ROWS: 16 } })).toEqual(['lstmForwardSubgroup: WG = 62 is not a multiple of 4']);
      expect(checkKernelSizes('matmulSubgroup', SHADERS.matmulSubgroup, { TILE: 24 })).toEqual(["matmulSubgroup: TILE = 24 is not a multiple of the shader's SUBTILE (16)"]);
      expect(subgroupWorkgroupSizes()).toEqual([64, 128]);
      expect(checkKernelSizes('lstmForwardSubgroup', SHADERS.lstmForwardSubgroup, { WG: 128, ROWS: 32 })).toEqual([
        "lstmForwardSubgroup: ROWS = 32 is over the shader's ROWS_MAX = 16",
      ]);
    });
  });
});
