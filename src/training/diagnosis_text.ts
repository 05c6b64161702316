// Numbers as the diagnosis writes them in its messages: short, with the precision a person reads.
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** One significant digit (1, 2, 5 × a power of ten, rounded up): a value a person would type. */
export function nice(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  const step = m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10;
  return Number((step * p).toPrecision(1));
}

/** The number with three significant digits (a learning rate / 10 stays 0.001, not 0.0009999…). */
export function round3(v: number): number {
  return Number(v.toPrecision(3));
}
