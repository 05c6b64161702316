// What the training set holds: samples per split, classes, features, and the baselines a model must beat.
import type { Baseline } from '../../data/index';
import { bitsOf, type LanguageBaseline } from '../../data/lm_baselines';
import { formatStat } from '../format';
import { useAppState } from '../store';

export function baselineText(b: Baseline | LanguageBaseline): string {
  const v = b.validation;
  if (!v) return '—';
  if ('perplexity' in v) return `${formatStat(bitsOf(v))} bits per ${v.bitsPerChar !== undefined ? 'character' : 'token'}, perplexity ${formatStat(v.perplexity)}`;
  return 'accuracy' in v ? `accuracy ${(100 * v.accuracy).toFixed(1)}%` : `RMSE ${formatStat(v.rmse)}, MAE ${formatStat(v.mae)}`;
}

export function SetSummaryView() {
  const set = useAppState((s) => s.data?.set ?? null);
  const warnings = useAppState((s) => s.data?.warnings ?? null);
  if (!set) return null;
  const c = set.counts;
  const classes = set.classNames;
  return (
    <div className="set-summary" data-testid="set-summary">
      <dl className="summary">
        <dt>{set.task === 'forecast' ? 'Windows' : 'Samples'}</dt>
        <dd data-testid="split-counts">
          {c.train} train · {c.validation} validation · {c.test} test
        </dd>
        <dt>Inputs</dt>
        <dd title={set.featureNames.join(', ')}>
          {set.vocabSize > 0 ? `${set.vocabSize} tokens` : `${set.featureNames.length} feature${set.featureNames.length === 1 ? '' : 's'}`} × {set.window} steps
        </dd>
        {c.droppedForMissing > 0 && (
          <>
            <dt>Left out</dt>
            <dd>{c.droppedForMissing} for missing values</dd>
          </>
        )}
        {c.filledCells > 0 && (
          <>
            <dt>Filled</dt>
            <dd>{c.filledCells} missing cells</dd>
          </>
        )}
      </dl>
      {classes && c.classCounts && (
        <table className="mini" data-testid="class-counts">
          <caption>Class counts</caption>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Train</th>
              <th scope="col">Val</th>
              <th scope="col">Test</th>
            </tr>
          </thead>
          <tbody>
            {classes.map((name, k) => (
              <tr key={k}>
                <th scope="row">{name}</th>
                <td>{c.classCounts!.train[k]}</td>
                <td>{c.classCounts!.validation[k]}</td>
                <td>{c.classCounts!.test[k]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {set.baselines.length > 0 && (
        <ul className="baselines" aria-label="Baselines on the validation split">
          {set.baselines.map((b) => (
            <li key={b.name} title={b.description}>
              <strong>{b.name}</strong>: {baselineText(b)}
            </li>
          ))}
        </ul>
      )}
      {set.notes.length > 0 && <p className="hint">{set.notes.join(' ')}</p>}
      {warnings && warnings.length > 0 && (
        <details className="warnings">
          <summary>{warnings.length} note{warnings.length === 1 ? '' : 's'} on the file</summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
