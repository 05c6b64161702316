// The head on every step, for forecasting with horizon 1: step t of a window predicts the value right after it, so
// its targets are the window's own next inputs, and the last step's target is the window's target.
import { mixesTime, type TransformName } from './target_transform';
import type { SplitArrays, TrainingSet } from './training_types';

/** Why `set` cannot train a head on every step, or null when it can. */
export function everyStepProblem(set: { task: TrainingSet['task']; horizon?: number | null; transform?: { name: TransformName } }): string | null {
  if (set.task === 'generate') return null; // its y already holds the next token of every step
  if (set.task !== 'forecast') return 'A head on every step needs a target at every step; only forecasting has one (a classified sequence has one label).';
  const horizon = set.horizon ?? 1;
  if (horizon !== 1) return `A head on every step predicts the value right after each step: set the horizon to 1 (it is ${horizon}).`;
  const transform = set.transform?.name;
  if (transform !== undefined && mixesTime(transform)) return `A head on every step predicts each next value from the inputs, which the ${transform} transform makes relative to the window: choose the transform none or log.`;
  return null;
}

/**
 * Per-step targets [count][window][targets] of a horizon-1 forecast split. Step t < window - 1 gets the target
 * columns' values at step t + 1, which are the window's first `targets` input features (targets come first among a
 * forecast set's features, with the same normalization); the last step gets the window's own target.
 */
export function everyStepTargets(split: Pick<SplitArrays, 'count' | 'x' | 'y'>, window: number, inputSize: number, targets: number): Float32Array {
  const { count, x, y } = split;
  if (x.length !== count * window * inputSize) throw new Error(`x holds ${x.length} values, not ${count}·${window}·${inputSize}`);
  if (y.length !== count * targets) throw new Error(`y holds ${y.length} values, not ${count}·${targets} (horizon 1)`);
  if (targets > inputSize) throw new Error(`${targets} targets cannot be among ${inputSize} input features`);
  const out = new Float32Array(count * window * targets);
  for (let s = 0; s < count; s++) {
    for (let t = 0; t < window; t++) {
      const to = (s * window + t) * targets;
      if (t < window - 1) out.set(x.subarray((s * window + t + 1) * inputSize, (s * window + t + 1) * inputSize + targets), to);
      else out.set(y.subarray(s * targets, (s + 1) * targets), to);
    }
  }
  return out;
}

/** The last step's outputs [count][outputSize] of every-step outputs [count][window][outputSize]. */
export function lastStepOutputs(out: Float32Array, count: number, window: number, outputSize: number): Float32Array {
  if (out.length !== count * window * outputSize) throw new Error(`${out.length} outputs are not ${count}·${window}·${outputSize}`);
  const last = new Float32Array(count * outputSize);
  for (let s = 0; s < count; s++) last.set(out.subarray(((s + 1) * window - 1) * outputSize, (s + 1) * window * outputSize), s * outputSize);
  return last;
}

/** The targets a head on `headOn` trains on, per sample of `split` (the split's own y for the last step). */
export function targetsFor(
  set: Pick<TrainingSet, 'task' | 'horizon' | 'window' | 'inputSize' | 'outputSize'>,
  split: Pick<SplitArrays, 'count' | 'x' | 'y'>,
  headOn: 'last_step' | 'every_step',
): Float32Array {
  if (headOn === 'last_step' || set.task === 'generate') return split.y;
  const problem = everyStepProblem(set);
  if (problem) throw new Error(problem);
  return everyStepTargets(split, set.window, set.inputSize, set.outputSize);
}
