// Uniform packers against the WGSL structs they fill: same fields in the same order (padding aside), every uniform
// struct of every shader covered, values landing at their field's offset. Negative controls: reordered, renamed or
// retyped struct fields are refused.
import { describe, expect, it } from 'vitest';
import { SHADERS, type ShaderName } from '../../src/engine/shader_sources';
import { DROPOUT_DIMS, GRAD_NORM_DIMS, RECURRENT_DIMS, UNIFORM_PACKERS, uniformMismatches, UniformPacker } from '../../src/engine/uniforms';
import { wgslStruct } from '../../src/engine/wgsl_source';

describe('uniform packers', () => {
  it('each packer matches its WGSL struct', () => {
    for (const p of UNIFORM_PACKERS) {
      expect(uniformMismatches(p.fields, wgslStruct(SHADERS[p.shader as ShaderName], p.struct)), p.label).toEqual([]);
    }
  });

  it('every struct of every shader has a packer with its fields', () => {
    for (const [name, code] of Object.entries(SHADERS)) {
      for (const m of code.matchAll(/\bstruct\s+(\w+)/g)) {
        const fields = wgslStruct(code, m[1]);
        expect(UNIFORM_PACKERS.some((p) => p.struct === m[1] && uniformMismatches(p.fields, fields).length === 0), `${name} ${m[1]}`).toBe(true);
      }
    }
  });

  it('sets fields by name at their WGSL offsets, u32 and f32, padding zero', () => {
    const dims = { T: 7, B: 3, H: 9, rowsPerGroup: 3, whhOff: 100, bihOff: 200, bhhOff: 300, reverse: 1, foldI: 2, wihOff: 50 };
    // ten fields, padded to a multiple of 16 bytes
    expect([...new Uint32Array(RECURRENT_DIMS.pack(dims))]).toEqual([7, 3, 9, 3, 100, 200, 300, 1, 2, 50, 0, 0]);
    const g = new DataView(GRAD_NORM_DIMS.pack({ n: 5, maxNorm: 0.1, groups: 2 }));
    expect([g.getUint32(0, true), g.getFloat32(4, true), g.getUint32(8, true), g.getUint32(12, true)]).toEqual([5, Math.fround(0.1), 2, 0]);
    const d = new DataView(DROPOUT_DIMS.pack({ n: 1, inOff: 2, outOff: 3, salt: 4, p: 0.25, scale: 4 / 3 }));
    expect(d.byteLength).toBe(32);
    expect([d.getFloat32(16, true), d.getFloat32(20, true), d.getUint32(24, true)]).toEqual([0.25, Math.fround(4 / 3), 0]);
    expect(() => RECURRENT_DIMS.pack({ ...dims, T: -1 })).toThrow(/out of u32 range/);
    expect(() => RECURRENT_DIMS.pack({ ...dims, H: 1.5 })).toThrow(/out of u32 range/);
  });

  describe('refuses a struct that differs from its packer (negative controls)', () => {
    const source = SHADERS.gradNorm;
    const fields = ['n', 'maxNorm', 'groups'] as const;
    it('the real struct is accepted', () => {
      expect(() => new UniformPacker('gradNorm', 'Dims', fields, wgslStruct(source, 'Dims'))).not.toThrow();
    });
    it('reordered fields', () => {
      const swapped = source.replace('n: u32, maxNorm: f32, groups: u32', 'n: u32, groups: u32, maxNorm: f32');
      expect(swapped).not.toBe(source);
      expect(uniformMismatches(fields, wgslStruct(swapped, 'Dims'))).toHaveLength(2);
      expect(() => new UniformPacker('gradNorm', 'Dims', fields, wgslStruct(swapped, 'Dims'))).toThrow(/does not match its WGSL struct/);
    });
    it('a renamed, an added and a retyped field', () => {
      expect(uniformMismatches(fields, wgslStruct(source.replace('groups: u32', 'count: u32'), 'Dims'))).toHaveLength(1);
      expect(uniformMismatches(fields, wgslStruct(source.replace('pad1: u32', 'extra: u32'), 'Dims'))).toHaveLength(1);
      expect(uniformMismatches(fields, wgslStruct(source.replace('groups: u32', 'groups: vec2u'), 'Dims'))).toHaveLength(1);
    });
  });
});
