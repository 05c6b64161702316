// Both matmul kernels (workgroup-memory tiles and direct) against the float64 check cases of the bench, and which one
// the engine picks on this adapter.
import { describe, expect, it } from 'vitest';
import { checkMatmulKernel } from '../../src/bench/matmul_bench';
import { matmulKindFor, matmulPipeline, pipelines, type MatmulKind } from '../../src/engine/kernels';
import { useGpu } from '../gpu/harness';

const gpu = useGpu();

describe('matmul kernels vs float64 reference (strided, transposed, bias, accumulate, partial and whole tiles)', () => {
  for (const kind of ['tiled', 'direct'] as MatmulKind[]) {
    it(kind, () =>
      gpu.scoped(async () => {
        const device = gpu.ctx().device;
        await expect(checkMatmulKernel(device, { name: `matmul ${kind}`, pipeline: matmulPipeline(device, kind) })).resolves.toBeUndefined();
      }));
  }

  it('the engine uses the direct kernel on a CPU adapter and the tiled one on a GPU', () =>
    gpu.scoped(async () => {
      const device = gpu.ctx().device;
      const info = device.adapterInfo;
      const cpu = info.isFallbackAdapter || info.architecture === 'swiftshader';
      expect(matmulKindFor(device)).toBe(cpu ? 'direct' : 'tiled');
      expect(pipelines(device).matmul.label).toBe(`matmul (${cpu ? 'direct' : 'tiled'})`);
    }));
});
