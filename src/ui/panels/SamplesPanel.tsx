// Samples: text written from the current weights after each epoch (and on the button), side by side across epochs.
import { useAppState } from '../store';
import { sampleNow, setSampleRequest, useSamples } from '../samples_store';

function NumberField({ id, label, value, min, max, step, onChange }: { id: string; label: string; value: number; min: number; max?: number; step: number; onChange: (v: number) => void }) {
  return (
    <label className="field" htmlFor={id}>
      <span className="field-label">{label}</span>
      <input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        defaultValue={value}
        onChange={(e) => {
          const v = Number(e.currentTarget.value);
          if (e.currentTarget.value.trim() !== '' && Number.isFinite(v)) onChange(v);
        }}
      />
    </label>
  );
}

export function SamplesPanel() {
  const task = useAppState((s) => s.data?.set?.task ?? null);
  const state = useAppState((s) => s.training.state);
  const request = useSamples((s) => s.request);
  const samples = useSamples((s) => s.samples);
  const waiting = useSamples((s) => s.waiting);
  if (task !== 'generate') return null;
  const trained = state === 'training' || state === 'paused' || state === 'done';
  return (
    <section className="panel samples" aria-label="Samples" data-testid="samples-panel">
      <h2>Samples</h2>
      <p className="hint">
        Text written from the current weights, one character (or word) at a time with the state carried, on the CPU in the worker on a copy of the
        weights, so training goes on meanwhile. The same seed and weights write the same text.
      </p>
      <div className="choices" role="group" aria-label="Sampling settings">
        <label className="field" htmlFor="sample-prime">
          <span className="field-label">Priming text</span>
          <input id="sample-prime" data-testid="sample-prime" type="text" defaultValue={request.prime} placeholder="(a line break)" onChange={(e) => setSampleRequest({ prime: e.currentTarget.value })} />
        </label>
        <NumberField id="sample-length" label="Length" value={request.length} min={1} max={5000} step={1} onChange={(length) => setSampleRequest({ length: Math.round(length) })} />
        <NumberField id="sample-temperature" label="Temperature" value={request.temperature} min={0} max={10} step={0.1} onChange={(temperature) => setSampleRequest({ temperature })} />
        <NumberField id="sample-top-k" label="Top-k (0: all)" value={request.topK} min={0} step={1} onChange={(topK) => setSampleRequest({ topK: Math.round(topK) })} />
        <NumberField id="sample-top-p" label="Top-p (1: all)" value={request.topP} min={0.01} max={1} step={0.05} onChange={(topP) => setSampleRequest({ topP })} />
        <NumberField id="sample-seed" label="Seed" value={request.seed} min={0} step={1} onChange={(seed) => setSampleRequest({ seed: Math.round(seed) })} />
        <label className="check">
          <input type="checkbox" checked={request.afterEachEpoch} onChange={(e) => setSampleRequest({ afterEachEpoch: e.currentTarget.checked })} />
          after each epoch
        </label>
        <button type="button" data-testid="sample-now" disabled={!trained || waiting} onClick={sampleNow}>
          {waiting ? 'Writing…' : 'Write a sample now'}
        </button>
      </div>
      {samples.length === 0 ? (
        <p className="hint">{trained ? 'The first sample comes at the end of the first epoch (or press the button).' : 'Train to see the model write.'}</p>
      ) : (
        <div className="sample-list" data-testid="sample-list">
          {samples.map((s, i) => (
            <figure key={`${s.epoch}:${s.step}:${i}`} className="sample" data-testid="sample" data-epoch={s.epoch}>
              <figcaption>
                Epoch {s.epoch} (step {s.step}) · T {s.settings.temperature}
                {s.settings.topK > 0 ? ` · top-k ${s.settings.topK}` : ''}
                {s.settings.topP < 1 ? ` · top-p ${s.settings.topP}` : ''} · seed {s.settings.seed} · {Math.round(s.tokensPerSecond)} tokens/s
              </figcaption>
              <pre>
                <span className="sample-prime">{s.settings.prime}</span>
                {s.text}
              </pre>
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
