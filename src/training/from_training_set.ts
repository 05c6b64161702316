// Adapts the data pipeline's TrainingSet (train / validation splits) to the session's TrainingData.
import type { TrainingSet } from '../data/training_types';
import type { TrainingData } from './types';

/** The train and validation splits of `set`, named for the fingerprint by `names` (file, columns, choices …). */
export function trainingDataOf(set: TrainingSet, names: string[]): TrainingData {
  return {
    names,
    trainX: set.train.x,
    trainY: set.train.y,
    trainCount: set.train.count,
    valX: set.validation.x,
    valY: set.validation.y,
    valCount: set.validation.count,
  };
}
