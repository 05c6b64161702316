// A small multi-line chart in plain SVG (no chart library): cheap enough to redraw with every probe, several times a
// second, without work on the main thread worth mentioning. Lines differ in colour and width; a legend names them.
import { memo } from 'react';

export interface Spark {
  name: string;
  values: ArrayLike<number | null>;
  color: string;
  width?: number;
}

export interface SparkLinesProps {
  lines: Spark[];
  width: number;
  height: number;
  /** y range; with `log`, values ≤ 0 are left out. */
  domain: [number, number];
  log?: boolean;
  xLabel: string;
  yLabels: [string, string];
  testId?: string;
  title: string;
}

const PAD = { left: 38, right: 6, top: 6, bottom: 18 };

function points(values: ArrayLike<number | null>, w: number, h: number, [lo, hi]: [number, number], log: boolean): string {
  const n = values.length;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const a = f(lo), b = f(hi);
  const span = b - a || 1;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
    const x = PAD.left + (n > 1 ? (i / (n - 1)) * w : w / 2);
    const y = PAD.top + h - ((f(v) - a) / span) * h;
    parts.push(`${x.toFixed(1)},${Math.min(PAD.top + h, Math.max(PAD.top, y)).toFixed(1)}`);
  }
  return parts.join(' ');
}

export const SparkLines = memo(function SparkLines({ lines, width, height, domain, log = false, xLabel, yLabels, testId, title }: SparkLinesProps) {
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  return (
    <div className="spark">
      <svg width={width} height={height} role="img" aria-label={title} data-testid={testId} className="spark-svg">
        <rect x={PAD.left} y={PAD.top} width={w} height={h} className="spark-frame" />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" className="spark-tick">
          {yLabels[1]}
        </text>
        <text x={PAD.left - 4} y={PAD.top + h} textAnchor="end" className="spark-tick">
          {yLabels[0]}
        </text>
        <text x={PAD.left + w} y={height - 4} textAnchor="end" className="spark-tick">
          {xLabel}
        </text>
        {lines.map((l) => (
          <polyline key={l.name} className="spark-line" points={points(l.values, w, h, domain, log)} stroke={l.color} strokeWidth={l.width ?? 1.5} fill="none" />
        ))}
      </svg>
      <ul className="spark-legend">
        {lines.map((l) => (
          <li key={l.name}>
            <span className="swatch" style={{ backgroundColor: l.color, height: l.width ?? 1.5 }} />
            {l.name}
          </li>
        ))}
      </ul>
    </div>
  );
});
