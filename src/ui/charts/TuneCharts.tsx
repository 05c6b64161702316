// The search's charts: every trial's validation curve by epoch (the best one bold, pruned and stopped ones end early),
// and one scatter per varied setting against the best validation loss (the best trial marked).
import { CartesianGrid, Line, LineChart, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatLoss, formatTick } from '../format';
import { RUN_COLORS } from '../RunsChart';
import type { ScatterPanel, TuneCurves } from '../tune_view';

const LOG_DOMAIN: [(min: number) => number, (max: number) => number] = [(min) => min / 1.25, (max) => max * 1.25];
const PAD_DOMAIN: [(min: number) => number, (max: number) => number] = [(min) => min - Math.max(Math.abs(min) * 0.1, 0.5), (max) => max + Math.max(Math.abs(max) * 0.1, 0.5)];
const BEST_COLOR = '#f59e0b';

export function trialColor(trial: number): string {
  return RUN_COLORS[(trial - 1) % RUN_COLORS.length];
}

export function TuneCurvesChart({ curves }: { curves: TuneCurves }) {
  const { rows, lines } = curves;
  return (
    <figure className="tune-figure">
      <figcaption>Validation loss by epoch, every trial (the best in bold; pruned and stopped trials end early)</figcaption>
      <div className="chart-box" data-testid="tune-curves" data-lines={lines.length} data-points={rows.length} data-epochs={lines.map((l) => `${l.trial}:${l.epochs}`).join(' ')}>
        {rows.length === 0 ? (
          <p className="placeholder">The curves appear as trials finish epochs.</p>
        ) : (
          <LineChart responsive style={{ width: '100%', height: '100%' }} data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="epoch" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} />
            <YAxis scale="log" domain={LOG_DOMAIN} tickFormatter={(v: number) => formatTick(v)} width={56} allowDataOverflow />
            <Tooltip formatter={(v) => (typeof v === 'number' ? formatLoss(v) : String(v))} labelFormatter={(l) => `epoch ${l}`} />
            {lines.map((l) => (
              <Line
                key={l.key}
                dataKey={l.key}
                name={`trial ${l.trial}${l.best ? ' (best)' : ''}`}
                stroke={l.best ? BEST_COLOR : trialColor(l.trial)}
                strokeWidth={l.best ? 3.5 : 1.5}
                strokeOpacity={l.best ? 1 : 0.75}
                dot={false}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          </LineChart>
        )}
      </div>
    </figure>
  );
}

function ScatterBox({ panel }: { panel: ScatterPanel }) {
  const rest = panel.points.filter((p) => !p.best);
  const best = panel.points.filter((p) => p.best);
  const category = panel.axis === 'category';
  return (
    <figure className="tune-scatter" data-testid={`tune-scatter-${panel.setting}`} data-points={panel.points.length} data-best={best[0]?.trial ?? ''}>
      <figcaption>{panel.setting}</figcaption>
      <div className="chart-box small">
        {panel.points.length === 0 ? (
          <p className="placeholder small">No trial has a validation loss yet.</p>
        ) : (
          <ScatterChart responsive style={{ width: '100%', height: '100%' }} margin={{ top: 6, right: 12, bottom: 4, left: 4 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              name={panel.setting}
              scale={panel.axis === 'log' ? 'log' : 'linear'}
              domain={category ? [-0.5, panel.categories.length - 0.5] : panel.axis === 'log' ? LOG_DOMAIN : PAD_DOMAIN}
              ticks={panel.ticks}
              interval={0}
              tickFormatter={(v: number) => (category ? (panel.categories[v] ?? '') : formatTick(v))}
              allowDataOverflow
            />
            <YAxis dataKey="y" type="number" name="best val loss" scale="log" domain={LOG_DOMAIN} tickFormatter={(v: number) => formatTick(v)} width={48} allowDataOverflow />
            <Tooltip
              formatter={(v, name) => (name === panel.setting && category && typeof v === 'number' ? (panel.categories[v] ?? v) : typeof v === 'number' ? formatLoss(v) : String(v))}
              labelFormatter={() => ''}
            />
            <Scatter data={rest} fill="#64748b" isAnimationActive={false} />
            <Scatter data={best} fill={BEST_COLOR} shape="star" isAnimationActive={false} />
          </ScatterChart>
        )}
      </div>
    </figure>
  );
}

export function TuneScatter({ panels }: { panels: ScatterPanel[] }) {
  return (
    <figure className="tune-figure">
      <figcaption>Each varied setting against the trial’s best validation loss (the best trial is the star)</figcaption>
      <div className="tune-scatters" data-testid="tune-scatters" data-panels={panels.length}>
        {panels.map((p) => (
          <ScatterBox key={p.setting} panel={p} />
        ))}
      </div>
    </figure>
  );
}
