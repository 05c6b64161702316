// The one-line model size: parameters and the GPU memory estimate for the knobs on the loaded training set.
import { estimateMemory } from '../engine/network_buffers';
import { paramLayout } from '../engine/param_layout';
import type { SetSummary } from '../worker/protocol';
import { formatBytes } from './format';
import { knobsToConfig, type Knobs } from './knobs';
import { everyStepProblem } from '../data/step_targets';

export function modelSizeLine(knobs: Knobs, set: SetSummary | null): { text: string; params: number | null } {
  const { config, problems } = knobsToConfig(knobs);
  if (problems.length > 0) return { text: 'Fix the settings above to see the model size.', params: null };
  if (!set) return { text: 'Load data to see the model size.', params: null };
  const headOn = everyStepProblem(set) === null ? config.headOn : 'last_step';
  const c = { ...config, inputSize: set.inputSize, outputSize: set.outputSize, vocabSize: set.vocabSize, window: set.window, loss: set.loss, headOn };
  const params = paramLayout(c).total;
  const mem = estimateMemory(c);
  return { text: `${params.toLocaleString('en-US')} parameters · about ${formatBytes(mem.totalBytes)} of GPU memory at batch ${c.batchSize}`, params };
}
