// Applies a diagnosis finding's settings in one click: model and training knobs, and data choices (window,
// target transform), through the same controller paths a person's edits take.
import { isTransformName } from '../data/index';
import type { AdvicePatch } from '../training/diagnosis_types';
import { setForm, setKnob } from './controller';
import type { DataForm } from './data_choices';
import type { KnobKey } from './knobs';

const KNOB_FIELDS = ['cell', 'hiddenSize', 'numLayers', 'dropout', 'learningRate', 'epochs', 'clipNorm', 'weightDecay', 'patience', 'classWeights'] as const satisfies readonly (keyof AdvicePatch & KnobKey)[];

/** Why the page cannot apply this patch (null when it can). */
export function applyProblem(patch: AdvicePatch, form: DataForm): string | null {
  if (patch.transform !== undefined && form.task !== 'forecast') return 'A target transform applies to forecasts only.';
  if (patch.window !== undefined && form.task === 'classify-sequences' && form.format === 'wide') return 'The window of wide sequences is fixed by their columns.';
  if (patch.classWeights !== undefined && form.task !== 'classify-sequences' && form.task !== 'classify-text') return 'Class weights apply to classifiers only.';
  return null;
}

/** The patch in words, for the button's label ("learning rate 0.01", "cell LSTM"). */
export function describePatch(patch: AdvicePatch): string {
  const names: Record<keyof AdvicePatch, string> = {
    cell: 'cell', hiddenSize: 'hidden size', numLayers: 'layers', dropout: 'dropout', learningRate: 'learning rate', epochs: 'epochs',
    clipNorm: 'gradient clipping', weightDecay: 'weight decay', patience: 'early stopping patience', window: 'window', transform: 'transform',
    classWeights: 'class weights',
  };
  return (Object.keys(patch) as (keyof AdvicePatch)[])
    .map((k) => `${names[k]} ${k === 'cell' ? String(patch[k]).toUpperCase() : String(patch[k])}`)
    .join(', ');
}

/** Sets every value of the patch; the next Train uses them. */
export function applyAdvice(patch: AdvicePatch): void {
  for (const k of KNOB_FIELDS) {
    const v = patch[k];
    if (v !== undefined) setKnob(k, String(v));
  }
  const form: Partial<DataForm> = {};
  if (patch.window !== undefined) form.window = String(patch.window);
  if (patch.transform !== undefined && isTransformName(patch.transform)) form.transform = patch.transform;
  if (Object.keys(form).length > 0) setForm(form);
}
