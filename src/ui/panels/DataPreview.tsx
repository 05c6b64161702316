// The first rows of the loaded file, virtualized: only the rows and columns in view are in the DOM, so a file with
// thousands of columns scrolls smoothly. Each column header shows its inferred type and lets the person change it.
import { useRef, useState, type UIEvent } from 'react';
import type { ColumnUse, ColumnView } from '../../worker/protocol';
import { setColumnUse } from '../controller';
import { formatStat } from '../format';
import { useAppState } from '../store';

const ROW_H = 26;
const HEAD_H = 58;
const COL_W = 132;
const ROWNUM_W = 52;
const VIEW_H = 260;
const OVERSCAN = 2;

/** The index range [from, to) of fixed-size items visible in a viewport (with a few extra on each side). */
export function visibleRange(offset: number, viewport: number, size: number, count: number): [number, number] {
  const from = Math.max(0, Math.floor(offset / size) - OVERSCAN);
  const to = Math.min(count, Math.ceil((offset + viewport) / size) + OVERSCAN);
  return [from, to];
}

function stats(c: ColumnView): string {
  const parts = [`${c.type}`, `${c.missing} missing`, `${c.distinct} distinct`];
  if (c.min !== null && c.type !== 'date') parts.push(`min ${formatStat(c.min)}`, `max ${formatStat(c.max)}`, `mean ${formatStat(c.mean)}`);
  if (c.dateFormat) parts.push(c.dateFormat);
  if (c.invalid > 0) parts.push(`${c.invalid} invalid`);
  return parts.join(' · ');
}

const USE_LABEL: Record<ColumnUse, string> = { number: 'number', category: 'category', text: 'text', date: 'date/time' };

export function DataPreview() {
  const data = useAppState((s) => s.data);
  const uses = useAppState((s) => s.form.uses);
  const busy = useAppState((s) => s.training.state === 'training' || s.training.state === 'paused');
  const viewport = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, left: 0, width: 800 });
  const frame = useRef(0);
  if (!data) return null;
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => setScroll({ top: el.scrollTop, left: el.scrollLeft, width: el.clientWidth }));
  };
  const width = viewport.current?.clientWidth ?? scroll.width;
  const [c0, c1] = visibleRange(scroll.left, width - ROWNUM_W, COL_W, data.columns.length);
  const [r0, r1] = visibleRange(scroll.top, VIEW_H - HEAD_H, ROW_H, data.previewRows);
  const cols = data.columns.slice(c0, c1);
  const totalW = ROWNUM_W + data.columns.length * COL_W;
  const totalH = HEAD_H + data.previewRows * ROW_H;
  return (
    <section className="panel preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">
        Preview <small className="hint">first {data.previewRows} of {data.rows} rows · {data.columns.length} columns</small>
      </h2>
      <div
        className="grid-viewport"
        ref={viewport}
        onScroll={onScroll}
        data-testid="data-preview"
        data-rendered-columns={cols.length}
        tabIndex={0}
        role="region"
        aria-label="Preview of the first rows; scroll to see more"
      >
        <div className="grid-canvas" style={{ width: totalW, height: totalH }}>
          {cols.map((c, k) => {
            const i = c0 + k;
            return (
              <div key={i} className="grid-head" style={{ left: ROWNUM_W + i * COL_W, top: scroll.top, width: COL_W, height: HEAD_H }} title={stats(c)}>
                <span className="grid-name">{c.name === '' ? '(unnamed)' : c.name}</span>
                <select aria-label={`Type of column ${c.name || i + 1}`} value={uses[c.index] ?? c.uses[0]} disabled={busy} onChange={(e) => setColumnUse(c.index, e.currentTarget.value as ColumnUse)}>
                  {c.uses.map((u, j) => (
                    <option key={u} value={u}>
                      {USE_LABEL[u]}
                      {j === 0 ? ' (inferred)' : ''}
                    </option>
                  ))}
                </select>
              </div>
            );
          })}
          {Array.from({ length: r1 - r0 }, (_, k) => {
            const r = r0 + k;
            const top = HEAD_H + r * ROW_H;
            return (
              <div key={r} className="grid-row">
                <div className="grid-rownum" style={{ left: scroll.left, top, width: ROWNUM_W, height: ROW_H }}>
                  {r + 1}
                </div>
                {cols.map((c, j) => (
                  <div key={c0 + j} className="grid-cell" style={{ left: ROWNUM_W + (c0 + j) * COL_W, top, width: COL_W, height: ROW_H }}>
                    {data.preview[c.index][r]}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
