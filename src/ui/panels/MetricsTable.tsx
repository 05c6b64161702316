// Metrics: the model's validation errors in original units (or accuracy and F1) beside the data layer's baselines,
// with the best epoch marked.
import { formatLoss, formatPercent, formatStat } from '../format';
import { useAppState } from '../store';
import { LanguageMetricsTable } from './LanguageMetricsTable';

const NO_BASELINES: never[] = [];

export function MetricsTable() {
  const ev = useAppState((s) => s.evaluation);
  const baselines = useAppState((s) => s.data?.set?.baselines ?? NO_BASELINES);
  const task = useAppState((s) => s.data?.set?.task ?? 'forecast');
  const history = useAppState((s) => s.training.history);
  const bestEpoch = useAppState((s) => s.training.bestEpoch);
  const epoch = useAppState((s) => s.training.epoch);
  const best = bestEpoch !== null ? history.find((h) => h.epoch === bestEpoch) : undefined;
  const r = ev?.result;
  const forecast = task === 'forecast';
  if (task === 'generate') return <LanguageMetricsTable />;
  return (
    <section className="panel metrics" aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics (validation)</h2>
      <table className="mini metrics-table" data-testid="metrics-table" data-best-epoch={bestEpoch ?? ''} data-kind={r?.kind ?? ''}>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {forecast ? (
              <>
                <th scope="col">MSE</th>
                <th scope="col">RMSE</th>
                <th scope="col">MAE</th>
              </>
            ) : (
              <>
                <th scope="col">Accuracy</th>
                <th scope="col">Macro F1</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          <tr className="model-row" data-testid="metrics-model">
            <th scope="row">{ev ? `This model (epoch ${ev.epoch})` : 'This model'}</th>
            {r?.kind === 'forecast' ? (
              <>
                <td>{formatStat(r.metrics?.mse)}</td>
                <td>{formatStat(r.metrics?.rmse)}</td>
                <td>{formatStat(r.metrics?.mae)}</td>
              </>
            ) : r?.kind === 'classify' ? (
              <>
                <td>{formatPercent(r.accuracy)}</td>
                <td>{formatPercent(r.macroF1)}</td>
              </>
            ) : (
              <td colSpan={forecast ? 3 : 2}>— (train to measure)</td>
            )}
          </tr>
          {baselines.map((b) => {
            const v = b.validation;
            return (
              <tr key={b.name} title={b.description}>
                <th scope="row">Baseline: {b.name}</th>
                {v && 'rmse' in v ? (
                  <>
                    <td>{formatStat(v.mse)}</td>
                    <td>{formatStat(v.rmse)}</td>
                    <td>{formatStat(v.mae)}</td>
                  </>
                ) : v && 'accuracy' in v ? (
                  <>
                    <td>{formatPercent(v.accuracy)}</td>
                    <td>—</td>
                  </>
                ) : (
                  <td colSpan={forecast ? 3 : 2}>—</td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint" data-testid="best-epoch">
        {best ? (
          <>
            ★ Best epoch <strong>{best.epoch}</strong>: validation loss {formatLoss(best.valLoss)}
            {epoch !== best.epoch ? ` (now epoch ${epoch}, ${formatLoss(history.at(-1)?.valLoss ?? NaN)})` : ''}
          </>
        ) : (
          'The best epoch is marked here once an epoch ends.'
        )}
      </p>
    </section>
  );
}
