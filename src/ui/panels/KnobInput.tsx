// One labelled knob: a number input, a native select, or the bidirectional checkbox.
import { setKnob } from '../controller';
import { type ChoiceSpec, type KnobSpec } from '../knobs';
import { useAppState } from '../store';

export function NumberKnob({ spec, disabled }: { spec: KnobSpec; disabled: boolean }) {
  const value = useAppState((s) => s.knobs[spec.key]);
  const id = `knob-${spec.key}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {spec.label}
      </label>
      <input
        id={id}
        type="number"
        inputMode={spec.integer ? 'numeric' : 'decimal'}
        min={spec.min}
        max={spec.max}
        step={spec.integer ? 1 : 'any'}
        value={value}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setKnob(spec.key, e.currentTarget.value)}
      />
      <small id={`${id}-hint`} className="hint">
        {spec.hint}
      </small>
    </div>
  );
}

export function ChoiceKnob({ spec, disabled }: { spec: ChoiceSpec; disabled: boolean }) {
  const value = useAppState((s) => s.knobs[spec.key]);
  const id = `knob-${spec.key}`;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {spec.label}
      </label>
      <select id={id} data-testid={spec.testId} value={value} disabled={disabled} onChange={(e) => setKnob(spec.key, e.currentTarget.value)}>
        {spec.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function BidirectionalKnob({ disabled }: { disabled: boolean }) {
  const value = useAppState((s) => s.knobs.bidirectional);
  return (
    <div className="field">
      <label className="field-label" htmlFor="knob-bidirectional">
        Bidirectional
      </label>
      <input id="knob-bidirectional" type="checkbox" checked={value === 'true'} disabled={disabled} onChange={(e) => setKnob('bidirectional', String(e.currentTarget.checked))} />
    </div>
  );
}
