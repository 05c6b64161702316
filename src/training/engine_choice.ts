// Which engine trains where both could: the WebGPU engine on a real GPU, the CPU engine where the only WebGPU adapter is
// a software one (SwiftShader, llvmpipe, lavapipe, a fallback adapter), or whichever the person asked for.
import { adapterIsCpu } from '../engine/kernels';
import type { DeviceContext } from './types';

/** What a person asked for: 'auto' lets chooseEngine decide. */
export type EnginePreference = 'auto' | 'webgpu' | 'cpu';
export const ENGINE_PREFERENCES: readonly EnginePreference[] = ['auto', 'webgpu', 'cpu'];

/** A preference from a URL or storage value; anything else (absent, misspelt) is 'auto'. */
export function parseEnginePreference(text: string | null | undefined): EnginePreference {
  return ENGINE_PREFERENCES.includes(text as EnginePreference) ? (text as EnginePreference) : 'auto';
}

const SOFTWARE_NAME = /swiftshader|software|llvmpipe|lavapipe/i;

/** Whether the device's adapter renders on the CPU (an emulated GPU), by its adapter info or its name. */
export function isSoftwareAdapter(ctx: DeviceContext): boolean {
  return adapterIsCpu(ctx.device) || SOFTWARE_NAME.test(ctx.adapterInfo);
}

export interface EngineChoice {
  kind: 'webgpu' | 'cpu';
  /** Why, in words, where the choice was made for the person (null: they asked for it, or a real GPU trains). */
  why: string | null;
}

/**
 * The engine for a preference on a device that has a WebGPU adapter. 'auto' takes the CPU engine on a software
 * adapter: it emulates a GPU on the same cores the CPU engine runs on, and trains several times more slowly (the
 * README's Benchmark: 6–11× on S, M and LM, `npm run bench -- --engines ours,ours-cpu`); WebGPU on a real GPU.
 */
export function chooseEngine(preference: EnginePreference, software: boolean, adapterInfo: string): EngineChoice {
  if (preference === 'cpu') return { kind: 'cpu', why: null };
  if (preference === 'webgpu' || !software) return { kind: 'webgpu', why: null };
  return {
    kind: 'cpu',
    why: `The WebGPU adapter here (${adapterInfo}) is a software one, running on the CPU, where the CPU engine trains the same model several times faster.`,
  };
}
