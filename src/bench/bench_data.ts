// Seeded random training batches for the bench: the same x and y for every engine of a configuration.
import { Prng } from '../util/prng';
import type { BenchConfig } from './bench_spec';

export interface BenchBatch {
  /** Batch-first inputs [B][T][I]. */
  x: Float32Array;
  /** Targets [B][1]. */
  y: Float32Array;
}

export function makeBatch(c: BenchConfig, seed = 7): BenchBatch {
  const rng = new Prng(seed);
  const x = new Float32Array(c.B * c.T * c.I);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const y = new Float32Array(c.B);
  for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-1, 1);
  return { x, y };
}
