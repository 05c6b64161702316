// Next-token scores of a language model on a split: mean cross-entropy, bits per character (or token) and perplexity.
import { languageMetrics, type LanguageMetrics } from '../data/lm_baselines';
import type { LmTokenLevel } from '../data/lm_tokens';
import type { SplitArrays } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import type { TrainingEngine } from '../engine/engine';

/** Sum of −log softmax(logits)[target] over rows of `logits` ([rows][V], float64 arithmetic). */
export function crossEntropySum(logits: ArrayLike<number>, targets: ArrayLike<number>, V: number): number {
  const rows = targets.length;
  if (logits.length !== rows * V) throw new Error(`${logits.length} logits for ${rows} targets of ${V} tokens.`);
  let nats = 0;
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let k = 0; k < V; k++) max = Math.max(max, logits[r * V + k]);
    let sum = 0;
    for (let k = 0; k < V; k++) sum += Math.exp(logits[r * V + k] - max);
    nats += max + Math.log(sum) - logits[r * V + targets[r]];
  }
  return nats;
}

/** The engine's every-step logits on a split's windows, batch by batch, scored against its next tokens. */
export async function languageScore(engine: TrainingEngine, config: TrainConfig, split: SplitArrays, level: LmTokenLevel): Promise<LanguageMetrics | null> {
  if (split.count === 0) return null;
  if (config.headOn !== 'every_step') throw new Error('A language model needs its head on every step.');
  const T = config.window, V = config.outputSize;
  let nats = 0;
  for (let from = 0; from < split.count; from += config.batchSize) {
    const n = Math.min(config.batchSize, split.count - from);
    const logits = await engine.predict(split.x.subarray(from * T, (from + n) * T), n);
    nats += crossEntropySum(logits, split.y.subarray(from * T, (from + n) * T), V);
  }
  return languageMetrics(split.count * T, nats, level);
}
