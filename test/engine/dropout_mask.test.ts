// The dropout mask, checked by its statistics rather than against itself: the keep rate is 1 - p within a binomial
// bound, every kept unit is scaled by exactly 1/(1-p) (in float32, as the shader scales), masks of different steps,
// layers and directions are uncorrelated while the same step and layer reproduce, and each check rejects a wrong mask
// (the negative controls). src/engine/dropout_mask.ts mirrors shaders/dropout.wgsl; the GPU tests in
// against_reference.gpu.test.ts show the GPU trains with the very mask this file describes.
import { describe, expect, it } from 'vitest';
import { dropoutKeep, dropoutSalt, dropoutStepSeed } from '../../src/engine/dropout_mask';

/** Elements of one layer direction's [T][B][H] output in the masks drawn here (T = 16, B = 32, H = 32). */
const N = 16 * 32 * 32;
const SEED = 42;
/** Bounds are this many binomial standard deviations: a correct mask lands outside with probability ~6e-7. */
const SIGMAS = 5;

/** The multipliers of one layer direction's output at one training step. */
function mask(step: number, layer: number, dir: number, p: number, seed = SEED): Float64Array {
  const stepSeed = dropoutStepSeed(seed, step), salt = dropoutSalt(layer, dir);
  return Float64Array.from({ length: N }, (_, i) => dropoutKeep(stepSeed, salt, i, p));
}

/** The binomial bound on a share of n draws each true with probability q. */
function bound(q: number, n: number): number {
  return SIGMAS * Math.sqrt((q * (1 - q)) / n);
}

/** '' when the share of kept (non-zero) units of `values` is within the binomial bound of 1 - p; else what is wrong. */
function keepRateProblem(values: ArrayLike<number>, p: number): string {
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) kept++;
  const rate = kept / values.length, b = bound(1 - p, values.length);
  return Math.abs(rate - (1 - p)) <= b ? '' : `kept ${rate.toFixed(4)} of ${values.length}, expected ${(1 - p).toFixed(4)} ± ${b.toExponential(2)}`;
}

/** '' when every value is 0 or exactly float32(1/(1-p)) (within half a float32 ulp of 1/(1-p)); else the first offender. */
function scaleProblem(values: ArrayLike<number>, p: number): string {
  const exact = 1 / (1 - p), f32 = Math.fround(exact);
  if (Math.abs(f32 - exact) > exact * 2 ** -24) return `float32 scale ${f32} is not within half an ulp of ${exact}`;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== f32) return `element ${i} is ${values[i]}, not 0 or ${f32}`;
  return '';
}

/**
 * '' when two masks look independent: the share of units where one keeps and the other drops is within the binomial
 * bound of 2p(1-p) (identical masks disagree nowhere, complementary ones everywhere, and one that reuses half of another's units sits in between).
 */
function correlationProblem(a: ArrayLike<number>, b: ArrayLike<number>, p: number): string {
  let differ = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] === 0) !== (b[i] === 0)) differ++;
  const q = 2 * p * (1 - p), share = differ / a.length, bd = bound(q, a.length);
  return Math.abs(share - q) <= bd ? '' : `they differ on ${share.toFixed(4)} of the units, independent masks on ${q.toFixed(4)} ± ${bd.toExponential(2)}`;
}

const RATES = [0.1, 0.3, 0.5, 0.8];

describe('dropout mask: keep rate', () => {
  for (const p of RATES) {
    it(`p = ${p}: every mask and all of them together keep 1 - p of the units within ${SIGMAS} binomial sigmas`, () => {
      const all: number[] = [];
      let masks = 0;
      for (let step = 1; step <= 8; step++)
        for (let layer = 0; layer < 3; layer++)
          for (let dir = 0; dir < 2; dir++) {
            const m = mask(step, layer, dir, p);
            expect(keepRateProblem(m, p), `step ${step} layer ${layer} dir ${dir}`).toBe('');
            for (const v of m) all.push(v);
            masks++;
          }
      console.log(`[dropout p=${p}] ${masks} masks, ${all.length} draws: kept ${(all.filter((v) => v !== 0).length / all.length).toFixed(5)}`);
      expect(all.length).toBe(48 * N);
      expect(keepRateProblem(all, p)).toBe('');
    });
  }

  it('p = 0 keeps every unit unscaled', () => {
    expect(Array.from(mask(3, 1, 1, 0)).every((v) => v === 1)).toBe(true);
  });

  it('negative controls: a mask drawn at a rate 0.02 off, or one that keeps everything, is rejected', () => {
    for (const p of RATES) {
      const all = [...mask(1, 0, 0, p + 0.02), ...mask(2, 0, 0, p + 0.02), ...mask(3, 1, 0, p + 0.02), ...mask(4, 1, 1, p + 0.02)];
      expect(keepRateProblem(all, p), `p ${p}`).not.toBe('');
      expect(keepRateProblem(new Float64Array(N).fill(1), p)).not.toBe('');
    }
  });
});

