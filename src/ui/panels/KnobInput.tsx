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

/** A select over spec.options; `unavailable` maps option values to why the loaded data rules them out (shown as a
 *  hint when that option is the one chosen, and on the disabled option). */
export function ChoiceKnob({ spec, disabled, unavailable = {} }: { spec: ChoiceSpec; disabled: boolean; unavailable?: Record<string, string | null> }) {
  const value = useAppState((s) => s.knobs[spec.key]);
  const id = `knob-${spec.key}`;
  const why = unavailable[value] ?? null;
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {spec.label}
      </label>
      <select id={id} data-testid={spec.testId} value={value} disabled={disabled} onChange={(e) => setKnob(spec.key, e.currentTarget.value)} aria-describedby={why ? `${id}-why` : undefined}>
        {spec.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled || (!!unavailable[o.value] && o.value !== value)} title={unavailable[o.value] ?? undefined}>
            {o.label}
          </option>
        ))}
      </select>
      {why && (
        <small className="hint" id={`${id}-why`} data-testid={`${id}-why`}>
          {why} Training uses “{spec.options[0].label}”.
        </small>
      )}
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
