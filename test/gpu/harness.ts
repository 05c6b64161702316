// Shared GPU test setup: one Dawn device per test file, every test inside a validation error scope.
import { afterAll, beforeAll, expect } from 'vitest';
import type { GpuContext } from '../../src/gpu/device';
import { requestNodeDevice } from '../../src/gpu/node_device';

export function useGpu(): { ctx: () => GpuContext; scoped: <T>(body: () => Promise<T>) => Promise<T> } {
  let ctx: GpuContext | null = null;
  const uncaptured: string[] = [];
  beforeAll(async () => {
    ctx = await requestNodeDevice();
    ctx.device.addEventListener('uncapturederror', (e: Event) => uncaptured.push((e as GPUUncapturedErrorEvent).error.message));
    console.log(`[gpu] adapter: ${ctx.adapterInfo}`);
  });
  afterAll(() => {
    ctx?.device.destroy();
  });
  return {
    ctx: () => ctx!,
    scoped: async <T>(body: () => Promise<T>) => {
      const device = ctx!.device;
      device.pushErrorScope('validation');
      device.pushErrorScope('out-of-memory');
      const result = await body();
      await device.queue.onSubmittedWorkDone();
      const oom = await device.popErrorScope();
      const validation = await device.popErrorScope();
      expect(validation?.message ?? null, 'WebGPU validation error').toBeNull();
      expect(oom?.message ?? null, 'WebGPU out-of-memory error').toBeNull();
      expect(uncaptured, 'uncaptured WebGPU errors').toEqual([]);
      return result;
    },
  };
}
