// Compare runs: two or more saved runs side by side — loss curves overlaid, settings with the differences marked,
// metrics beside the baselines, and gradient flow through time on one axis (e.g. an RNN, a GRU and an LSTM).
import { useMemo } from 'react';
import { SparkLines } from '../charts/SparkLines';
import { gradLines, metricRows, settingsRows, shortName } from '../run_compare';
import { RUN_COLORS, RunsChart } from '../RunsChart';
import { setCompareOnlyDiffs, setCompareOpen } from '../saved_runs';
import { useAppState } from '../store';

function color(i: number): string {
  return RUN_COLORS[i % RUN_COLORS.length];
}

function RunHeads({ names }: { names: string[] }) {
  return (
    <>
      {names.map((n, i) => (
        <th scope="col" key={`${i}-${n}`}>
          <span className="run-swatch" style={{ backgroundColor: color(i) }} /> {n}
        </th>
      ))}
    </>
  );
}

export function ComparePanel() {
  const open = useAppState((s) => s.compareOpen);
  const runs = useAppState((s) => s.runs);
  const ids = useAppState((s) => s.compareIds);
  const onlyDiffs = useAppState((s) => s.compareOnlyDiffs);
  const compared = useMemo(() => ids.map((id) => runs.find((r) => r.id === id)).filter((r) => r !== undefined), [ids, runs]);
  const settings = useMemo(() => settingsRows(compared), [compared]);
  const metrics = useMemo(() => metricRows(compared), [compared]);
  const grads = useMemo(() => gradLines(compared), [compared]);
  if (!open || compared.length < 2) return null;
  const names = compared.map(shortName);
  const differing = settings.filter((s) => s.differs).length;
  const shown = onlyDiffs ? settings.filter((s) => s.differs) : settings;
  return (
    <section className="panel compare" aria-labelledby="compare-heading" data-testid="compare-panel" data-runs={compared.length}>
      <div className="panel-head">
        <h2 id="compare-heading">Compare runs</h2>
        <label className="inline">
          <input type="checkbox" data-testid="compare-only-diffs" checked={onlyDiffs} onChange={(e) => setCompareOnlyDiffs(e.target.checked)} />
          Only the settings that differ
        </label>
        <button type="button" data-testid="compare-close" onClick={() => setCompareOpen(false)}>
          Close
        </button>
      </div>
      <h3 className="compare-sub">Loss by epoch (validation solid, training dashed)</h3>
      <RunsChart runs={compared} testId="compare-loss-chart" height={260} />

      <div className="compare-tables">
        <div className="compare-table-wrap">
          <table className="mini compare-settings" data-testid="compare-settings" data-differing={differing}>
            <caption>Settings: {differing === 0 ? 'all the same' : `${differing} differ (highlighted)`}</caption>
            <thead>
              <tr>
                <th scope="col">Setting</th>
                <RunHeads names={names} />
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.key} className={s.differs ? 'differs' : undefined} data-key={s.key} data-differs={String(s.differs)}>
                  <th scope="row">{s.label}</th>
                  {s.values.map((v, i) => (
                    <td key={i}>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="compare-table-wrap">
          <table className="mini compare-metrics" data-testid="compare-metrics">
            <caption>Validation metrics and the data’s baselines (best run in bold)</caption>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <RunHeads names={names} />
              </tr>
            </thead>
            <tbody>
              {metrics.map((m) => (
                <tr key={m.label} className={m.baseline ? 'baseline' : undefined} data-label={m.label}>
                  <th scope="row">{m.label}</th>
                  {m.values.map((v, i) => (
                    <td key={i} className={i === m.best ? 'best' : undefined} data-value={Number.isFinite(m.raw[i]) ? String(m.raw[i]) : ''}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <figure className="compare-grad" data-testid="compare-gradient" data-lines={grads.lines.length} data-window={grads.window}>
        <figcaption>Gradient flow through time: ‖∂L/∂h_t‖ by time step t of each run’s latest probe, on one log axis (where it vanishes toward early steps)</figcaption>
        {grads.lines.length === 0 ? (
          <p className="placeholder small">None of these runs stored a gradient flow (runs saved before it was kept, or stopped before the first probe).</p>
        ) : (
          <SparkLines
            title="Gradient norm per time step of each compared run"
            testId="compare-gradient-lines"
            lines={grads.lines.map((l) => ({ name: names[l.runIndex], values: l.values, color: color(l.runIndex), width: 2 }))}
            width={560}
            height={220}
            domain={grads.domain}
            log
            xLabel={`t 0…${grads.window - 1}`}
            yLabels={[grads.domain[0].toExponential(0), grads.domain[1].toExponential(0)]}
          />
        )}
        {grads.missing.length > 0 && grads.lines.length > 0 && <p className="hint">No stored gradient flow: {grads.missing.map((i) => names[i]).join(', ')}.</p>}
      </figure>
    </section>
  );
}
