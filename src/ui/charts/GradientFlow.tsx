// Gradient flow through time: ‖∂L/∂h_t‖ per time step for the latest probe (with the latest of each other cell type
// for comparison), and as a heatmap across training — where an RNN's gradient vanishes and an LSTM's does not.
import { useDeferredValue, useMemo } from 'react';
import { useAppState } from '../store';
import { gradHeatmap, gradLineRows } from './gradient_data';
import { HeatmapCanvas } from './HeatmapCanvas';
import { SparkLines } from './SparkLines';
import { TokenStrip } from './TokenStrip';

const CELL_COLOR: Record<string, string> = { lstm: 'var(--series-1)', gru: 'var(--series-3)', rnn: 'var(--series-2)' };

export function GradientFlow() {
  const probe = useDeferredValue(useAppState((s) => s.probe));
  const byCell = useDeferredValue(useAppState((s) => s.gradByCell));
  const history = useDeferredValue(useAppState((s) => s.gradHistory));
  const line = useMemo(() => (probe ? gradLineRows(byCell, probe.window) : null), [byCell, probe]);
  const heat = useMemo(() => gradHeatmap(history), [history]);
  return (
    <section className="panel gradients" aria-labelledby="grad-heading">
      <h2 id="grad-heading">Gradient flow through time</h2>
      <div data-testid="gradient-flow" className="grad-grid" data-columns={history.length} data-cells={line?.cells.join(',') ?? ''}>
        {!probe || !line ? (
          <p className="placeholder">‖∂L/∂h_t‖ for each time step appears here once training starts. Switch the cell (RNN, GRU, LSTM) and train again to compare.</p>
        ) : (
          <>
            <figure className="grad-line">
              <figcaption>Latest: ‖∂L/∂h_t‖ by time step t (log scale); earlier runs of other cells for comparison</figcaption>
              <SparkLines
                title="Gradient norm per time step for each cell type's latest probe"
                testId="gradient-lines"
                lines={line.cells.map((c) => ({ name: c === probe.cell ? `${c.toUpperCase()} (now)` : c.toUpperCase(), values: line.rows.map((r) => r[c]), color: CELL_COLOR[c], width: c === probe.cell ? 2.5 : 1.5 }))}
                width={400}
                height={190}
                domain={line.domain}
                log
                xLabel={`t 0…${probe.window - 1}`}
                yLabels={[line.domain[0].toExponential(0), line.domain[1].toExponential(0)]}
              />
              {probe.tokens && <TokenStrip tokens={probe.tokens} width={400} />}
            </figure>
            {heat && (
              <figure className="grad-heat">
                <figcaption>Across training: one column per probe (left: early), time steps down; colour log₁₀ ‖∂L/∂h_t‖</figcaption>
                <HeatmapCanvas
                  label="gradient"
                  testId="gradient-heatmap"
                  values={heat.values}
                  T={heat.columns}
                  H={heat.window}
                  order={Array.from({ length: heat.window }, (_, t) => t)}
                  domain={heat.domain}
                  width={380}
                  height={160}
                  describe={(k, t, v) => `step ${history[k]?.step ?? '?'} · t ${t}${probe.tokens ? ` ${JSON.stringify(probe.tokens[t] ?? '')}` : ''} · ‖∂L/∂h‖ ${Math.pow(10, v).toExponential(2)}`}
                />
              </figure>
            )}
          </>
        )}
      </div>
    </section>
  );
}
