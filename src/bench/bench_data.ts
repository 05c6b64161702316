// Seeded random training batches for the bench: the same x and y for every engine of a configuration.
import { Prng } from '../util/prng';
import type { BenchConfig } from './bench_spec';

export interface BenchBatch {
  /** Batch-first inputs [B][T][I] (token ids [B][T] for a language-model config). */
  x: Float32Array;
  /** Targets [B][1] (the next token ids [B][T] for a language-model config). */
  y: Float32Array;
}

export function makeBatch(c: BenchConfig, seed = 7): BenchBatch {
  const rng = new Prng(seed);
  if (c.vocab) {
    // A language model: a seeded token stream, x its windows and y the same shifted by one (the next token).
    const stream = Array.from({ length: c.B * (c.T + 1) }, () => rng.int(c.vocab!));
    const x = new Float32Array(c.B * c.T), y = new Float32Array(c.B * c.T);
    for (let b = 0; b < c.B; b++)
      for (let t = 0; t < c.T; t++) {
        x[b * c.T + t] = stream[b * (c.T + 1) + t];
        y[b * c.T + t] = stream[b * (c.T + 1) + t + 1];
      }
    return { x, y };
  }
  const x = new Float32Array(c.B * c.T * c.I);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-1, 1);
  const y = new Float32Array(c.B);
  for (let i = 0; i < y.length; i++) y[i] = rng.uniform(-1, 1);
  return { x, y };
}
