// Forecast defaults from the data: the season from the changes' autocorrelation (not the time step alone), a window
// of two seasons where it fits, calendar features where the dates make them meaningful.
import { describe, expect, it } from 'vitest';
import { parseCsvPath } from '../../src/data/csv_node';
import { parseCsvString } from '../../src/data/csv_stream';
import { defaultCalendar, defaultWindow, forecastDefaults, MAX_DEFAULT_WINDOW } from '../../src/data/forecast_defaults';
import { detectSeason } from '../../src/data/season';
import { suggestedChoices } from '../../src/data/training_set';
import { fixturePath } from './helpers';

const DAY = 86_400_000;
const day = (d: number) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10);

describe('season', () => {
  it('keeps a lag the time step suggests only where the changes repeat at it', () => {
    const week = [3, 5, 4, 8, 9, 2, 1];
    expect(detectSeason(DAY, Float64Array.from({ length: 200 }, (_, i) => week[i % 7] + 0.01 * i)).season).toBe(7);
    // A smooth daily wander correlates at lag 7 only because it is smooth: its changes do not repeat weekly.
    let s = 11, v = 0;
    const walk = Float64Array.from({ length: 400 }, () => (v += ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5));
    expect(detectSeason(DAY, walk).season).toBeNull();
    // Without a familiar step: the clearest peak of the changes' autocorrelation.
    expect(detectSeason(null, Float64Array.from({ length: 300 }, (_, i) => Math.sin((2 * Math.PI * i) / 12) + 0.02 * i)).season).toBe(12);
  });

  it('monthly CO2 (Scripps): a season of 12 months, a window of two seasons, the month as a calendar feature', async () => {
    const table = await parseCsvPath(fixturePath('co2_concentration.csv'));
    const d = forecastDefaults(table, { target: 'CO2', timeColumn: 'Date', groupColumn: null });
    expect(d).toEqual({ window: 24, calendar: ['month'], season: 12 });
  });
});

describe('window and calendar', () => {
  it('two seasons where they fit in a tenth of the series and the cap, else one season and a step, else up to 24 steps', () => {
    expect(defaultWindow(1000, 12)).toBe(24);
    expect(defaultWindow(1000, 7)).toBe(24); // never shorter than the plain default
    expect(defaultWindow(1000, 24)).toBe(48);
    expect(defaultWindow(1000, 60)).toBe(61); // 120 > 100 rows of room
    expect(defaultWindow(10_000, 168)).toBe(24); // a week of hours is past the cap of MAX_DEFAULT_WINDOW
    expect(MAX_DEFAULT_WINDOW).toBe(64);
    expect(defaultWindow(100, null)).toBe(10);
  });

  it('calendar features for the step: hour, day of week, month; the longer cycle once the span covers two of it', () => {
    expect(defaultCalendar(3_600_000, 3 * DAY)).toEqual(['hour']);
    expect(defaultCalendar(3_600_000, 30 * DAY)).toEqual(['hour', 'day-of-week']);
    expect(defaultCalendar(DAY, 100 * DAY)).toEqual(['day-of-week']);
    expect(defaultCalendar(DAY, 1000 * DAY)).toEqual(['day-of-week', 'day-of-year']);
    expect(defaultCalendar(30 * DAY, 1000 * DAY)).toEqual(['month']);
    expect(defaultCalendar(1000, 1000 * DAY)).toEqual([]);
  });

  it('the suggestion a newly loaded daily file gets', async () => {
    const rows = Array.from({ length: 120 }, (_, d) => `${day(d)},${(10 + Math.sin(d / 3)).toFixed(3)}`);
    const c = suggestedChoices(await parseCsvString(`date,v\n${rows.join('\n')}\n`));
    expect(c).toMatchObject({ task: 'forecast', targets: ['v'], window: 12, calendar: ['day-of-week'] });
  });
});
