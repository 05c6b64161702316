// The common scale a search ranks its trials on when the forecast transform varies: the validation MSE of a trial's
// decoded forecasts in the target's normalized original units, the units a run without a transform has as its loss.
//
// Each transform trains on its own scale (differences divided by their RMS, logs, …), so the training losses of two
// transforms do not compare. Decoded to original units and divided by the target's own normalization scale b_k (the
// one transform 'none' trains on, fitted on the training part), every trial's error is in the same units:
//   loss = mean over validation samples and outputs of ((decode(out) − actual) / b_k)²,
// which for transform 'none' is exactly its normalized MSE (decode(out) − actual = b_k · (out − y)).
import type { Scaling } from '../data/scaling';
import { decodeForecast, type ForecastDecoder } from '../data/target_transform';
import type { TrainingSet } from '../data/training_types';
import type { TrainingEngine } from '../engine/engine';
import { dataKey, type TrialSettings, type VarySpec } from './tune_space';

/** What it takes to score one trial's validation outputs on the common scale. */
export interface RankScale {
  /** The trial's validation decoder: head outputs → original units. */
  decoder: ForecastDecoder;
  /** The validation targets in original units ([count][horizon][targets]). */
  actual: Float64Array;
  /** 1 / b_k per target column: the target's normalization scale without a transform. */
  inverseScale: Float64Array;
}

/**
 * The common scale of a forecast set's validation part; `reference` holds the target columns' normalization without
 * a transform (from a set built with transform 'none': the same training part, so the same fit for every trial).
 */
export function rankScaleOf(set: TrainingSet, reference: Scaling[]): RankScale {
  const decoder = set.validation.decoder;
  if (!decoder) throw new Error('rankScaleOf: only a forecast set has decoded outputs to rank on a common scale.');
  if (reference.length !== decoder.scale.length) throw new Error(`rankScaleOf: ${reference.length} reference scalings for ${decoder.scale.length} targets.`);
  return { decoder, actual: decodeForecast(set.validation.y, decoder), inverseScale: Float64Array.from(reference, (r) => 1 / r.scale) };
}

/** The mean squared error of head outputs `out` ([count][outputSize], the trial's own scale) on the common scale. */
export function rankLoss(out: ArrayLike<number>, s: RankScale): number {
  const y = decodeForecast(out, s.decoder);
  const K = s.inverseScale.length;
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += ((y[i] - s.actual[i]) * s.inverseScale[i % K]) ** 2;
  return y.length > 0 ? sum / y.length : NaN;
}

/** The common-scale validation loss of the weights loaded into `engine`: validation inputs `x` of `count` samples,
 *  `batch` at a time (at most the engine's batch size). */
export async function rankLossOn(engine: TrainingEngine, x: Float32Array, count: number, batch: number, s: RankScale): Promise<number> {
  const width = x.length / count;
  const outputs = s.decoder.offset.length / count;
  const out = new Float32Array(count * outputs);
  for (let from = 0; from < count; from += batch) {
    const n = Math.min(batch, count - from);
    out.set(await engine.predict(x.subarray(from * width, (from + n) * width), n), from * outputs);
  }
  return rankLoss(out, s);
}

/**
 * Where `space` varies the transform: builds the set of every listed transform first (so one the data cannot take,
 * such as log on values ≤ 0, is refused before training, by `setOf`'s error), and returns each trial's common scale
 * (null for transform none, whose own loss is on it already). Undefined where the transform does not vary.
 * `setOf` gives a trial's training set (the same one for the same data settings).
 */
export function transformRanking(space: VarySpec[], setOf: (s: TrialSettings) => TrainingSet): ((s: TrialSettings) => RankScale | null) | undefined {
  const varied = space.find((v) => v.name === 'transform');
  if (!varied) return undefined;
  if (varied.domain.kind === 'list') for (const t of varied.domain.values) setOf({ transform: t });
  const none = setOf({ transform: 'none' });
  if (!none.normalization) throw new Error('transformRanking: a forecast set has a normalization.');
  const reference = none.normalization.targets;
  const scales = new Map<string, RankScale>();
  return (s) => {
    if (s.transform === 'none') return null;
    const key = dataKey(s);
    if (!scales.has(key)) scales.set(key, rankScaleOf(setOf(s), reference));
    return scales.get(key)!;
  };
}
