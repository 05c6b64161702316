// Recognizes date and date-time cells in the forms people use and turns them into UTC milliseconds.

/**
 * Families of date forms; a date column holds one family (so "01/02/2003" and "2003-02-01" are not mixed).
 * 'iso': 2012-01-01, 2010-01-01T01:00:00(Z|+02:00); 'year-month': 1949-01; 'ymd': 2015/01/01 01:00:00 or 2015.01.01;
 * 'day-month': 01/02/2003, 01-02-2003 or 01.02.2003, where day and month order is found from the data;
 * 'month-name': Jan 1 2000, January 1, 2000, 1 Jan 2000, 01-Jan-2000.
 */
export type DateFamily = 'iso' | 'year-month' | 'ymd' | 'day-month' | 'month-name';

/** Which number comes first in a 'day-month' cell such as 01/02/2003. */
export type DayMonthOrder = 'month-first' | 'day-first';

export interface DateReading {
  family: DateFamily;
  /** The form, for people: 'YYYY-MM-DD', 'YYYY-MM-DDTHH:mm:ss', 'MM/DD/YYYY', 'MMM D YYYY', … */
  label: string;
  /** Milliseconds since 1970-01-01 UTC; a date without a time zone is read as UTC. */
  ms: number;
}

const TIME = String.raw`(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp][Mm])?)?\s*(Z|[+-]\d{2}:?\d{2})?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`);
const YEAR_MONTH = /^(\d{4})-(\d{1,2})$/;
const YMD = new RegExp(String.raw`^(\d{4})([/.])(\d{1,2})\2(\d{1,2})${TIME}$`);
const DAY_MONTH = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})${TIME}$`);
const NAME_FIRST = new RegExp(String.raw`^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`);
const DAY_FIRST_NAME = new RegExp(String.raw`^(\d{1,2})[\s-]([A-Za-z]{3,9})\.?[\s,-]+(\d{4})${TIME}$`);

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Reads one trimmed cell as a date, or returns null; a 'day-month' cell is read in the given order. */
export function readDateCell(cell: string, order: DayMonthOrder = 'month-first'): DateReading | null {
  const first = cell.charCodeAt(0);
  const startsWithDigit = first >= 48 && first <= 57;
  if (!startsWithDigit && !/^[A-Za-z]/.test(cell)) return null;
  let m: RegExpExecArray | null;
  if (startsWithDigit) {
    if ((m = ISO.exec(cell))) return build('iso', +m[1], +m[2], +m[3], m, 4, isoLabel(cell, m));
    if ((m = YEAR_MONTH.exec(cell))) return build('year-month', +m[1], +m[2], 1, null, 0, 'YYYY-MM');
    if ((m = YMD.exec(cell))) return build('ymd', +m[1], +m[3], +m[4], m, 5, `YYYY${m[2]}MM${m[2]}DD${timeLabel(m, 5)}`);
    if ((m = DAY_MONTH.exec(cell))) {
      const [a, b] = [+m[1], +m[3]];
      const sep = m[2];
      const label = order === 'month-first' ? `MM${sep}DD${sep}YYYY` : `DD${sep}MM${sep}YYYY`;
      const [month, day] = order === 'month-first' ? [a, b] : [b, a];
      return build('day-month', +m[4], month, day, m, 5, label + timeLabel(m, 5));
    }
    if ((m = DAY_FIRST_NAME.exec(cell))) {
      const month = monthNumber(m[2]);
      const dashed = cell.includes('-');
      const label = dashed ? 'DD-MMM-YYYY' : 'D MMM YYYY';
      return month === 0 ? null : build('month-name', +m[3], month, +m[1], m, 4, label + timeLabel(m, 4));
    }
    return null;
  }
  if ((m = NAME_FIRST.exec(cell))) {
    const month = monthNumber(m[1]);
    const label = cell.includes(',') ? 'MMM D, YYYY' : 'MMM D YYYY';
    return month === 0 ? null : build('month-name', +m[3], month, +m[2], m, 4, label + timeLabel(m, 4));
  }
  return null;
}

/**
 * For a 'day-month' cell (01/02/2003), which readings are possible: 'month-first', 'day-first', 'either' (both
 * numbers at most 12) or null when it is not such a cell or neither reading is a real date.
 */
export function dayMonthEvidence(cell: string): DayMonthOrder | 'either' | null {
  const m = DAY_MONTH.exec(cell);
  if (!m) return null;
  const monthFirst = readDateCell(cell, 'month-first') !== null;
  const dayFirst = readDateCell(cell, 'day-first') !== null;
  if (monthFirst && dayFirst) return 'either';
  return monthFirst ? 'month-first' : dayFirst ? 'day-first' : null;
}

/** The same instant with day and month exchanged (for dates read month-first that turn out to be day-first). */
export function swapDayAndMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCDate() - 1, d.getUTCMonth() + 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** A date for reports: 'YYYY-MM-DD', or 'YYYY-MM-DDTHH:mm:ss' when it has a time of day ('YYYY-MM' for year-month). */
export function formatDate(ms: number, family?: DateFamily): string {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString();
  if (family === 'year-month') return iso.slice(0, 7);
  if (ms % 86_400_000 === 0) return iso.slice(0, 10);
  return iso.endsWith('.000Z') ? iso.slice(0, 19) : iso.slice(0, 23);
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((full) => full.startsWith(lower) || (lower === 'sept' && full === 'september'));
  return lower.length >= 3 ? index + 1 : 0;
}

function isoLabel(cell: string, m: RegExpExecArray): string {
  const sep = cell.length > 10 && cell[10] === 'T' ? 'T' : ' ';
  const time = timeLabel(m, 4);
  return `YYYY-MM-DD${time ? sep + time.trimStart() : ''}`;
}

/** ' HH:mm', ' HH:mm:ss', ' HH:mm:ss.SSS' (+ ' A' for am/pm, 'Z' for a zone), or '' without a time. */
function timeLabel(m: RegExpExecArray, at: number): string {
  if (m[at] === undefined) return m[at + 5] !== undefined ? 'Z' : '';
  let label = ' HH:mm';
  if (m[at + 2] !== undefined) label += ':ss';
  if (m[at + 3] !== undefined) label += '.SSS';
  if (m[at + 4] !== undefined) label += ' A';
  if (m[at + 5] !== undefined) label += 'Z';
  return label;
}

/** Checks the parts and makes UTC milliseconds; `m`/`at` locate the time groups (hour, minute, second, fraction, am/pm, zone). */
function build(family: DateFamily, year: number, month: number, day: number, m: RegExpExecArray | null, at: number, label: string): DateReading | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let millis = 0;
  let offsetMinutes = 0;
  if (m && m[at] !== undefined) {
    hour = +m[at];
    minute = +m[at + 1];
    second = m[at + 2] === undefined ? 0 : +m[at + 2];
    millis = m[at + 3] === undefined ? 0 : Math.round(Number(`0.${m[at + 3]}`) * 1000);
    const meridiem = m[at + 4]?.toLowerCase();
    if (meridiem) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || second > 59) return null;
  }
  const zone = m ? m[at + 5] : undefined;
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { family, label, ms };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
