// Loss curves (Recharts): train and validation per epoch from the untrained model (epoch 0) on, log or linear axis,
// smoothing, the best epoch marked; below, the learning rate and gradient norm on a small chart of their own.
// Charts redraw from deferred values, so React renders them in interruptible slices and the page stays responsive.
import { memo, useDeferredValue, useMemo } from 'react';
import { Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import { setChartLog, setSmoothing } from '../controller';
import { formatTick } from '../format';
import { useAppState, type ChartRow } from '../store';
import { epochTicks, lossChartRows, lossTicks, lrGradSeries } from './loss_data';
import { SparkLines } from './SparkLines';
import { rowsInBits, setShowBits, useSamples } from '../samples_store';
import { stepSeries } from './step_series';

const tick = (v: number) => formatTick(v);

interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

/**
 * Axis labels as plain SVG text: Recharts' own tick text measures every label with getBoundingClientRect, which forces
 * a layout of the whole page at each redraw (the largest main-thread cost while training).
 */
function xTick({ x = 0, y = 0, payload }: TickProps) {
  return (
    <text x={x} y={y} dy={12} textAnchor="middle" className="recharts-cartesian-axis-tick-value axis-tick">
      {payload ? formatTick(Number(payload.value)) : ''}
    </text>
  );
}

function yTick({ x = 0, y = 0, payload }: TickProps) {
  return (
    <text x={x} y={y} dy={4} textAnchor="end" className="recharts-cartesian-axis-tick-value axis-tick">
      {payload ? formatTick(Number(payload.value)) : ''}
    </text>
  );
}

const LrGradDrawing = memo(function LrGradDrawing({ stepTick, rows }: { stepTick: number; rows: ChartRow[] }) {
  const d = useMemo(() => lrGradSeries(stepSeries(), rows), [stepTick, rows]); // eslint-disable-line react-hooks/exhaustive-deps
  const e = (v: number) => v.toExponential(0);
  return (
    <div data-testid="lr-grad-chart" className="lr-grad" data-points={d.grad.length + d.lr.length}>
      {d.grad.length === 0 ? (
        <p className="placeholder small">The gradient norm of each step and the learning rate of each epoch are drawn here.</p>
      ) : (
        <>
          <SparkLines title="Gradient norm of each training step (log scale)" testId="grad-norm-line" lines={[{ name: 'gradient norm per step', values: d.grad, color: 'var(--series-3)' }]} width={420} height={90} domain={d.gradDomain} log xLabel="steps →" yLabels={[e(d.gradDomain[0]), e(d.gradDomain[1])]} />
          <SparkLines title="Learning rate of each epoch (log scale)" testId="lr-line" lines={[{ name: 'learning rate per epoch', values: d.lr, color: 'var(--series-4)' }]} width={300} height={90} domain={d.lrDomain} log xLabel="epochs →" yLabels={[e(d.lrDomain[0]), e(d.lrDomain[1])]} />
        </>
      )}
    </div>
  );
});

const LossDrawing = memo(function LossDrawing({ rows, smoothing, log, best, xMax }: { rows: ChartRow[]; smoothing: number; log: boolean; best: number | null; xMax: number }) {
  const drawn = useMemo(() => lossChartRows(rows, smoothing, log), [rows, smoothing, log]);
  const bestLabel = useMemo(() => (best === null ? null : { value: `best (${best})`, position: 'insideTopRight' as const, fill: 'var(--muted)' }), [best]);
  // Explicit ticks shown all (interval 0): Recharts then measures no tick labels, which would force a page layout.
  const xTicks = useMemo(() => epochTicks(xMax), [xMax]);
  const y = useMemo(() => lossTicks(drawn, log), [drawn, log]);
  return (
    <div data-testid="loss-chart" className="chart-box" data-points={rows.length} data-drawn={drawn.length} data-best-epoch={best ?? ''} data-log={String(log)}>
      {rows.length === 0 ? (
        <p className="placeholder">The loss of each epoch is drawn here as training goes (epoch 0 is the untrained model).</p>
      ) : (
        <>
          <LineChart responsive style={{ width: '100%', height: 'calc(100% - 22px)' }} data={drawn} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <XAxis dataKey="epoch" type="number" domain={[0, xMax]} ticks={xTicks} interval={0} allowDecimals={false} tick={xTick} />
            <YAxis scale={log ? 'log' : 'linear'} domain={y.domain} ticks={y.ticks} interval={0} tick={yTick} width={56} allowDataOverflow />
            {best !== null && <ReferenceLine x={best} stroke="var(--muted)" strokeDasharray="4 3" label={bestLabel!} />}
            <Line type="linear" dataKey="train" name="train" stroke="var(--series-1)" strokeWidth={1.5} dot={drawn.length < 16} isAnimationActive={false} connectNulls />
            <Line type="linear" dataKey="val" name="validation" stroke="var(--series-2)" strokeWidth={2.5} dot={drawn.length < 16} isAnimationActive={false} connectNulls />
          </LineChart>
          <p className="spark-legend chart-legend" aria-hidden="true">
            <span>
              <span className="swatch" style={{ backgroundColor: 'var(--series-1)', height: 2 }} /> train
            </span>
            <span>
              <span className="swatch" style={{ backgroundColor: 'var(--series-2)', height: 3 }} /> validation
            </span>
            <span>epoch →</span>
          </p>
        </>
      )}
    </div>
  );
});

export function LossChart() {
  const nats = useDeferredValue(useAppState((s) => s.chart));
  const task = useAppState((s) => s.data?.set?.task ?? null);
  const tokens = useAppState((s) => (s.data?.choices?.task === 'generate' ? (s.data.choices.tokens ?? 'char') : 'char'));
  const showBits = useSamples((s) => s.showBits);
  const bits = task === 'generate' && showBits;
  const rows = useMemo(() => (bits ? rowsInBits(nats) : nats), [bits, nats]);
  const epochs = useAppState((s) => s.training.epochs);
  const best = useAppState((s) => s.training.bestEpoch);
  const log = useAppState((s) => s.chartLog);
  const smoothing = useAppState((s) => s.chartSmoothing);
  const stepTick = useDeferredValue(useAppState((s) => s.stepTick));
  const loss = useAppState((s) => s.data?.set?.loss ?? 'mse');
  const xMax = Math.max(1, epochs, rows.at(-1)?.epoch ?? 0);
  return (
    <section className="panel chart" aria-labelledby="chart-heading">
      <div className="panel-head">
        <h2 id="chart-heading">Loss ({bits ? `bits per ${tokens === 'char' ? 'character' : 'token'}` : loss === 'cross_entropy' ? 'cross-entropy' : 'MSE on normalized data'})</h2>
        {task === 'generate' && (
          <label className="inline">
            <input type="checkbox" data-testid="loss-bits" checked={showBits} onChange={(e) => setShowBits(e.currentTarget.checked)} /> Bits per {tokens === 'char' ? 'character' : 'token'}
          </label>
        )}
        <label className="inline">
          <input type="checkbox" checked={log} onChange={(e) => setChartLog(e.currentTarget.checked)} /> Log scale
        </label>
        <label className="inline">
          Smoothing
          <input type="range" min={0} max={0.95} step={0.05} value={smoothing} onChange={(e) => setSmoothing(Number(e.currentTarget.value))} aria-valuetext={smoothing.toFixed(2)} />
        </label>
      </div>
      <LossDrawing rows={rows} smoothing={smoothing} log={log} best={best} xMax={xMax} />
      <LrGradDrawing stepTick={stepTick} rows={rows} />
    </section>
  );
}
