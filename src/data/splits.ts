// Train / validation / test splits: time-ordered cut points for series, and a seeded stratified split for classes.
import { DataError } from './data_error';
import { Prng } from '../util/prng';

export type SplitName = 'train' | 'validation' | 'test';

/** Checks the two fractions: each in [0, 1), validation above 0, and together leaving most rows for training. */
export function checkFractions(valFraction: number, testFraction: number): void {
  if (!(valFraction > 0 && valFraction < 1)) {
    throw new DataError(`The validation fraction must be above 0 and below 1 (got ${valFraction}).`);
  }
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new DataError(`The test fraction must be at least 0 and below 1 (got ${testFraction}).`);
  }
  if (valFraction + testFraction > 0.9) {
    throw new DataError(
      `The validation (${valFraction}) and test (${testFraction}) fractions add up to ${valFraction + testFraction}; keep them under 0.9 in total so there is data left to train on.`,
    );
  }
}

/**
 * Positions where validation and test begin in a series of `length` steps: [0, trainEnd) trains,
 * [trainEnd, validationEnd) validates, the rest tests.
 */
export function timeCuts(length: number, valFraction: number, testFraction: number): { trainEnd: number; validationEnd: number } {
  return {
    trainEnd: Math.floor(length * (1 - valFraction - testFraction)),
    validationEnd: Math.floor(length * (1 - testFraction)),
  };
}

/**
 * Assigns samples to splits keeping each class's share: a class of n samples sends floor or ceil of n × fraction to
 * each split (whole samples given to the splits with the largest remainders), so every split is within one sample of
 * its exact share; a class keeps at least one training sample. Which samples go where is random with the seed.
 * Returns the split of every sample.
 */
export function stratifiedSplit(classIds: ArrayLike<number>, classCount: number, valFraction: number, testFraction: number, seed: number): SplitName[] {
  const members: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < classIds.length; i++) members[classIds[i]].push(i);
  const out: SplitName[] = new Array(classIds.length).fill('train');
  const rng = new Prng(seed);
  members.forEach((indexes) => {
    const [, nVal, nTest] = classShares(indexes.length, valFraction, testFraction);
    const order = Uint32Array.from(indexes);
    rng.shuffle(order);
    for (let k = 0; k < order.length; k++) out[order[k]] = k < nTest ? 'test' : k < nTest + nVal ? 'validation' : 'train';
  });
  return out;
}

/** [train, validation, test] counts for a class of n samples: largest-remainder rounding, then at least one to train. */
function classShares(n: number, valFraction: number, testFraction: number): [number, number, number] {
  const exact = [n * (1 - valFraction - testFraction), n * valFraction, n * testFraction];
  const counts = exact.map(Math.floor) as [number, number, number];
  const bumped = [false, false, false];
  let left = n - counts[0] - counts[1] - counts[2];
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const part of order) {
    if (left <= 0) break;
    counts[part]++;
    bumped[part] = true;
    left--;
  }
  if (counts[0] === 0 && n > 0) {
    // Take the sample from a split that was rounded up, so it stays within one of its share.
    const from = bumped[1] ? 1 : bumped[2] ? 2 : counts[1] >= counts[2] ? 1 : 2;
    counts[from]--;
    counts[0]++;
  }
  return counts;
}
