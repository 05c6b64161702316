// A heatmap on canvas (time across, units down): one pixel per cell scaled up without smoothing, so thousands of
// cells redraw in well under a frame; hovering shows the time step, unit and value.
import { memo, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { cellAt, heatmapPixels } from '../heatmap';

export interface HeatmapProps {
  label: string;
  /** [T][H] flattened (time-major). */
  values: Float32Array;
  T: number;
  H: number;
  /** Units in display order (top row first). */
  order: number[];
  domain: [number, number];
  width: number;
  height: number;
  /** Describes a hovered cell; defaults to "t, unit, value". */
  describe?: (t: number, unit: number, value: number) => string;
  testId?: string;
}

export const HeatmapCanvas = memo(function HeatmapCanvas({ label, values, T, H, order, domain, width, height, describe, testId = 'heatmap-canvas' }: HeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const small = useRef<OffscreenCanvas | null>(null);
  const cursor = useRef({ t: 0, row: 0 });
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || T < 1 || H < 1) return;
    const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    const w = Math.round(width * ratio), h = Math.round(height * ratio);
    // Resizing clears and reallocates the canvas: only when the size really changes.
    if (el.width !== w) el.width = w;
    if (el.height !== h) el.height = h;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    if (!small.current || small.current.width !== T || small.current.height !== H) small.current = new OffscreenCanvas(T, H);
    const sctx = small.current.getContext('2d')!;
    sctx.putImageData(new ImageData(heatmapPixels(values, T, H, order, domain) as Uint8ClampedArray<ArrayBuffer>, T, H), 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small.current, 0, 0, w, h);
  }, [values, T, H, order, domain, width, height]);

  const textAt = (t: number, row: number) => {
    const unit = order[row];
    const value = values[t * H + unit];
    return describe ? describe(t, unit, value) : `${label} · t ${t} · unit ${unit} · ${Number.isFinite(value) ? value.toFixed(4) : String(value)}`;
  };
  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const cell = cellAt(x, y, r.width, r.height, T, H);
    if (!cell) return setHover(null);
    setHover({ x, y, text: textAt(cell.t, cell.row) });
  };
  /** Keyboard: the arrow keys walk a cell cursor over the map and read it out (Home / End jump along time). */
  const showCell = (t: number, row: number) => {
    const ct = Math.min(Math.max(t, 0), T - 1), cr = Math.min(Math.max(row, 0), H - 1);
    cursor.current = { t: ct, row: cr };
    setHover({ x: ((ct + 0.5) / T) * width, y: ((cr + 0.5) / H) * height, text: textAt(ct, cr) });
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const c = cursor.current;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1], Home: [-T, 0], End: [T, 0] };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      showCell(c.t + m[0], c.row + m[1]);
    } else if (e.key === 'Escape') setHover(null);
  };

  return (
    <div className="heatmap" style={{ width, height }}>
      <canvas
        ref={canvas}
        data-testid={testId}
        data-gate={label}
        aria-label={`${label}: heatmap of ${T} time steps by ${H} units; hover, or focus and use the arrow keys, to read values`}
        role="img"
        style={{ width, height }}
        tabIndex={0}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
        onFocus={() => showCell(cursor.current.t, cursor.current.row)}
        onBlur={() => setHover(null)}
        onKeyDown={onKey}
      />
      {hover && (
        <div className="heatmap-tooltip" data-testid="heatmap-tooltip" role="tooltip" style={{ left: Math.min(hover.x + 10, width - 150), top: Math.max(0, hover.y - 30) }}>
          {hover.text}
        </div>
      )}
    </div>
  );
});
