// Where a training session gets its engine: the WebGPU trainer on a device (a new device after a loss), or the CPU
// engine. The session asks for a device first (so it can watch it), then for an engine on it.
import { CpuEngine } from '../engine/cpu_engine';
import type { TrainConfig } from '../engine/config';
import type { TrainingEngine } from '../engine/engine';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import { SessionFailure } from './session_options';
import type { DeviceContext, DeviceFactory } from './types';

/** Builds an engine for a config (an EngineFactory's `build`, or any of its kind). */
export type BuildEngine = (config: TrainConfig) => Promise<TrainingEngine>;

export interface EngineFactory {
  /** What the engines run on, for the status line: 'webgpu' or 'cpu'. */
  readonly kind: 'webgpu' | 'cpu';
  /** The device engines are built on now (null on the CPU, and before a first device is made). */
  readonly context: DeviceContext | null;
  /** The device the next engine will use, made now if there is none yet; null for an engine without a device. */
  ready(): Promise<DeviceContext | null>;
  /** An engine for this config on the device ready() returned. */
  build(config: TrainConfig): Promise<TrainingEngine>;
  /** Replaces a lost device with a new one; null where there is no way to get one. */
  readonly renew: (() => Promise<DeviceContext>) | null;
}

/** WebGPU trainers on `device` (not owned: never destroyed here); `newDevice` makes the first one if absent, and one
 *  after each device loss. */
export function gpuEngines(device: DeviceContext | null, newDevice?: DeviceFactory): EngineFactory {
  let ctx = device;
  return {
    kind: 'webgpu',
    get context() {
      return ctx;
    },
    async ready() {
      if (ctx) return ctx;
      if (!newDevice) throw new SessionFailure('setup', 'No GPU device was given to the training session.');
      ctx = await newDevice();
      return ctx;
    },
    async build(config) {
      if (!ctx) throw new Error('gpuEngines: ready() must give a device before build().');
      return RecurrentTrainer.create(ctx.device, config);
    },
    renew: newDevice
      ? async () => {
          ctx = null;
          ctx = await newDevice();
          return ctx;
        }
      : null,
  };
}

/** The CPU engine (float64 reference steps): no device, nothing to lose. */
export function cpuEngines(): EngineFactory {
  return {
    kind: 'cpu',
    context: null,
    ready: async () => null,
    build: async (config) => new CpuEngine(config),
    renew: null,
  };
}
