// Writing text from a language model: seeded sampling with temperature, top-k and top-p (mirrored in load_in_pytorch.py).
import type { LmTokenLevel } from '../data/lm_tokens';
import { lmDetokenize, lmTokenize } from '../data/lm_tokens';
import { Prng } from '../util/prng';
import type { TokenStepper } from './step_model';

export interface SampleOptions {
  /** Tokens to write after the priming text. */
  length: number;
  /** Divides the logits before the softmax; 0 means greedy (always the most likely token). */
  temperature: number;
  /** Keep only the k most likely tokens (0: all). */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p (1: all). */
  topP: number;
  /** Seeds the sampler's mulberry32 stream (src/util/prng.ts): same seed and weights, same sample. */
  seed: number;
}

export const DEFAULT_SAMPLE: SampleOptions = { length: 300, temperature: 0.8, topK: 0, topP: 1, seed: 1 };

/** Problems with sampling options, in words (empty when valid). */
export function sampleProblems(o: SampleOptions): string[] {
  const out: string[] = [];
  if (!Number.isInteger(o.length) || o.length < 1 || o.length > 100_000) out.push(`the length must be a whole number from 1 to 100000 (got ${o.length})`);
  if (!Number.isFinite(o.temperature) || o.temperature < 0 || o.temperature > 10) out.push(`the temperature must be from 0 (greedy) to 10 (got ${o.temperature})`);
  if (!Number.isInteger(o.topK) || o.topK < 0) out.push(`top-k must be a whole number, 0 for off (got ${o.topK})`);
  if (!Number.isFinite(o.topP) || o.topP <= 0 || o.topP > 1) out.push(`top-p must be above 0 and at most 1 (got ${o.topP})`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) out.push(`the seed must be a whole number from 0 to 4294967295 (got ${o.seed})`);
  return out;
}

/**
 * The next token from `logits`. Ids in `banned` (padding, unknown) are never chosen. Greedy (temperature 0): the
 * largest logit, the lowest id on ties. Otherwise: softmax of logits / temperature in float64; ids sorted by
 * probability, highest first (ties: lower id first); the first topK kept (0: all); then the shortest prefix whose
 * cumulative probability reaches topP; one uniform draw u = rng.next() · (kept total), and the first id whose
 * running sum exceeds u.
 */
export function pickToken(logits: ArrayLike<number>, o: Pick<SampleOptions, 'temperature' | 'topK' | 'topP'>, rng: Prng, banned: ReadonlySet<number> = new Set()): number {
  const V = logits.length;
  const ids: number[] = [];
  for (let i = 0; i < V; i++) if (!banned.has(i)) ids.push(i);
  if (ids.length === 0) throw new Error('Every token is banned from sampling.');
  if (o.temperature === 0) {
    let best = ids[0];
    for (const i of ids) if (logits[i] > logits[best]) best = i;
    return best;
  }
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logits[i] / o.temperature);
  const p = new Float64Array(V);
  let sum = 0;
  for (const i of ids) sum += p[i] = Math.exp(logits[i] / o.temperature - max);
  for (const i of ids) p[i] /= sum;
  ids.sort((a, b) => p[b] - p[a] || a - b);
  let kept = o.topK > 0 ? ids.slice(0, o.topK) : ids;
  if (o.topP < 1) {
    let cumulative = 0;
    let n = 0;
    while (n < kept.length && cumulative < o.topP) cumulative += p[kept[n++]];
    kept = kept.slice(0, Math.max(1, n));
  }
  let total = 0;
  for (const i of kept) total += p[i];
  const u = rng.next() * total;
  let running = 0;
  for (const i of kept) {
    running += p[i];
    if (running > u) return i;
  }
  return kept[kept.length - 1];
}

export interface LmVocabulary {
  tokens: readonly string[];
  level: LmTokenLevel;
  padId: number;
  unknownId: number;
}

/** Ids of the priming text; an empty prime starts from a line break when the vocabulary has one, else from token 2. */
export function primeIds(prime: string, v: LmVocabulary): number[] {
  const index = new Map(v.tokens.map((t, i) => [t, i]));
  const ids = lmTokenize(prime, v.level).map((t) => index.get(t) ?? v.unknownId);
  if (ids.length > 0) return ids;
  return [index.get('\n') ?? Math.min(2, v.tokens.length - 1)];
}

export interface Sample {
  /** The written text (the prime not included). */
  text: string;
  ids: number[];
}

/**
 * Primes `model` (from a zero state) with `prime`, then writes `length` tokens, each picked from the logits after the
 * one before and fed back in. Padding and unknown tokens are never written.
 */
export function sampleText(model: TokenStepper, v: LmVocabulary, prime: string, o: SampleOptions): Sample {
  const problems = sampleProblems(o);
  if (problems.length > 0) throw new Error(`Cannot sample: ${problems.join('; ')}.`);
  if (model.vocabSize !== v.tokens.length) throw new Error(`The model predicts ${model.vocabSize} tokens but the vocabulary has ${v.tokens.length}.`);
  const rng = new Prng(o.seed);
  const banned = new Set([v.padId, v.unknownId]);
  model.reset();
  let logits: Float64Array = new Float64Array(0);
  for (const id of primeIds(prime, v)) logits = model.step(id);
  const ids: number[] = [];
  for (let n = 0; n < o.length; n++) {
    const id = pickToken(logits, o, rng, banned);
    ids.push(id);
    if (n < o.length - 1) logits = model.step(id);
  }
  return { text: lmDetokenize(ids.map((i) => v.tokens[i]), v.level), ids };
}
