// Missing-value policies for a series: leave the gaps (their windows are dropped), forward-fill, or interpolate linearly.

/** 'drop': windows touching a missing value are left out; 'forward-fill': repeat the last value; 'interpolate': a straight line between neighbours. */
export type MissingPolicy = 'drop' | 'forward-fill' | 'interpolate';

/**
 * Fills NaN entries of `series[from..to)` in place and returns how many were filled. Forward-fill leaves leading
 * NaNs; interpolation leaves leading and trailing NaNs (nothing on one side to draw the line from).
 */
export function fillMissing(series: Float64Array, policy: MissingPolicy, from = 0, to = series.length): number {
  if (policy === 'drop') return 0;
  let filled = 0;
  if (policy === 'forward-fill') {
    let last = NaN;
    for (let i = from; i < to; i++) {
      if (Number.isNaN(series[i])) {
        if (!Number.isNaN(last)) {
          series[i] = last;
          filled++;
        }
      } else last = series[i];
    }
    return filled;
  }
  let previous = -1;
  for (let i = from; i < to; i++) {
    if (Number.isNaN(series[i])) continue;
    if (previous >= 0 && i - previous > 1) {
      const a = series[previous];
      const step = (series[i] - a) / (i - previous);
      for (let j = previous + 1; j < i; j++) series[j] = a + step * (j - previous);
      filled += i - previous - 1;
    }
    previous = i;
  }
  return filled;
}

