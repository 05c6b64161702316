// Times the CPU training engine the app falls back to without WebGPU, built through cpuEngines() so the bench follows whichever engine that returns.
import { cpuEngines } from '../training/engine_factory';
import type { BenchBatch } from './bench_data';
import { lstmFlopsPerStep, makeRow, type BenchConfig, type BenchRow } from './bench_spec';
import { trainConfigFor } from './ours_lstm';
import { batchLossOf } from './sanity';

/** Warm-up steps, then N steps each waited for with settled(); the same TrainConfig as `ours`. */
export async function benchOursCpu(c: BenchConfig, batch: BenchBatch, warmup: number, steps: number): Promise<BenchRow> {
  const factory = cpuEngines();
  await factory.ready();
  const engine = await factory.build(trainConfigFor(c));
  try {
    const lossBefore = batchLossOf(await engine.predict(batch.x, c.B), batch.y, c.vocab);
    for (let i = 0; i < warmup; i++) {
      engine.trainStep(batch.x, batch.y, c.B);
      await engine.settled();
    }
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      engine.trainStep(batch.x, batch.y, c.B);
      await engine.settled();
    }
    const msPerStep = (performance.now() - t0) / steps;
    const lossAfter = batchLossOf(await engine.predict(batch.x, c.B), batch.y, c.vocab);
    const adapter = 'CPU: the engine cpuEngines() builds (page main thread)';
    return { ...makeRow(c.name, 'ours-cpu', adapter, msPerStep, c.B, lstmFlopsPerStep(c)), lossBefore, lossAfter };
  } finally {
    engine.dispose();
  }
}
