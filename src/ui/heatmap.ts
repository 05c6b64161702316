// Pure heatmap math: a grayscale-safe colour scale (viridis), value domains per gate, unit order, saturation, pixels.

/** Viridis at nine stops (matplotlib): lightness rises monotonically, so it reads in grayscale and for colour-blind eyes. */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37],
];

/** The colour of t in [0, 1] (clamped; NaN is drawn as mid-gray). */
export function viridis(t: number): [number, number, number] {
  if (!Number.isFinite(t)) return [128, 128, 128];
  const x = Math.min(Math.max(t, 0), 1) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(x), VIRIDIS.length - 2);
  const f = x - i;
  const a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** CSS gradient stops of the scale, for legends. */
export function viridisCss(): string {
  return VIRIDIS.map(([r, g, b], i) => `rgb(${r} ${g} ${b}) ${((100 * i) / (VIRIDIS.length - 1)).toFixed(1)}%`).join(', ');
}

/** Relative luminance (0..1) of an sRGB colour: tests check the scale rises in lightness. */
export function luminance([r, g, b]: [number, number, number]): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Sigmoid gates live in [0, 1]; tanh ones in [-1, 1]; the LSTM cell state is unbounded (symmetric around its largest |c|). */
export function isSigmoidGate(name: string): boolean {
  return name === 'i' || name === 'f' || name === 'o' || name === 'r' || name === 'z';
}

export function gateDomain(name: string, values: ArrayLike<number>): [number, number] {
  if (isSigmoidGate(name)) return [0, 1];
  if (name !== 'c') return [-1, 1];
  let m = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) m = Math.max(m, Math.abs(values[i]));
  return m > 1 ? [-m, m] : [-1, 1];
}

/**
 * Unit order for display: most active first, activity = mean |value| over time of `values` ([T][H] flattened);
 * ties keep the unit's number. Without sorting, units stay 0..H-1.
 */
export function activityOrder(values: ArrayLike<number>, T: number, H: number): number[] {
  const score = new Float64Array(H);
  for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) score[j] += Math.abs(values[t * H + j] || 0);
  return Array.from({ length: H }, (_, j) => j).sort((a, b) => score[b] - score[a] || a - b);
}

/** Share of units (0..1) at each step that are saturated: a sigmoid gate within 0.05 of 0 or 1, a tanh value within 0.05 of ±1. */
export function saturationOverTime(name: string, values: ArrayLike<number>, T: number, H: number): number[] {
  const sigmoid = isSigmoidGate(name);
  const out: number[] = [];
  for (let t = 0; t < T; t++) {
    let n = 0;
    for (let j = 0; j < H; j++) {
      const v = values[t * H + j];
      if (sigmoid ? v < 0.05 || v > 0.95 : Math.abs(v) > 0.95) n++;
    }
    out.push(H > 0 ? n / H : 0);
  }
  return out;
}

/**
 * RGBA pixels of a heatmap with time across (T columns) and units down (H rows, in `order`), each value mapped
 * linearly from `domain` onto viridis. One pixel per cell; the canvas scales it up without smoothing.
 */
export function heatmapPixels(values: ArrayLike<number>, T: number, H: number, order: number[], domain: [number, number]): Uint8ClampedArray {
  const px = new Uint8ClampedArray(T * H * 4);
  const [lo, hi] = domain;
  const span = hi - lo || 1;
  for (let row = 0; row < H; row++) {
    const j = order[row];
    for (let t = 0; t < T; t++) {
      const [r, g, b] = viridis((values[t * H + j] - lo) / span);
      const k = (row * T + t) * 4;
      px[k] = r;
      px[k + 1] = g;
      px[k + 2] = b;
      px[k + 3] = 255;
    }
  }
  return px;
}

/** The cell under a point of a heatmap drawn `width` × `height` CSS pixels: time step and display row, or null outside. */
export function cellAt(x: number, y: number, width: number, height: number, T: number, rows: number): { t: number; row: number } | null {
  if (x < 0 || y < 0 || x >= width || y >= height || T < 1 || rows < 1) return null;
  return { t: Math.min(T - 1, Math.floor((x / width) * T)), row: Math.min(rows - 1, Math.floor((y / height) * rows)) };
}

/** log10 of a gradient norm for the across-training heatmap (tiny norms clamp at 1e-12). */
export function logNorm(v: number): number {
  return Math.log10(Math.max(v, 1e-12));
}
