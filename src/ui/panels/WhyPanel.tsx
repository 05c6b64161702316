// The "Why" panel: the run's diagnosis (what its checks saw and what to try), each finding with an Apply button that
// sets the settings its advice names; the next Train uses them.
import { useState } from 'react';
import type { Finding } from '../../training/diagnosis_types';
import { applyAdvice, applyProblem, describePatch } from '../apply_advice';
import { useAppState } from '../store';

const TITLES: Record<Finding['check'], string> = {
  'loses-to-baseline': 'Loses to a baseline',
  overfitting: 'Overfitting',
  underfitting: 'Underfitting',
  'vanishing-gradient': 'Vanishing gradient through time',
  'exploding-gradient': 'Exploding gradients',
  'saturated-gates': 'Saturated gates',
  'majority-class': 'Stuck at the majority class',
};

function FindingItem({ f }: { f: Finding }) {
  const form = useAppState((s) => s.form);
  const [applied, setApplied] = useState(false);
  const problem = f.apply ? applyProblem(f.apply, form) : null;
  return (
    <li className={`finding ${f.severity}`} data-testid="finding" data-check={f.check} data-severity={f.severity}>
      <div className="finding-head">
        <span className="severity">{f.severity}</span>
        <strong>{TITLES[f.check] ?? f.check}</strong>
      </div>
      <p className="finding-message">{f.message}</p>
      <p className="finding-advice">
        <b>Try:</b> {f.advice}
      </p>
      {f.apply && (
        <button
          type="button"
          data-testid={`apply-${f.check}`}
          disabled={problem !== null}
          title={problem ?? 'Sets these values; press Train to run with them'}
          onClick={() => {
            applyAdvice(f.apply!);
            setApplied(true);
          }}
        >
          {applied ? `Applied: ${describePatch(f.apply)} (press Train)` : `Apply: ${describePatch(f.apply)}`}
        </button>
      )}
    </li>
  );
}

export function WhyPanel() {
  const d = useAppState((s) => s.diagnosis);
  const epoch = useAppState((s) => s.training.epoch);
  const findings = d?.findings ?? [];
  return (
    <section className="panel why" aria-labelledby="why-heading" data-testid="why-panel" data-findings={findings.map((f) => f.check).join(',')} data-final={String(d?.final ?? false)}>
      <h2 id="why-heading">Why</h2>
      {!d || (d.epoch === 0 && findings.length === 0) ? (
        <p className="hint">{epoch > 0 || d ? 'Checks run after each epoch: nothing to say yet.' : 'Train to see what the run’s numbers say: overfitting, underfitting, gradients, gates and baselines are checked after each epoch.'}</p>
      ) : findings.length === 0 ? (
        <p className="finding-none" data-testid="why-healthy">
          {d.final ? 'The run ended' : `After epoch ${d.epoch}`}: no check found a problem (baselines, overfitting, underfitting, gradients, gates).
        </p>
      ) : (
        <ul className="findings">
          {findings.map((f) => (
            <FindingItem key={`${f.check}:${d.epoch}`} f={f} />
          ))}
        </ul>
      )}
    </section>
  );
}
