// Built-in example data, generated deterministically so the playground works without a file.
import { Prng } from '../util/prng';

export const BUILTIN_DATASET_NAME = 'Noisy multi-frequency sine (built in)';

/**
 * CSV text with header `step,value`: the sum of sines with periods 24 and 60 steps (plus a weak 9-step
 * ripple) and Gaussian noise of std 0.05 from Prng(seed), rounded to 4 decimals.
 */
export function noisySineCsv(rows = 800, seed = 7): string {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be a whole number of at least 1 (got ${rows})`);
  const rng = new Prng(seed);
  const lines = ['step,value'];
  for (let t = 0; t < rows; t++) {
    const signal =
      Math.sin((2 * Math.PI * t) / 24) + 0.5 * Math.sin((2 * Math.PI * t) / 60 + 0.7) + 0.2 * Math.sin((2 * Math.PI * t) / 9 + 1.3);
    const value = signal + 0.05 * rng.normal();
    lines.push(`${t},${value.toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
