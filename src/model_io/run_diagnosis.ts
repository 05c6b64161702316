// The diagnosis of a headless run (metrics.json `diagnosis`): the recorder the session's snapshots feed, then one
// gate probe of the first validation sequence and the final validation score, checked once the run has ended.
import { targetsFor } from '../data/step_targets';
import type { TrainingSet } from '../data/training_types';
import type { TrainConfig } from '../engine/config';
import type { BuildEngine } from '../training/engine_factory';
import type { NamedTensor } from '../engine/tensor';
import { sampleWidths } from '../training/batches';
import { dataFacts, probeFacts } from '../training/diagnosis_facts';
import { DiagnosisRecorder } from '../training/diagnosis_recorder';
import type { Finding, ProbeFacts, ValidationScore } from '../training/diagnosis_types';
import type { EndReason, EpochRecord } from '../training/types';

export function runRecorder(config: TrainConfig, patience: number, set: TrainingSet): DiagnosisRecorder {
  return new DiagnosisRecorder({ ...config, patience }, dataFacts(set), set.baselines);
}

/** The score the baselines compare with: MSE in original units, or accuracy; null for other metrics. */
function scoreOf(v: object | null): ValidationScore | null {
  if (v && 'mse' in v && typeof v.mse === 'number') return { mse: v.mse };
  if (v && 'accuracy' in v && typeof v.accuracy === 'number') return { accuracy: v.accuracy };
  return null;
}

/** Gate activations and gradient flow of the first validation sequence in layer 1 (null when its targets do not fit). */
async function firstProbe(build: BuildEngine, config: TrainConfig, set: TrainingSet, params: NamedTensor[], epoch: number): Promise<ProbeFacts | null> {
  const v = set.validation;
  if (v.count === 0) return null;
  const w = sampleWidths(config);
  const x = v.x.slice(0, w.x);
  const perSample = v.y.length / v.count;
  const y = targetsFor(set, { count: 1, x, y: v.y.slice(0, perSample) }, config.headOn);
  if (y.length !== w.y) return null;
  const trainer = await build(config);
  try {
    trainer.writeParameters(params);
    const p = await trainer.probe(x, y, 0, 0);
    const c = config;
    return probeFacts({ epoch, cell: c.cell, layer: 0, direction: 0, window: c.window, hidden: c.hiddenSize, names: p.names, values: p.names.map((n) => p.values[n]), gradNorm: p.gradNorm });
  } finally {
    trainer.dispose();
  }
}

/** The findings of the ended run, with the trained weights' probe and the final validation score. */
export async function finalDiagnosis(
  recorder: DiagnosisRecorder,
  run: { build: BuildEngine; config: TrainConfig; set: TrainingSet; params: NamedTensor[]; history: EpochRecord[]; reason: EndReason; validation: object | null },
): Promise<Finding[]> {
  recorder.noteValidation(scoreOf(run.validation));
  const probe = await firstProbe(run.build, run.config, run.set, run.params, run.history.at(-1)?.epoch ?? 0);
  if (probe) recorder.noteProbe(probe);
  return recorder.diagnose(run.history, true, run.reason);
}
