// Past runs saved in this browser: reopen one, tick several to compare their losses on one chart (and open the
// Compare panel on them), delete.
import { openRun } from './controller';
import { formatLoss } from './format';
import { RunsChart } from './RunsChart';
import { deleteRun, setCompareOpen, toggleCompare } from './saved_runs';
import { isTuning, useAppState } from './store';

export function RunHistory() {
  const runs = useAppState((s) => s.runs);
  const compareIds = useAppState((s) => s.compareIds);
  const activeRunId = useAppState((s) => s.activeRunId);
  const state = useAppState((s) => s.training.state);
  const tuning = useAppState(isTuning);
  const busy = state === 'training' || state === 'paused' || tuning;
  const compared = runs.filter((r) => compareIds.includes(r.id));
  return (
    <section className="panel run-history" aria-labelledby="runs-heading" data-testid="run-history">
      <div className="panel-head">
        <h2 id="runs-heading">Past runs</h2>
        <button
          type="button"
          data-testid="compare-button"
          disabled={compared.length < 2}
          title="Tick two or more runs, then compare their curves, settings, metrics and gradient flow"
          onClick={() => {
            setCompareOpen(true);
            requestAnimationFrame(() => document.getElementById('compare-heading')?.scrollIntoView({ block: 'start' }));
          }}
        >
          Compare{compared.length >= 2 ? ` ${compared.length} runs` : ''}
        </button>
      </div>
      {runs.length === 0 ? (
        <p className="placeholder-inline">Runs are saved in this browser as they train; they appear here.</p>
      ) : (
        <table className="runs">
          <thead>
            <tr>
              <th scope="col">Compare</th>
              <th scope="col">Run</th>
              <th scope="col">Epochs</th>
              <th scope="col">Best val loss</th>
              <th scope="col">Status</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => {
              const best = r.bestEpoch !== null ? r.history.find((h) => h.epoch === r.bestEpoch) : undefined;
              const live = busy && r.id === activeRunId;
              return (
                <tr key={r.id} data-testid="run-row" data-run-id={r.id} data-status={r.status}>
                  <td>
                    <input type="checkbox" aria-label={`Compare ${r.name}`} checked={compareIds.includes(r.id)} onChange={() => toggleCompare(r.id)} />
                  </td>
                  <td className="run-name" title={r.message ?? undefined}>
                    {r.name}
                  </td>
                  <td>
                    {r.epoch} / {r.epochs}
                  </td>
                  <td>{best ? `${formatLoss(best.valLoss)} (epoch ${best.epoch})` : '—'}</td>
                  <td>{r.status}</td>
                  <td className="run-actions">
                    <button type="button" disabled={busy || !r.hasCheckpoint} onClick={() => openRun(r.id)}>
                      Open
                    </button>
                    <button type="button" disabled={live} onClick={() => void deleteRun(r.id)} aria-label={`Delete ${r.name}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {compared.length > 0 && <RunsChart runs={compared} testId="run-compare-chart" />}
    </section>
  );
}
