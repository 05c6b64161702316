// The page's engine preference: the URL's ?engine= first, then the saved switch; a switch is saved only against the
// automatic pick, and cleared when it goes back to it.
import { describe, expect, it } from 'vitest';
import { ENGINE_STORAGE_KEY, enginePreference, saveEngineSwitch } from '../../src/ui/engine_preference';
import type { EngineInfo } from '../../src/worker/protocol';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
    removeItem: (k: string) => void items.delete(k),
  };
}

const SOFT_WEBGPU: EngineInfo = { kind: 'webgpu', info: 'google / swiftshader', software: true };
const CPU_OVER_SOFT: EngineInfo = { kind: 'cpu', info: 'CPU engine', software: true, adapter: { info: 'google / swiftshader', software: true }, why: 'software' };
const CPU_OVER_GPU: EngineInfo = { kind: 'cpu', info: 'CPU engine', software: true, adapter: { info: 'nvidia / hopper', software: false } };
const GPU: EngineInfo = { kind: 'webgpu', info: 'nvidia / hopper', software: false };
const NONE: EngineInfo = { kind: 'none', info: 'No WebGPU adapter.', software: false };

describe('engine preference', () => {
  it('takes the URL over storage, storage over auto, and reads anything unknown as auto', () => {
    const saved = memoryStorage({ [ENGINE_STORAGE_KEY]: 'webgpu' });
    expect(enginePreference('?engine=cpu', saved)).toBe('cpu');
    expect(enginePreference('?x=1&engine=auto', saved)).toBe('auto');
    expect(enginePreference('', saved)).toBe('webgpu');
    expect(enginePreference('?engine=fast', saved)).toBe('auto');
    expect(enginePreference('', memoryStorage())).toBe('auto');
    expect(enginePreference('', null)).toBe('auto');
    const broken = { getItem: () => { throw new Error('denied'); } };
    expect(enginePreference('', broken)).toBe('auto');
  });

  it('saves a switch against the automatic pick and clears one back to it', () => {
    const s = memoryStorage();
    saveEngineSwitch('webgpu', CPU_OVER_SOFT, s);
    expect(s.items.get(ENGINE_STORAGE_KEY)).toBe('webgpu');
    saveEngineSwitch('cpu', SOFT_WEBGPU, s);
    expect(s.items.has(ENGINE_STORAGE_KEY)).toBe(false);
    saveEngineSwitch('cpu', GPU, s);
    expect(s.items.get(ENGINE_STORAGE_KEY)).toBe('cpu');
    saveEngineSwitch('webgpu', CPU_OVER_GPU, s);
    expect(s.items.has(ENGINE_STORAGE_KEY)).toBe(false);
  });

  it('saves nothing for the CPU engine where there is no WebGPU adapter at all', () => {
    const s = memoryStorage();
    saveEngineSwitch('cpu', NONE, s);
    saveEngineSwitch('cpu', null, s);
    expect(s.items.size).toBe(0);
  });
});
