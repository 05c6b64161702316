// Display formatting for numbers shown in the UI and in data-* attributes.

/** A loss for people: four significant digits, or an em dash when unknown. */
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : String(v);
  return v === 0 ? '0' : v.toPrecision(4);
}

/** A number for machines (data-* attributes): full precision, or empty when unknown. */
export function attrNumber(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

/** A summary statistic: up to four significant digits. */
export function formatStat(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return Number(v.toPrecision(4)).toString();
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** An axis tick: two significant digits, no trailing zeros. */
export function formatTick(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(2)).toString() : '';
}
