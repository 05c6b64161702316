// The engines of a headless run (train, tune, predict) for an engine preference, on the Node device factory: the CPU engine
// where asked or where the only adapter is a software one (engine_choice.ts), WebGPU through Dawn otherwise.
import { cpuEngines, gpuEngines, type EngineFactory } from '../training/engine_factory';
import { chooseEngine, isSoftwareAdapter, type EnginePreference } from '../training/engine_choice';
import type { DeviceContext, DeviceFactory } from '../training/types';

/**
 * The engines of a run for `preference`: 'cpu' makes no device; otherwise the first device decides ('auto' takes the
 * CPU engine on a software adapter), and `first` is that device, destroyed by the caller. Where 'auto' finds no
 * adapter at all, the CPU engine trains, saying why.
 */
export async function headlessEngines(preference: EnginePreference, factory: DeviceFactory, note?: (line: string) => void): Promise<{ engines: EngineFactory; first: DeviceContext | null }> {
  if (preference === 'cpu') return { engines: cpuEngines(), first: null };
  let first: DeviceContext;
  try {
    first = await factory();
  } catch (e) {
    if (preference === 'webgpu') throw e;
    note?.(`using the CPU engine: no WebGPU adapter (${e instanceof Error ? e.message : String(e)})`);
    return { engines: cpuEngines(), first: null };
  }
  const choice = chooseEngine(preference, isSoftwareAdapter(first), first.adapterInfo);
  if (choice.kind === 'webgpu') return { engines: gpuEngines(first, factory), first };
  if (choice.why) note?.(`using the CPU engine: ${choice.why} (--engine webgpu to use WebGPU anyway)`);
  return { engines: cpuEngines(), first };
}
