// Both matmul kernels (workgroup-memory tiles and direct) against the float64 check cases of the bench, and which one
// the engine picks on this adapter.
import { describe, expect, it } from 'vitest';
import { checkMatmulKernel } from '../../src/bench/matmul_bench';
import { matmulKindFor, matmulPipeline, pipelines, type MatmulKind } from '../../src/engine/kernels';
import { KERNEL_SIZES } from '../../src/engine/kernel_sizes';
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

  // TILE is an override constant: the same value sets the shader's tile and the dispatch grid (checkMatmulKernel).
  for (const kind of ['tiled', 'direct'] as MatmulKind[]) {
    it(`${kind} with another tile (32) than the engine's`, () =>
      gpu.scoped(async () => {
        const device = gpu.ctx().device;
        const pipeline = matmulPipeline(device, kind, { TILE: 32 });
        expect(pipeline).not.toBe(matmulPipeline(device, kind));
        await expect(checkMatmulKernel(device, { name: `matmul ${kind} tile 32`, pipeline, tile: 32 })).resolves.toBeUndefined();
        expect(matmulPipeline(device, kind)).toBe(matmulPipeline(device, kind, { TILE: KERNEL_SIZES.matmul.TILE }));
        expect(() => matmulPipeline(device, kind, { TILE: 60 })).toThrow(/multiple of the shader's BLOCK/);
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
