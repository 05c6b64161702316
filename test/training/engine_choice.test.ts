// The engine rule: the CPU engine over a software WebGPU adapter unless WebGPU is asked for; WebGPU on a GPU unless
// the CPU engine is.
import { describe, expect, it } from 'vitest';
import { chooseEngine, parseEnginePreference } from '../../src/training/engine_choice';

describe('chooseEngine', () => {
  it("'auto' picks the CPU engine on a software adapter, with the reason naming it, and WebGPU on a GPU", () => {
    const soft = chooseEngine('auto', true, 'google / swiftshader');
    expect(soft.kind).toBe('cpu');
    expect(soft.why).toContain('google / swiftshader');
    expect(chooseEngine('auto', false, 'nvidia / hopper')).toEqual({ kind: 'webgpu', why: null });
  });

  it('an asked-for engine is kept whatever the adapter, with no reason', () => {
    for (const software of [true, false]) {
      expect(chooseEngine('webgpu', software, 'x')).toEqual({ kind: 'webgpu', why: null });
      expect(chooseEngine('cpu', software, 'x')).toEqual({ kind: 'cpu', why: null });
    }
  });

  it('reads a preference from text, anything unknown as auto', () => {
    expect(parseEnginePreference('webgpu')).toBe('webgpu');
    expect(parseEnginePreference('cpu')).toBe('cpu');
    expect(parseEnginePreference('auto')).toBe('auto');
    for (const t of [null, undefined, '', 'CPU', 'gpu']) expect(parseEnginePreference(t)).toBe('auto');
  });
});
