// Model knobs: labelled inputs for hidden size, window, epochs, learning rate and batch size.
import { setKnob } from './controller';
import { KNOB_SPECS } from './knobs';
import { useAppState } from './store';

export function KnobsPanel() {
  const knobs = useAppState((s) => s.knobs);
  const state = useAppState((s) => s.training.state);
  const locked = state === 'training' || state === 'paused';
  return (
    <section className="panel knobs" aria-labelledby="knobs-heading">
      <h2 id="knobs-heading">Model</h2>
      {KNOB_SPECS.map((spec) => (
        <div className="field" key={spec.key}>
          <label className="field-label" htmlFor={`knob-${spec.key}`}>
            {spec.label}
          </label>
          <input
            id={`knob-${spec.key}`}
            type="number"
            inputMode={spec.integer ? 'numeric' : 'decimal'}
            min={spec.min}
            max={spec.max}
            step={spec.integer ? 1 : 'any'}
            value={knobs[spec.key]}
            disabled={locked}
            aria-describedby={`knob-${spec.key}-hint`}
            onChange={(e) => setKnob(spec.key, e.currentTarget.value)}
          />
          <small id={`knob-${spec.key}-hint`} className="hint">
            {spec.hint}
          </small>
        </div>
      ))}
    </section>
  );
}
