// The engines of a headless run (train, tune, predict) for an engine preference, on the Node device factory: the CPU engine
// where asked or where the only adapter is a software one (engine_choice.ts), WebGPU through Dawn otherwise.
import { cpuEngines, gpuEngines, type EngineFactory } from '../training/engine_factory';
import { chooseEngine, isSoftwareAdapter, type EnginePreference } from '../training/engine_choice';
import type { DeviceContext, DeviceFactory } from '../training/types';

export interface HeadlessEngines {
  engines: EngineFactory;
  /** The device the choice was made on (null: none was made); WebGPU engines start on it. */
  first: DeviceContext | null;
  /** Destroys the devices made here: the engines' current one and, after a device loss, the first. */
  release(): void;
}

/**
 * The engines of a run for `preference`: 'cpu' makes no device; otherwise the first device decides ('auto' takes the
 * CPU engine on a software adapter). Where 'auto' finds no adapter at all, the CPU engine trains, saying why.
 */
export async function headlessEngines(preference: EnginePreference, factory: DeviceFactory, note?: (line: string) => void): Promise<HeadlessEngines> {
  const made = (engines: EngineFactory, first: DeviceContext | null): HeadlessEngines => ({
    engines,
    first,
    release: () => {
      const last = engines.context;
      last?.device.destroy();
      if (first && last !== first) first.device.destroy();
    },
  });
  if (preference === 'cpu') return made(cpuEngines(), null);
  let first: DeviceContext;
  try {
    first = await factory();
  } catch (e) {
    if (preference === 'webgpu') throw e;
    note?.(`using the CPU engine: no WebGPU adapter (${e instanceof Error ? e.message : String(e)})`);
    return made(cpuEngines(), null);
  }
  const choice = chooseEngine(preference, isSoftwareAdapter(first), first.adapterInfo);
  if (choice.kind === 'webgpu') return made(gpuEngines(first, factory), first);
  if (choice.why) note?.(`using the CPU engine: ${choice.why} (--engine webgpu to use WebGPU anyway)`);
  return made(cpuEngines(), first);
}
