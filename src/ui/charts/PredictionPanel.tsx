// Predictions against truth on the validation split (computed in the worker): forecasts over the actual series in
// original units, one line per step ahead; or a confusion matrix with per-class precision, recall and F1.
import { memo, useDeferredValue } from 'react';
import { ForecastLines, MAX_HORIZON_LINES } from './ForecastLines';
import type { ClassEvaluation, Evaluation, ForecastEvaluation } from '../../worker/protocol';
import { formatPercent } from '../format';
import { luminance, viridis } from '../heatmap';
import { useAppState } from '../store';

function ForecastChart({ e }: { e: ForecastEvaluation }) {
  return (
    <>
      <ForecastLines e={e} />
      {e.groupNote && <p className="hint">{e.groupNote}</p>}
      {e.predicted.length > MAX_HORIZON_LINES && <p className="hint">Showing the first {MAX_HORIZON_LINES} of {e.predicted.length} steps ahead.</p>}
    </>
  );
}

function ConfusionMatrix({ e }: { e: ClassEvaluation }) {
  return (
    <div className="confusion-wrap">
      <table className="confusion" data-testid="confusion-matrix">
        <caption>Confusion matrix (rows: actual class, columns: predicted)</caption>
        <thead>
          <tr>
            <th scope="col">actual \ predicted</th>
            {e.classNames.map((c, k) => (
              <th key={k} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {e.confusion.map((row, a) => {
            const total = row.reduce((s, v) => s + v, 0) || 1;
            return (
              <tr key={a}>
                <th scope="row">{e.classNames[a]}</th>
                {row.map((v, p) => {
                  const rgb = viridis(v / total);
                  return (
                    <td key={p} data-count={v} style={{ backgroundColor: `rgb(${rgb.join(' ')})`, color: luminance(rgb) > 0.3 ? '#000' : '#fff' }}>
                      {v}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <table className="mini" data-testid="class-scores">
        <caption>Per class (validation)</caption>
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Precision</th>
            <th scope="col">Recall</th>
            <th scope="col">F1</th>
            <th scope="col">Support</th>
          </tr>
        </thead>
        <tbody>
          {e.perClass.map((c, k) => (
            <tr key={k}>
              <th scope="row">{c.name}</th>
              <td>{formatPercent(c.precision)}</td>
              <td>{formatPercent(c.recall)}</td>
              <td>{formatPercent(c.f1)}</td>
              <td>{c.support}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PredictionPanel() {
  const ev = useDeferredValue(useAppState((s) => s.evaluation));
  return (
    <section className="panel predictions" aria-labelledby="pred-heading">
      <h2 id="pred-heading">Predictions on the validation split{ev ? ` (epoch ${ev.epoch})` : ''}</h2>
      <PredictionDrawing ev={ev} />
    </section>
  );
}

const PredictionDrawing = memo(function PredictionDrawing({ ev }: { ev: Evaluation | null }) {
  const r = ev?.result;
  return (
    <div data-testid="prediction-chart" className="pred-box" data-kind={r?.kind ?? ''} data-epoch={ev?.epoch ?? ''} data-points={r?.kind === 'forecast' ? r.x.length : r ? r.count : 0}>
      {!r ? <p className="placeholder">After each epoch the model predicts the validation split; it is drawn here against the truth.</p> : r.kind === 'forecast' ? <ForecastChart e={r} /> : <ConfusionMatrix e={r} />}
    </div>
  );
});
