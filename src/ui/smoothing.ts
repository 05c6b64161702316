// Exponential-moving-average smoothing of a noisy curve (TensorBoard's debiased form); non-finite points pass through.

/** weight 0 returns the values; towards 1 smooths more. The first points are debiased so the curve starts in place. */
export function smoothSeries(values: ArrayLike<number | null>, weight: number): (number | null)[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out: (number | null)[] = [];
  let last = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    if (w === 0) {
      out.push(v);
      continue;
    }
    last = last * w + (1 - w) * v;
    count++;
    out.push(last / (1 - Math.pow(w, count)));
  }
  return out;
}
