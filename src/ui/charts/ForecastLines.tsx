// The forecast drawn over the actual validation series in plain SVG (redrawn every epoch without blocking the page):
// one line for the truth, one per step ahead, original units; hovering reads the values at a row.
import { memo, useMemo, useState, type MouseEvent } from 'react';
import type { ForecastEvaluation } from '../../worker/protocol';
import { formatStat } from '../format';

const W = 640;
const H = 250;
const PAD = { left: 52, right: 10, top: 10, bottom: 26 };
const COLORS = ['var(--series-2)', 'var(--series-3)', 'var(--series-4)', 'var(--series-5)', 'var(--series-6)'];
/** Steps ahead drawn at most (the rest are summarised in a note). */
export const MAX_HORIZON_LINES = 5;

function extent(e: ForecastEvaluation): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const series of [e.actual, ...e.predicted.slice(0, MAX_HORIZON_LINES)]) {
    for (const v of series) if (v !== null && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) return [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  return [lo - pad, hi + pad];
}

export const ForecastLines = memo(function ForecastLines({ e }: { e: ForecastEvaluation }) {
  const [hover, setHover] = useState<number | null>(null);
  const w = W - PAD.left - PAD.right, h = H - PAD.top - PAD.bottom;
  const n = e.x.length;
  const [lo, hi] = useMemo(() => extent(e), [e]);
  const X = (i: number) => PAD.left + (n > 1 ? (i / (n - 1)) * w : w / 2);
  const Y = (v: number) => PAD.top + h - ((v - lo) / (hi - lo)) * h;
  const lines = useMemo(() => {
    const pts = (vs: (number | null)[]) => vs.map((v, i) => (v === null || !Number.isFinite(v) ? '' : `${X(i).toFixed(1)},${Y(v).toFixed(1)}`)).filter((p) => p).join(' ');
    return { actual: pts(e.actual), predicted: e.predicted.slice(0, MAX_HORIZON_LINES).map(pts) };
  }, [e, lo, hi]); // eslint-disable-line react-hooks/exhaustive-deps
  const label = (i: number) => (e.xLabels ? e.xLabels[i] : `row ${e.x[i]}`);
  const onMove = (ev: MouseEvent<SVGSVGElement>) => {
    const r = ev.currentTarget.getBoundingClientRect();
    const x = ((ev.clientX - r.left) / r.width) * W;
    const i = Math.round(((x - PAD.left) / w) * (n - 1));
    setHover(i >= 0 && i < n ? i : null);
  };
  return (
    <figure className="forecast">
      <svg viewBox={`0 0 ${W} ${H}`} className="forecast-svg" role="img" aria-label={`${e.target}: actual validation values and forecasts 1 to ${e.horizon} steps ahead`} onMouseMove={onMove} onMouseLeave={() => setHover(null)}>
        <rect x={PAD.left} y={PAD.top} width={w} height={h} className="spark-frame" />
        <text x={PAD.left - 4} y={PAD.top + 10} textAnchor="end" className="spark-tick">
          {formatStat(hi)}
        </text>
        <text x={PAD.left - 4} y={PAD.top + h} textAnchor="end" className="spark-tick">
          {formatStat(lo)}
        </text>
        {n > 0 && (
          <>
            <text x={PAD.left} y={H - 8} className="spark-tick">
              {label(0)}
            </text>
            <text x={PAD.left + w} y={H - 8} textAnchor="end" className="spark-tick">
              {label(n - 1)}
            </text>
          </>
        )}
        <polyline className="forecast-line" points={lines.actual} stroke="var(--ink)" strokeWidth={2} fill="none" />
        {lines.predicted.map((p, k) => (
          <polyline key={k} className="forecast-line" points={p} stroke={COLORS[k]} strokeWidth={1.5} strokeDasharray={k === 0 ? undefined : `${4 + 2 * k} 3`} fill="none" />
        ))}
        {hover !== null && <line x1={X(hover)} x2={X(hover)} y1={PAD.top} y2={PAD.top + h} className="forecast-cursor" />}
      </svg>
      <figcaption className="spark-legend forecast-legend">
        <span>
          <span className="swatch" style={{ backgroundColor: 'var(--ink)', height: 2 }} /> {e.target} (actual)
        </span>
        {lines.predicted.map((_, k) => (
          <span key={k}>
            <span className="swatch" style={{ backgroundColor: COLORS[k], height: 2 }} /> predicted t+{k + 1}
          </span>
        ))}
        <output className="forecast-readout" data-testid="forecast-readout">
          {hover !== null
            ? `${label(hover)} · actual ${formatStat(e.actual[hover])}${e.predicted.slice(0, MAX_HORIZON_LINES).map((p, k) => ` · t+${k + 1} ${formatStat(p[hover])}`).join('')}`
            : 'Hover the chart to read values.'}
        </output>
      </figcaption>
    </figure>
  );
});
