// Taking a checkpoint from a trainer (weights, optimizer state, loop position) and putting one back.
import type { TrainConfig } from '../engine/config';
import type { TrainingEngine } from '../engine/engine';
import type { Checkpoint } from './types';

export type Position = Omit<Checkpoint, 'version' | 'parameters' | 'optimizer' | 'savedAt'>;

/** Reads the weights and optimizer state (two or three readbacks) and stamps them with the loop position. */
export async function captureCheckpoint(trainer: TrainingEngine, position: Position): Promise<Checkpoint> {
  const parameters = await trainer.readParameters();
  const optimizer = await trainer.readOptimizerState();
  return { version: 1, ...position, history: position.history.slice(), parameters, optimizer, savedAt: Date.now() };
}

/** Puts a checkpoint's weights and optimizer state on the GPU; clears the loss sums and the non-finite flag. */
export function restoreCheckpoint(trainer: TrainingEngine, cp: Checkpoint): void {
  trainer.writeParameters(cp.parameters);
  trainer.writeOptimizerState(cp.optimizer);
  trainer.clearNonFinite();
  trainer.resetLosses();
}

/** Settings that shape the weights and optimizer state: a checkpoint only loads into a model that agrees on all. */
const MODEL_FIELDS = ['cell', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'outputSize', 'headOn', 'vocabSize', 'window', 'optimizer'] as const;

/** Plain-language differences between a checkpoint's model settings and the current ones (empty when they load). */
export function modelDifferences(saved: TrainConfig, now: TrainConfig): string[] {
  return MODEL_FIELDS.filter((k) => saved[k] !== now[k]).map((k) => `${k} was ${String(saved[k])}, now ${String(now[k])}`);
}
