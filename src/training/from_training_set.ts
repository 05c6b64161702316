// Adapts the data pipeline's TrainingSet (train / validation splits) to the session's TrainingData.
import { targetsFor } from '../data/step_targets';
import { mixesTime } from '../data/target_transform';
import type { TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import type { TrainingData } from './types';

/** The train and validation splits of `set`, named for the fingerprint by `names` (file, columns, choices …), with
 *  targets for a head on `headOn` (per step for every_step). */
export function trainingDataOf(set: TrainingSet, names: string[], headOn: TrainConfig['headOn'] = 'last_step'): TrainingData {
  return {
    names,
    trainX: set.train.x,
    trainY: targetsFor(set, set.train, headOn),
    trainCount: set.train.count,
    valX: set.validation.x,
    valY: targetsFor(set, set.validation, headOn),
    valCount: set.validation.count,
    startAtBaseline: set.transform !== undefined && mixesTime(set.transform.name),
  };
}
