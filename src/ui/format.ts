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
export function formatStat(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Number(v.toPrecision(4)).toString();
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A duration for people: "45 s", "3 min 20 s", "1 h 5 min"; an em dash when unknown. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** An axis tick: two significant digits, no trailing zeros. */
export function formatTick(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(2)).toString() : '';
}

/** A share as a percentage with one decimal. */
export function formatPercent(v: number): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—';
}

/** Bytes for people: KiB, MiB or GiB with three significant digits. */
export function formatBytes(b: number): string {
  if (!Number.isFinite(b)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = b;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number(v.toPrecision(3))} ${units[i]}`;
}
