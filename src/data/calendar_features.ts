// Calendar features from a timestamp as sine/cosine pairs, so 23:00 sits next to 00:00 and December next to January.
import type { CalendarFeature } from './training_types';

export const CALENDAR_FEATURES: readonly CalendarFeature[] = ['hour', 'day-of-week', 'month', 'day-of-year'];

/** Feature names, two per calendar feature: "hour_sin", "hour_cos", … */
export function calendarFeatureNames(features: CalendarFeature[]): string[] {
  return features.flatMap((f) => [`${f}_sin`, `${f}_cos`]);
}

/** Where in its cycle the UTC time `ms` falls, from 0 (inclusive) to 1 (exclusive). */
export function cyclePosition(feature: CalendarFeature, ms: number): number {
  const d = new Date(ms);
  switch (feature) {
    case 'hour':
      return (d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600) / 24;
    case 'day-of-week':
      return (d.getUTCDay() + d.getUTCHours() / 24) / 7;
    case 'month': {
      const days = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      return (d.getUTCMonth() + (d.getUTCDate() - 1) / days) / 12;
    }
    case 'day-of-year': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      return (ms - start) / (365.25 * 86_400_000);
    }
  }
}

/** Writes the sine/cosine pairs for `features` at time `ms` into out[offset…]. */
export function writeCalendarFeatures(features: CalendarFeature[], ms: number, out: Float32Array, offset: number): void {
  features.forEach((f, i) => {
    const angle = 2 * Math.PI * cyclePosition(f, ms);
    out[offset + 2 * i] = Math.sin(angle);
    out[offset + 2 * i + 1] = Math.cos(angle);
  });
}
