// The engine this browser asked for: `?engine=webgpu|cpu|auto` in the page's URL (for links and tests, never saved),
// else the choice saved here when the person switched engines against the automatic pick (engine_choice.ts).
import { chooseEngine, parseEnginePreference, type EnginePreference } from '../training/engine_choice';
import type { EngineInfo } from '../worker/protocol';

export const ENGINE_STORAGE_KEY = 'lstm-playground-engine';

/** The preference for this page load: the URL's, else the saved one, else 'auto'. */
export function enginePreference(search: string, storage: Pick<Storage, 'getItem'> | null): EnginePreference {
  const asked = new URLSearchParams(search).get('engine');
  if (asked !== null) return parseEnginePreference(asked);
  try {
    return parseEnginePreference(storage?.getItem(ENGINE_STORAGE_KEY));
  } catch {
    return 'auto';
  }
}

/**
 * Saves a switch to `target` made while `engine` trained: kept where it goes against the automatic pick (WebGPU on a
 * software adapter, the CPU engine where a GPU is), cleared where it goes back to it; a switch to the CPU engine with no
 * WebGPU adapter at all saves nothing (the page asks again on the next visit).
 */
export function saveEngineSwitch(target: 'webgpu' | 'cpu', engine: EngineInfo | null, storage: Pick<Storage, 'setItem' | 'removeItem'> | null): void {
  const adapter = engine?.kind === 'webgpu' ? { info: engine.info, software: engine.software } : (engine?.adapter ?? null);
  if (!adapter || !storage) return;
  const automatic = chooseEngine('auto', adapter.software, adapter.info).kind;
  try {
    if (target === automatic) storage.removeItem(ENGINE_STORAGE_KEY);
    else storage.setItem(ENGINE_STORAGE_KEY, target);
  } catch {
    // no storage (private mode): the switch holds for this page only
  }
}
