// Metrics of a text-generation model: validation bits per character (or token) and perplexity beside the baselines'.
import { bitsOf, type LanguageBaseline } from '../../data/lm_baselines';
import { formatStat } from '../format';
import { useAppState } from '../store';

const NO_BASELINES: never[] = [];

export function LanguageMetricsTable() {
  const baselines = useAppState((s) => s.data?.set?.baselines ?? NO_BASELINES) as LanguageBaseline[];
  const unit = useAppState((s) => (s.data?.choices?.task === 'generate' && s.data.choices.tokens === 'word' ? 'token' : 'character'));
  const history = useAppState((s) => s.training.history);
  const bestEpoch = useAppState((s) => s.training.bestEpoch);
  const last = history.at(-1);
  const best = bestEpoch !== null ? history.find((h) => h.epoch === bestEpoch) : undefined;
  const row = (label: string, nats: number | undefined, testId?: string) => (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td>{nats === undefined || !Number.isFinite(nats) ? '—' : formatStat(nats / Math.LN2)}</td>
      <td>{nats === undefined || !Number.isFinite(nats) ? '—' : formatStat(Math.exp(nats))}</td>
    </tr>
  );
  return (
    <section className="panel metrics" aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics (validation)</h2>
      <table className="mini metrics-table" data-testid="metrics-table" data-kind="generate">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Bits per {unit}</th>
            <th scope="col">Perplexity</th>
          </tr>
        </thead>
        <tbody>
          {row(last ? `This model (epoch ${last.epoch})` : 'This model', last?.valLoss, 'metrics-model')}
          {best && best !== last && row(`★ Best (epoch ${best.epoch})`, best.valLoss)}
          {baselines.map((b) => (
            <tr key={b.name} title={b.description}>
              <th scope="row">Baseline: {b.name}</th>
              <td>{b.validation ? formatStat(bitsOf(b.validation)) : '—'}</td>
              <td>{b.validation ? formatStat(b.validation.perplexity) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Bits per {unit} = cross-entropy / ln 2 on the validation part of the text (the last part before the test part); perplexity = e^cross-entropy.</p>
    </section>
  );
}
