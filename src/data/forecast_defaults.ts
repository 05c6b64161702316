// Forecast defaults read from the data: the season (training part's autocorrelation), a window covering two seasons
// where the series is long enough, and calendar features where the time column holds dates at a familiar step.
import type { CalendarFeature } from './training_types';
import { profileColumn } from './column_stats';
import { timeValues } from './dataset_shape';
import { typicalStep } from './forecast_series';
import { groupRows, rowsByGroup } from './groups';
import { detectSeason } from './season';
import { timeCuts } from './splits';
import { columnNamed, numericValues, type DataTable } from './table';

/** The longest window a default picks (SwiftShader trains T = 64 at a usable pace; a person can choose more). */
export const MAX_DEFAULT_WINDOW = 64;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const near = (step: number, target: number) => Math.abs(step - target) <= 0.05 * target;

export interface ForecastDefaults {
  window: number;
  calendar: CalendarFeature[];
  /** The season found in the training part of the longest series, or null. */
  season: number | null;
}

/** Calendar features a date step makes meaningful: hour (hourly), day of week (daily), month (monthly), plus the
 *  next-longer cycle (day of week for hourly data, day of year for daily or weekly data) when the span covers two of it. */
export function defaultCalendar(stepMs: number, spanMs: number): CalendarFeature[] {
  if (near(stepMs, HOUR)) return spanMs >= 14 * DAY ? ['hour', 'day-of-week'] : ['hour'];
  if (near(stepMs, DAY)) return spanMs >= 730 * DAY ? ['day-of-week', 'day-of-year'] : ['day-of-week'];
  if (near(stepMs, 7 * DAY)) return spanMs >= 730 * DAY ? ['day-of-year'] : [];
  if (stepMs >= 28 * DAY && stepMs <= 31 * DAY) return ['month'];
  return [];
}

/** The window: two seasons when they fit in a tenth of the longest series (and MAX_DEFAULT_WINDOW), else one, else up to 24 steps. */
export function defaultWindow(longest: number, season: number | null): number {
  const room = Math.floor(longest / 10);
  const plain = Math.max(1, Math.min(24, room));
  if (season === null) return plain;
  if (2 * season <= Math.min(room, MAX_DEFAULT_WINDOW)) return Math.max(plain, 2 * season);
  if (season + 1 <= Math.min(room, MAX_DEFAULT_WINDOW)) return Math.max(plain, season + 1);
  return plain;
}

export function forecastDefaults(
  table: DataTable,
  o: { target: string; timeColumn: string | null; groupColumn: string | null; valFraction?: number; testFraction?: number },
): ForecastDefaults {
  const values = numericValues(table, o.target, 'a target');
  const timeColumn = o.timeColumn === null ? null : columnNamed(table, o.timeColumn);
  const times = timeColumn ? timeValues(timeColumn) : null;
  const isDate = timeColumn !== null && profileColumn(timeColumn).type === 'date';
  const groups = rowsByGroup(groupRows(table, o.groupColumn), times);
  const longest = groups.reduce((a, b) => (b.length > a.length ? b : a), new Int32Array(0));
  const step = typicalStep(groups, times);
  const { trainEnd } = timeCuts(longest.length, o.valFraction ?? 0.2, o.testFraction ?? 0.1);
  const training = Float64Array.from(longest.subarray(0, trainEnd), (r) => values[r]);
  const { season } = detectSeason(isDate ? step : null, training);
  let calendar: CalendarFeature[] = [];
  if (isDate && step !== null && times && longest.length > 1) calendar = defaultCalendar(step, times[longest[longest.length - 1]] - times[longest[0]]);
  return { window: defaultWindow(longest.length, season), calendar, season };
}