describe('dropout mask: scale', () => {
  for (const p of [...RATES, 0.95]) {
    it(`p = ${p}: kept units are scaled by exactly 1/(1-p) in float32, so the mean multiplier is 1`, () => {
      const m = mask(5, 0, 1, p);
      expect(scaleProblem(m, p)).toBe('');
      const kept = m.filter((v) => v !== 0);
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((v) => v === Math.fround(1 / (1 - p)))).toBe(true);
      // inverted dropout leaves the expected activation alone: mean = keep rate × scale ≈ 1
      const mean = m.reduce((s, v) => s + v, 0) / N;
      expect(Math.abs(mean - 1)).toBeLessThanOrEqual(bound(1 - p, N) / (1 - p));
    });
  }

  it('negative controls: kept units left unscaled, scaled by 1-p or by 1/p, or off by one float32 ulp are rejected', () => {
    for (const p of RATES) {
      const m = mask(5, 0, 1, p);
      const f32 = Math.fround(1 / (1 - p));
      expect(scaleProblem(m.map((v) => (v === 0 ? 0 : 1)), p)).not.toBe('');
      expect(scaleProblem(m.map((v) => (v === 0 ? 0 : 1 - p)), p)).not.toBe('');
      if (p !== 0.5) expect(scaleProblem(m.map((v) => (v === 0 ? 0 : 1 / p)), p)).not.toBe('');
      const offByUlp = m.slice();
      offByUlp[offByUlp.findIndex((v) => v !== 0)] = f32 * (1 + 2 ** -23);
      expect(scaleProblem(offByUlp, p)).not.toBe('');
    }
  });
});

describe('dropout mask: a fresh mask per step, layer and direction; the same one again for the same step and layer', () => {
  const p = 0.5;
  const coords: [number, number, number][] = [];
  for (let step = 1; step <= 6; step++) for (let layer = 0; layer < 3; layer++) for (let dir = 0; dir < 2; dir++) coords.push([step, layer, dir]);

  it('every pair of the 36 masks of steps 1-6, layers 0-2 and both directions is uncorrelated', () => {
    const masks = coords.map(([s, l, d]) => mask(s, l, d, p));
    let pairs = 0;
    for (let a = 0; a < masks.length; a++)
      for (let b = a + 1; b < masks.length; b++) {
        expect(correlationProblem(masks[a], masks[b], p), `${coords[a]} vs ${coords[b]}`).toBe('');
        pairs++;
      }
    console.log(`[dropout] ${pairs} pairs of masks compared, none correlated`);
    expect(pairs).toBe((36 * 35) / 2);
  });

  it('each layer direction has its own salt, and each step of a run (and each run seed) its own step seed', () => {
    const salts = new Set<number>();
    for (let l = 0; l < 16; l++) for (let d = 0; d < 2; d++) salts.add(dropoutSalt(l, d));
    expect(salts.size).toBe(32);
    const seeds = new Set<number>();
    for (const seed of [0, 1, 42, 2 ** 31]) for (let step = 1; step <= 1000; step++) seeds.add(dropoutStepSeed(seed, step));
    expect(seeds.size).toBe(4000);
  });

  it('units within a mask are uncorrelated: neighbours in a row, and the same unit at consecutive time steps', () => {
    const m = mask(7, 1, 0, p);
    const H = 32, BH = 32 * 32;
    expect(correlationProblem(m.subarray(0, N - 1), m.subarray(1), p)).toBe('');
    expect(correlationProblem(m.subarray(0, N - BH), m.subarray(BH), p)).toBe('');
    expect(correlationProblem(m.subarray(0, N - H), m.subarray(H), p)).toBe('');
  });

  it('the same seed, step, layer and direction give the same mask, however often and in whatever order it is drawn', () => {
    const forward = coords.map(([s, l, d]) => mask(s, l, d, p));
    const backward = [...coords].reverse().map(([s, l, d]) => mask(s, l, d, p)).reverse();
    forward.forEach((m, k) => expect(Array.from(backward[k]), `${coords[k]}`).toEqual(Array.from(m)));
    // backward recomputes the forward's mask element by element, in any order
    const stepSeed = dropoutStepSeed(SEED, 4), salt = dropoutSalt(1, 1);
    const scattered = Float64Array.from({ length: N }, (_, i) => dropoutKeep(stepSeed, salt, (i * 7919) % N, p));
    const again = mask(4, 1, 1, p);
    expect(Array.from(scattered)).toEqual(Array.from(scattered, (_, i) => again[(i * 7919) % N]));
  });

  it('negative controls: the same mask twice, a mask and its complement, and a half-reused mask are rejected', () => {
    const m = mask(2, 1, 0, p);
    expect(correlationProblem(m, mask(2, 1, 0, p), p)).toMatch(/differ on 0\.0000/);
    expect(correlationProblem(m, m.map((v) => (v === 0 ? 2 : 0)), p)).toMatch(/differ on 1\.0000/);
    // a mask that only half changes from one step to the next (half its units copied) is caught as well
    const half = mask(3, 1, 0, p).map((v, i) => (i % 2 === 0 ? m[i] : v));
    expect(correlationProblem(m, half, p)).not.toBe('');
    // (and another run seed is a fresh mask, as another step is)
    expect(correlationProblem(m, mask(2, 1, 0, p, SEED + 1), p)).toBe('');
  });
});
