// Training panel: optimizer, learning rate and schedule, batch size, epochs, clipping, weight decay, early stopping,
// seed, class weights (classifiers) (Train / Pause / Resume / Stop / Step and the live status sit in the run bar, ControlsBar.tsx).
import { CHOICE_SPECS, KNOB_SPECS } from '../knobs';
import { useAppState } from '../store';
import { ChoiceKnob, NumberKnob } from './KnobInput';

export function TrainingPanel() {
  const locked = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const schedule = useAppState((s) => s.knobs.schedule);
  const optimizer = CHOICE_SPECS.find((c) => c.key === 'optimizer')!;
  const scheduleSpec = CHOICE_SPECS.find((c) => c.key === 'schedule')!;
  const classWeights = CHOICE_SPECS.find((c) => c.key === 'classWeights')!;
  const set = useAppState((s) => s.data?.set ?? null);
  const notClassifier = set && set.task !== 'classify-sequences' && set.task !== 'classify-text' ? 'Class weights are for classifiers (cross-entropy on the last step).' : null;
  const numbers = KNOB_SPECS.filter((k) => k.panel === 'training' && !k.schedules);
  const scheduleKnobs = KNOB_SPECS.filter((k) => k.schedules?.includes(schedule as never));
  return (
    <section className="panel training" aria-labelledby="training-heading">
      <h2 id="training-heading">Training</h2>
      <ChoiceKnob spec={optimizer} disabled={locked} />
      {numbers.map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
      <ChoiceKnob spec={scheduleSpec} disabled={locked} />
      {scheduleKnobs.map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
      <ChoiceKnob spec={classWeights} disabled={locked} unavailable={{ balanced: notClassifier }} />
    </section>
  );
}
