// Leaks: 100 start/stop cycles and 20 model rebuilds leave the live GPU buffers where they started and the heap flat.
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { liveBuffers } from '../../src/gpu/buffers';
import { TrainingSession } from '../../src/training/session';
import type { TrainingSnapshot } from '../../src/training/types';
import { useGpu } from '../gpu/harness';
import { sineData, TINY } from './helpers';
import { gpuEngines } from '../../src/training/engine_factory';

const gpu = useGpu();

/** A real garbage collection: global.gc when node runs with --expose-gc, else the flag is turned on at run time. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

function heapMiB(gc: () => void): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** A session that stops itself once it has trained one batch; runs it and frees it. */
async function startStop(config: typeof TINY, data: ReturnType<typeof sineData>, device: ReturnType<ReturnType<typeof useGpu>['ctx']>): Promise<number> {
  let session!: TrainingSession;
  session = new TrainingSession({ config, data, engines: gpuEngines(device), callbacks: { onSnapshot: (s: TrainingSnapshot) => s.step >= 1 && session.stop() } });
  const result = await session.start();
  expect(result.reason).toBe('stopped');
  await session.dispose();
  return result.snapshot.step;
}

describe('no leaks', () => {
  it('100 start/stop cycles and 20 model rebuilds return every GPU buffer; the heap stays flat', () =>
    gpu.scoped(async () => {
      const device = gpu.ctx();
      const data = sineData(24, 8);
      const gc = collector();
      // Warm up (pipelines, plans, JIT) before measuring.
      await startStop(TINY, data, device);
      const buffersBefore = liveBuffers();
      const heapBefore = heapMiB(gc);
      const started = performance.now();
      let steps = 0;
      for (let i = 0; i < 100; i++) steps += await startStop(TINY, data, device);
      const cyclesMs = performance.now() - started;
      expect(liveBuffers()).toEqual(buffersBefore);
      expect(steps).toBeGreaterThanOrEqual(100);
      const heapAfterCycles = heapMiB(gc);

      const shapes = [
        { cell: 'lstm', hiddenSize: 5, numLayers: 1, bidirectional: false },
        { cell: 'gru', hiddenSize: 7, numLayers: 2, bidirectional: false },
        { cell: 'rnn', hiddenSize: 4, numLayers: 2, bidirectional: true },
        { cell: 'lstm', hiddenSize: 9, numLayers: 2, bidirectional: true, dropout: 0.2 },
      ] as const;
      for (let i = 0; i < 20; i++) {
        const session = new TrainingSession({ config: { ...TINY, ...shapes[i % shapes.length], epochs: 1, seed: i }, data, engines: gpuEngines(device) });
        const result = await session.start();
        expect(result.reason).toBe('completed');
        await session.dispose();
      }
      expect(liveBuffers()).toEqual(buffersBefore);
      const heapAfter = heapMiB(gc);
      console.log(
        `[leaks] 100 start/stop cycles in ${(cyclesMs / 1000).toFixed(1)} s (${steps} steps); heap ${heapBefore.toFixed(1)} → ` +
          `${heapAfterCycles.toFixed(1)} → ${heapAfter.toFixed(1)} MiB; live buffers ${JSON.stringify(buffersBefore)}`,
      );
      // Flat: before the fix that shares one device.lost reaction per device, every session stayed alive (+2 MiB here).
      expect(heapAfter - heapBefore).toBeLessThan(1.5);
    }));
});
