// Training panel: optimizer, learning rate and schedule, batch size, epochs, clipping, weight decay, early stopping,
// seed; then Train / Pause / Resume / Stop / Step and the live status.
import { CHOICE_SPECS, KNOB_SPECS } from '../knobs';
import { SessionControls } from '../SessionControls';
import { useAppState } from '../store';
import { TrainingControls } from '../TrainingControls';
import { TrainingStatus } from '../TrainingStatus';
import { ChoiceKnob, NumberKnob } from './KnobInput';

export function TrainingPanel() {
  const locked = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const schedule = useAppState((s) => s.knobs.schedule);
  const optimizer = CHOICE_SPECS.find((c) => c.key === 'optimizer')!;
  const scheduleSpec = CHOICE_SPECS.find((c) => c.key === 'schedule')!;
  const numbers = KNOB_SPECS.filter((k) => k.panel === 'training' && !k.schedules);
  const scheduleKnobs = KNOB_SPECS.filter((k) => k.schedules?.includes(schedule as never));
  return (
    <section className="panel training" aria-labelledby="training-heading">
      <h2 id="training-heading">Training</h2>
      <div className="run">
        <TrainingControls />
        <SessionControls />
        <TrainingStatus />
      </div>
      <ChoiceKnob spec={optimizer} disabled={locked} />
      {numbers.map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
      <ChoiceKnob spec={scheduleSpec} disabled={locked} />
      {scheduleKnobs.map((spec) => (
        <NumberKnob key={spec.key} spec={spec} disabled={locked} />
      ))}
    </section>
  );
}
