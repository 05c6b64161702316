// The season of a series from its training part: candidate lags from the time step, kept only where the series'
// changes repeat at that lag (autocorrelation of the first differences), else the clearest autocorrelation peak.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Lags a familiar time step suggests: minutes → hour, day; hours → day, week; days → week, year; … */
export function candidateSeasons(stepMs: number | null): number[] {
  if (stepMs === null) return [];
  const near = (target: number) => Math.abs(stepMs - target) <= 0.05 * target;
  if (near(MINUTE)) return [60, 1440];
  if (near(HOUR)) return [24, 168];
  if (near(DAY)) return [7, 365];
  if (near(7 * DAY)) return [52];
  if (stepMs >= 28 * DAY && stepMs <= 31 * DAY) return [12];
  if (stepMs >= 89 * DAY && stepMs <= 92 * DAY) return [4];
  return [];
}

/** Autocorrelation of `x` (mean removed, NaN skipped) at each lag 1 … maxLag; index 0 is 1. */
export function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  let n = 0, sum = 0;
  for (const v of x) if (Number.isFinite(v)) { n++; sum += v; }
  const r = new Float64Array(maxLag + 1);
  if (n < 3) return r;
  const mean = sum / n;
  let variance = 0;
  for (const v of x) if (Number.isFinite(v)) variance += (v - mean) ** 2;
  if (!(variance > 0)) return r;
  r[0] = 1;
  for (let lag = 1; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = lag; i < x.length; i++) {
      const a = x[i] - mean, b = x[i - lag] - mean;
      if (Number.isFinite(a) && Number.isFinite(b)) s += a * b;
    }
    r[lag] = s / variance;
  }
  return r;
}

/** First differences (NaN where either value is missing), the last 20,000 kept: enough to see a season, and quick. */
function changes(training: Float64Array): Float64Array {
  const from = Math.max(1, training.length - 20_000);
  const d = new Float64Array(training.length - from);
  for (let i = from; i < training.length; i++) d[i - from] = training[i] - training[i - 1];
  return d;
}

export interface SeasonGuess {
  season: number | null;
  /** Autocorrelation of the changes at that lag (NaN when none was found). */
  strength: number;
}

/**
 * The season in steps: among the lags the time step suggests (which need two seasons of training data), the one
 * where the changes correlate best, if above 0.2; without a familiar step, the highest autocorrelation peak of the
 * changes between lag 2 and min(500, n/3), if above 0.3. Null when the changes do not repeat.
 */
export function detectSeason(stepMs: number | null, training: Float64Array): SeasonGuess {
  const d = changes(training);
  const n = d.length;
  const candidates = candidateSeasons(stepMs).filter((m) => 2 * m <= n);
  if (candidates.length > 0) {
    const r = autocorrelation(d, Math.max(...candidates));
    let best: SeasonGuess = { season: null, strength: NaN };
    for (const m of candidates) if (r[m] > 0.2 && !(r[m] <= best.strength)) best = { season: m, strength: r[m] };
    if (best.season !== null) return best;
  }
  const maxLag = Math.min(500, Math.floor(n / 3));
  if (maxLag < 3) return { season: null, strength: NaN };
  const r = autocorrelation(d, maxLag + 1);
  let best: SeasonGuess = { season: null, strength: NaN };
  for (let lag = 2; lag <= maxLag; lag++) {
    if (r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1] && r[lag] > 0.3 && !(r[lag] <= best.strength)) best = { season: lag, strength: r[lag] };
  }
  return best;
}
