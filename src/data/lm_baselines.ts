// Language-model baselines on the same split: a unigram model and a Witten-Bell smoothed bigram model, in bits per token.
import type { LmTokenLevel } from './lm_tokens';

/** How well a model predicts the next token of a split: mean cross-entropy and what language modellers quote. */
export interface LanguageMetrics {
  /** Next-token predictions scored. */
  count: number;
  /** Mean cross-entropy in nats per token (the training loss). */
  loss: number;
  /** loss / ln 2 for character tokens (bitsPerChar) or word tokens (bitsPerToken). */
  bitsPerChar?: number;
  bitsPerToken?: number;
  /** exp(loss). */
  perplexity: number;
}

export interface LanguageBaseline {
  name: 'unigram' | 'bigram';
  description: string;
  validation: LanguageMetrics | null;
  test: LanguageMetrics | null;
}

/** The metrics of `count` predictions whose negative log-likelihoods sum to `nats`; null when there are none. */
export function languageMetrics(count: number, nats: number, level: LmTokenLevel): LanguageMetrics | null {
  if (count === 0) return null;
  const loss = nats / count;
  const bits = loss / Math.LN2;
  return { count, loss, ...(level === 'char' ? { bitsPerChar: bits } : { bitsPerToken: bits }), perplexity: Math.exp(loss) };
}

/** Bits per token of a metrics entry, whichever level it was measured at. */
export function bitsOf(m: LanguageMetrics): number {
  return m.bitsPerChar ?? m.bitsPerToken ?? m.loss / Math.LN2;
}

/** Next-token pairs of a split: `previous[i]` is the token before `next[i]`. */
export interface TokenPairs {
  previous: ArrayLike<number>;
  next: ArrayLike<number>;
}

/**
 * Unigram (add-one smoothed training frequencies) and bigram (Witten-Bell interpolation with that unigram:
 * P(b|a) = (c(a,b) + N₁₊(a)·P(b)) / (c(a) + N₁₊(a)), N₁₊(a) the distinct tokens seen after a) models fitted on the
 * training token ids, scored on exactly the predictions the network is scored on.
 */
export function languageBaselines(train: ArrayLike<number>, vocabSize: number, validation: TokenPairs, test: TokenPairs, level: LmTokenLevel): LanguageBaseline[] {
  const V = vocabSize;
  const unigramCounts = new Float64Array(V);
  for (let i = 0; i < train.length; i++) unigramCounts[train[i]]++;
  const unigram = Float64Array.from(unigramCounts, (c) => (c + 1) / (train.length + V));
  const pairs = new Map<number, number>();
  const after = new Float64Array(V);
  const distinctAfter = new Float64Array(V);
  for (let i = 1; i < train.length; i++) {
    const key = train[i - 1] * V + train[i];
    const c = pairs.get(key) ?? 0;
    if (c === 0) distinctAfter[train[i - 1]]++;
    pairs.set(key, c + 1);
    after[train[i - 1]]++;
  }
  const bigram = (a: number, b: number) => {
    const n = distinctAfter[a];
    if (after[a] === 0) return unigram[b];
    return ((pairs.get(a * V + b) ?? 0) + n * unigram[b]) / (after[a] + n);
  };
  const score = (split: TokenPairs, p: (a: number, b: number) => number) => {
    let nats = 0;
    for (let i = 0; i < split.next.length; i++) nats -= Math.log(p(split.previous[i], split.next[i]));
    return languageMetrics(split.next.length, nats, level);
  };
  const unit = level === 'char' ? 'character' : 'token';
  return [
    {
      name: 'unigram',
      description: `Predicts each ${unit} from its frequency in training (add-one smoothed), ignoring what came before.`,
      validation: score(validation, (_a, b) => unigram[b]),
      test: score(test, (_a, b) => unigram[b]),
    },
    {
      name: 'bigram',
      description: `Predicts each ${unit} from the one before it (training pair counts, Witten-Bell smoothed with the unigram).`,
      validation: score(validation, bigram),
      test: score(test, bigram),
    },
  ];
}
