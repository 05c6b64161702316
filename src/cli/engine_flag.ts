// The --engine flag of the commands that train (train, tune): auto, webgpu or cpu (engine_choice.ts).
import { ENGINE_PREFERENCES, type EnginePreference } from '../training/engine_choice';
import { UsageError } from './args';

export const ENGINE_HELP =
  'auto (default: the CPU engine where the only WebGPU adapter is a software one such as SwiftShader, or there is none; WebGPU on a GPU), webgpu or cpu';

/** The flag's value; a value other than auto, webgpu or cpu is a usage error naming it. */
export function engineFlag(value: unknown, command: string): EnginePreference {
  if (value === undefined) return 'auto';
  if (typeof value === 'string' && ENGINE_PREFERENCES.includes(value as EnginePreference)) return value as EnginePreference;
  throw new UsageError(`${command}: --engine must be ${ENGINE_PREFERENCES.join(', ')} (got "${String(value)}")`);
}
