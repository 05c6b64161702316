// Presets: one click sets up and trains a classic textbook model on a built-in example (the settings stay editable).
import { applyPreset } from '../preset_runner';
import { PRESETS } from '../presets';
import { useAppState } from '../store';

export function PresetsPanel() {
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused' || s.loadingData);
  const status = useAppState((s) => s.presetStatus);
  return (
    <section className="panel presets" aria-labelledby="presets-heading" data-testid="presets">
      <h2 id="presets-heading">Presets</h2>
      <div className="preset-list">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" data-testid={`preset-${p.id}`} disabled={busy} title={p.description} aria-description={p.description} onClick={() => applyPreset(p.id)}>
            {p.label}
          </button>
        ))}
      </div>
      <p className="hint" data-testid="preset-status" role="status">
        {status ?? 'Sets the data, model and training settings of a textbook model, then trains it.'}
      </p>
    </section>
  );
}
