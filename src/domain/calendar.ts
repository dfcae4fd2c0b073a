// Beijing dates and China's working days. All date math is done in Beijing time
// (UTC+8, no daylight saving) from epoch milliseconds, never in the machine's
// time zone: a server in UTC must remind at 09:00 in Kunming, not 09:00 in London.
//
// The official schedule (public holidays and the weekend days worked in their
// place) comes from the `chinese-days` package's data file. For a year it does not
// cover, only weekends are days off.
import chineseDays from 'chinese-days/dist/chinese-days.json';

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** 'YYYY-MM-DD' */
export type DateString = string;

const holidays: Record<string, string> = chineseDays.holidays;
const workdays: Record<string, string> = chineseDays.workdays;
const coveredYears = new Set(Object.keys(holidays).map((d) => Number(d.slice(0, 4))));

/** The years the official schedule covers (the package's data; 2004–2026 in chinese-days 1.5.7). */
export function calendarCoverage(): { from: number; to: number } {
  const years = [...coveredYears];
  return { from: Math.min(...years), to: Math.max(...years) };
}

export function isCoveredYear(year: number): boolean {
  return coveredYears.has(year);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The Beijing calendar date of an instant. */
export function beijingDate(at: number): DateString {
  const d = new Date(at + BEIJING_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The instant of a Beijing wall-clock time, e.g. ('2025-05-31', '09:00'). */
export function beijingInstant(date: DateString, time = '00:00'): number {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return Date.UTC(y, m - 1, d, hh, mm) - BEIJING_OFFSET_MS;
}

export function addDays(date: DateString, days: number): DateString {
  return beijingDate(beijingInstant(date) + days * DAY_MS);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: DateString, b: DateString): number {
  return Math.round((beijingInstant(b) - beijingInstant(a)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: DateString): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && beijingDate(beijingInstant(date)) === date;
}

/** A working day: the official schedule where it exists, otherwise Monday to Friday. */
export function isWorkingDay(date: DateString): boolean {
  if (isCoveredYear(Number(date.slice(0, 4)))) {
    if (date in workdays) return true; // a weekend day worked in place of a holiday
    if (date in holidays) return false;
  }
  const wd = weekday(date);
  return wd !== 0 && wd !== 6;
}

/** The date itself when it is a working day, else the last working day before it. */
export function workingDayOnOrBefore(date: DateString): DateString {
  let d = date;
  // The longest run of days off (Spring Festival plus a weekend) is well under 30 days.
  for (let i = 0; i < 30 && !isWorkingDay(d); i++) d = addDays(d, -1);
  return d;
}

/** The holiday's name for display ("国庆节"), or "周六"/"周日", or undefined on a working day. */
export function dayOffName(date: DateString): string | undefined {
  if (isWorkingDay(date)) return undefined;
  const h = isCoveredYear(Number(date.slice(0, 4))) ? holidays[date] : undefined;
  if (h) return h.split(',')[1];
  return weekday(date) === 0 ? '周日' : '周六';
}

const weekdayNames = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
export const weekdayName = (date: DateString): string => weekdayNames[weekday(date)];
