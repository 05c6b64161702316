// The check every engine's setClassWeights makes: one finite, non-negative weight per class, and only where the config asks.
import type { TrainConfig } from './config';

/** The weights as the engine keeps them (a copy), or an error a caller can act on. */
export function checkedClassWeights(c: TrainConfig, weights: ArrayLike<number>): Float32Array {
  if (c.classWeights !== 'balanced') throw new Error(`class weights were given, but the settings say classWeights '${c.classWeights}'`);
  if (weights.length !== c.outputSize) throw new Error(`class weights: ${weights.length} weights for ${c.outputSize} classes`);
  for (let i = 0; i < weights.length; i++) {
    if (!(Number.isFinite(weights[i]) && weights[i] >= 0)) throw new Error(`class weight ${i} must be a finite number of at least 0, got ${weights[i]}`);
  }
  return Float32Array.from(weights);
}

/** The engines refuse to step a 'balanced' model before its weights are given, rather than train it unweighted. */
export function requireClassWeights(c: TrainConfig, weights: Float32Array | null): void {
  if (c.classWeights === 'balanced' && !weights) throw new Error("classWeights is 'balanced' but no class weights were given (setClassWeights, from the training split's class counts)");
}
