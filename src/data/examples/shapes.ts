// A few-class synthetic sequence set (one sequence per row, UCR style): sine, square, sawtooth and a decaying pulse,
// with random phase, amplitude and noise from a seeded Prng, so the same CSV comes out every time.
import { Prng } from '../../util/prng';

export const SHAPE_CLASSES = ['sine', 'square', 'sawtooth', 'pulse'] as const;

function shapeValue(kind: (typeof SHAPE_CLASSES)[number], phase: number): number {
  const p = phase - Math.floor(phase);
  switch (kind) {
    case 'sine':
      return Math.sin(2 * Math.PI * p);
    case 'square':
      return p < 0.5 ? 1 : -1;
    case 'sawtooth':
      return 2 * p - 1;
    case 'pulse':
      return Math.exp(-8 * p) * 2 - 0.5;
  }
}

/**
 * CSV text with header `label,t1,…,t{steps}`: `rows` sequences, classes in turn, each a shape of 1.5–3 periods over
 * the window with a random phase, amplitude 0.7–1.3, an offset within ±0.3 and Gaussian noise of std 0.15.
 */
export function shapesCsv(rows = 240, steps = 32, seed = 11): string {
  const rng = new Prng(seed);
  const header = ['label', ...Array.from({ length: steps }, (_, t) => `t${t + 1}`)];
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const kind = SHAPE_CLASSES[r % SHAPE_CLASSES.length];
    const periods = rng.uniform(1.5, 3);
    const phase = rng.next();
    const amp = rng.uniform(0.7, 1.3);
    const offset = rng.uniform(-0.3, 0.3);
    const cells: string[] = [kind];
    for (let t = 0; t < steps; t++) {
      const v = offset + amp * shapeValue(kind, phase + (periods * t) / steps) + 0.15 * rng.normal();
      cells.push(v.toFixed(3));
    }
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}
