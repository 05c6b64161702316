// The three matmul kernels (workgroup-memory tiles, direct, and direct with a 4-lane subgroup's shared loads, where the
// device's subgroups suit it) against the float64 check cases of the bench, and which one the engine picks here.
import { describe, expect, it } from 'vitest';
import { checkMatmulKernel } from '../../src/bench/matmul_bench';
import { matmulKindFor, matmulPipeline, pipelines, type MatmulKind } from '../../src/engine/kernels';
import { KERNEL_SIZES } from '../../src/engine/kernel_sizes';
import { subgroupSupport } from '../../src/engine/subgroup_support';
import { useGpu } from '../gpu/harness';
import { DEFAULT_CONFIG } from '../../src/engine/config';
import { RecurrentTrainer } from '../../src/engine/recurrent_trainer';

const gpu = useGpu();

describe('matmul kernels vs float64 reference (strided, transposed, bias, accumulate, partial and whole tiles)', () => {
  for (const kind of ['tiled', 'direct', 'subgroup'] as MatmulKind[]) {
    it(kind, async (ctx) => {
      if (kind === 'subgroup' && !(await subgroupSupport(gpu.ctx().device)).usable) ctx.skip();
      await gpu.scoped(async () => {
        const device = gpu.ctx().device;
        await expect(checkMatmulKernel(device, { name: `matmul ${kind}`, pipeline: matmulPipeline(device, kind) })).resolves.toBeUndefined();
      });
    });
  }

  // TILE is an override constant: the same value sets the shader's tile and the dispatch grid (checkMatmulKernel).
  for (const kind of ['tiled', 'direct', 'subgroup'] as MatmulKind[]) {
    it(`${kind} with another tile (32) than the engine's`, async (ctx) => {
      if (kind === 'subgroup' && !(await subgroupSupport(gpu.ctx().device)).usable) ctx.skip();
      await gpu.scoped(async () => {
        const device = gpu.ctx().device;
        const pipeline = matmulPipeline(device, kind, { TILE: 32 });
        expect(pipeline).not.toBe(matmulPipeline(device, kind));
        await expect(checkMatmulKernel(device, { name: `matmul ${kind} tile 32`, pipeline, tile: 32 })).resolves.toBeUndefined();
        expect(matmulPipeline(device, kind)).toBe(matmulPipeline(device, kind, { TILE: KERNEL_SIZES.matmul.TILE }));
        expect(() => matmulPipeline(device, kind, { TILE: 60 })).toThrow(/multiple of the shader's (BLOCK|SUBTILE)/);
      });
    });
  }

  it('the engine uses the subgroup kernel on a CPU adapter whose subgroups suit it, else direct there, and tiled on a GPU', () =>
    gpu.scoped(async () => {
      const device = gpu.ctx().device;
      const info = device.adapterInfo;
      const cpu = info.isFallbackAdapter || info.architecture === 'swiftshader';
      const usable = (await subgroupSupport(device)).usable;
      expect(matmulKindFor(device)).toBe(cpu ? 'direct' : 'tiled');
      expect(matmulKindFor(device, usable)).toBe(cpu ? (usable ? 'subgroup' : 'direct') : 'tiled');
      expect(pipelines(device).matmul.label).toBe(`matmul (${cpu ? 'direct' : 'tiled'})`);
      const trainer = await RecurrentTrainer.create(device, { ...DEFAULT_CONFIG, hiddenSize: 8, window: 4, batchSize: 4 });
      expect(trainer.matmulKind).toBe(matmulKindFor(device, usable));
      trainer.dispose();
    }));
});
