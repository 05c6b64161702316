// Model panel: cell, layers, hidden size, bidirectional, dropout and head, with a one-line size and memory estimate.
import { everyStepProblem } from '../../data/step_targets';
import { CHOICE_SPECS, KNOB_SPECS } from '../knobs';
import { modelSizeLine } from '../model_size';
import { useAppState } from '../store';
import { BidirectionalKnob, ChoiceKnob, NumberKnob } from './KnobInput';

export function ModelPanel() {
  const locked = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const knobs = useAppState((s) => s.knobs);
  const set = useAppState((s) => s.data?.set ?? null);
  const size = modelSizeLine(knobs, set);
  const cell = CHOICE_SPECS.find((c) => c.key === 'cell')!;
  const head = CHOICE_SPECS.find((c) => c.key === 'headOn')!;
  const numbers = KNOB_SPECS.filter((k) => k.panel === 'model');
  return (
    <section className="panel knobs" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <ChoiceKnob spec={cell} disabled={locked} />
      {numbers.slice(0, 2).map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
      <BidirectionalKnob disabled={locked} />
      {numbers.slice(2).map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
      <ChoiceKnob spec={head} disabled={locked} unavailable={{ every_step: set ? everyStepProblem(set) : null }} />
      <p className="model-size" data-testid="model-size" data-params={size.params ?? ''}>
        {size.text}
      </p>
    </section>
  );
}
