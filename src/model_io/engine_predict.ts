// Runs a model's weights on many inputs: an engine with the weights written in, predicting in batches.
import type { TrainConfig } from '../engine/config';
import type { TrainingEngine } from '../engine/engine';
import type { BuildEngine } from '../training/engine_factory';
import { RecurrentTrainer } from '../engine/recurrent_trainer';
import { lastStepOutputs } from '../data/step_targets';
import type { NamedTensor } from '../engine/tensor';

/** Head outputs [count][outputSize] of inputs x [count][…] on an engine, config.batchSize samples at a time. A head on
 *  every step gives its last step's outputs: the forecast after the whole window, as a last-step head does. */
export async function predictInBatches(trainer: TrainingEngine, config: TrainConfig, x: Float32Array, count: number): Promise<Float32Array> {
  const out = new Float32Array(count * config.outputSize);
  if (count === 0) return out;
  const width = x.length / count;
  if (!Number.isInteger(width)) throw new Error(`${x.length} input values do not split into ${count} samples.`);
  for (let from = 0; from < count; from += config.batchSize) {
    const n = Math.min(config.batchSize, count - from);
    const y = await trainer.predict(x.subarray(from * width, (from + n) * width), n);
    out.set(config.headOn === 'every_step' ? lastStepOutputs(y, n, config.window, config.outputSize) : y, from * config.outputSize);
  }
  return out;
}

/** Builds a trainer on `device` for `config`, loads `params`, predicts every input and frees the trainer. */
export function predictWithWeights(device: GPUDevice, config: TrainConfig, params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array> {
  return predictWithEngine((c) => RecurrentTrainer.create(device, c), config, params, x, count);
}

/** predictWithWeights on an engine from `build` (an EngineFactory's: WebGPU or the CPU engine). */
export async function predictWithEngine(build: BuildEngine, config: TrainConfig, params: NamedTensor[], x: Float32Array, count: number): Promise<Float32Array> {
  const trainer = await build(config);
  try {
    trainer.writeParameters(params);
    return await predictInBatches(trainer, config, x, count);
  } finally {
    trainer.dispose();
  }
}
