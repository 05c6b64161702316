// Finite targets too large for float32's squared error make the GPU engine's loss overflow before any training: the
// run stops, rolls back and names the data as the cause, not the learning rate; the same data at a normal scale train
// (negative control).
import { describe, expect, it } from 'vitest';
import { gpuEngines } from '../../src/training/engine_factory';
import { useGpu } from '../gpu/harness';
import { runSession, sineData, TINY } from './helpers';

const gpu = useGpu();

describe('data whose squares overflow float32, on the GPU engine', () => {
  it('stop the run with advice about the data', () =>
    gpu.scoped(async () => {
      const data = sineData();
      const scale = (a: Float32Array) => a.map((v) => v * 4e19);
      const r = await runSession({ config: TINY, data: { ...data, trainY: scale(data.trainY), valY: scale(data.valY) }, engines: gpuEngines(gpu.ctx()) });
      expect(r.result.reason).toBe('diverged');
      const text = r.errors[0].message;
      console.log(`[overflowing data] ${text}`);
      expect(text).toMatch(/The data are the cause: the largest training target is \d\.\d\de\+19, whose square passes float32's largest number/);
      expect(text).toMatch(/Rescale the column/);
      expect(text).not.toMatch(/lower the learning rate/);
    }));

  it('the same data at their own scale train (negative control)', () =>
    gpu.scoped(async () => {
      const r = await runSession({ config: TINY, data: sineData(), engines: gpuEngines(gpu.ctx()) });
      expect(r.result.reason).toBe('completed');
    }));
});
