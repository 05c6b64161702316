// Largest-Triangle-Three-Buckets down-sampling: keeps the shape of a long curve in a few hundred points.

/**
 * Indices of at most `threshold` points of (xs, ys) chosen by LTTB (Steinarsson 2013): the first and last points
 * always, then in each bucket the point forming the largest triangle with the previous pick and the next bucket's mean.
 * Points whose x or y is not finite are skipped. Returns every finite index when there are no more than `threshold`.
 */
export function lttbIndices(xs: ArrayLike<number>, ys: ArrayLike<number>, threshold: number): number[] {
  const finite: number[] = [];
  for (let i = 0; i < ys.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) finite.push(i);
  const n = finite.length;
  if (threshold >= n || n <= 2) return finite;
  const keep = Math.max(3, Math.floor(threshold));
  const out: number[] = [finite[0]];
  const every = (n - 2) / (keep - 2);
  let a = 0; // position in `finite` of the last pick
  for (let b = 0; b < keep - 2; b++) {
    // the next bucket's mean
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let mx = 0, my = 0;
    const span = Math.max(1, nextEnd - nextStart);
    for (let k = nextStart; k < nextEnd; k++) {
      mx += xs[finite[k]];
      my += ys[finite[k]];
    }
    if (nextEnd > nextStart) {
      mx /= span;
      my /= span;
    } else {
      mx = xs[finite[n - 1]];
      my = ys[finite[n - 1]];
    }
    // this bucket: the point with the largest triangle (last pick, point, next mean)
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const ax = xs[finite[a]], ay = ys[finite[a]];
    let best = -1, bestArea = -1;
    for (let k = start; k < end; k++) {
      const px = xs[finite[k]], py = ys[finite[k]];
      const area = Math.abs((ax - mx) * (py - ay) - (ax - px) * (my - ay));
      if (area > bestArea) {
        bestArea = area;
        best = k;
      }
    }
    if (best >= 0) {
      out.push(finite[best]);
      a = best;
    }
  }
  out.push(finite[n - 1]);
  return out;
}

/**
 * Rows of a multi-series table down-sampled for drawing: LTTB picks per series (each of at most `threshold` points),
 * merged in x order, so every series keeps its peaks. `series` lists the row fields to keep the shape of.
 */
export function downsampleRows<R extends { [k: string]: number | null }>(rows: R[], xKey: keyof R & string, series: (keyof R & string)[], threshold: number): R[] {
  if (rows.length <= threshold) return rows;
  const xs = rows.map((r) => r[xKey] ?? NaN);
  const picked = new Set<number>();
  for (const key of series) {
    const ys = rows.map((r) => r[key] ?? NaN);
    for (const i of lttbIndices(xs, ys, threshold)) picked.add(i);
  }
  picked.add(0);
  picked.add(rows.length - 1);
  return [...picked].sort((p, q) => p - q).map((i) => rows[i]);
}
