/**
 * Dates and instants as clients write them: RFC 3339 (`full-date` and `date-time`), strictly. The
 * API's `Date` and `DateTime` scalars, cursors and the zod vocabulary all read them here.
 *
 * The range is what PostgreSQL stores and JavaScript prints the same way: years 0001 to 9999 (year 0
 * does not exist in PostgreSQL's calendar; a five-digit year would print as `+010000`). Each field
 * then narrows it to what its domain needs (vocabulary.ts `date()`, `instant()`), as a userError.
 */

export const EARLIEST_DATE = '0001-01-01';
export const LATEST_DATE = '9999-12-31';
const FIRST_MS = new Date('0001-01-01T00:00:00.000Z').getTime();
const LAST_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

/**
 * True for a real calendar date written YYYY-MM-DD, years 0001–9999 (rejects 2024-02-30 and
 * 0000-01-01). Arithmetic, not a Date object: the Date serializer runs for every date of every answer.
 */
export function isIsoDate(value: string): boolean {
  const m = FULL_DATE.exec(value);
  return m != null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** RFC 3339 date-time: a zone is required (Z or ±hh:mm); T or t; fractions of a second to nanoseconds. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant an RFC 3339 date-time names, or null when it is not one: a real calendar date, hours
 * 00–23, minutes and seconds 00–59 (a leap second, :60, has no JavaScript instant), an offset up to
 * ±23:59, and the instant itself within years 0001–9999 in UTC. Fractions below a millisecond are cut.
 */
export function parseInstant(value: string): Date | null {
  const m = DATE_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (!isRealDate(year!, month!, day!) || hour! > 23 || minute! > 59 || second! > 59) return null;
  let offsetMinutes = 0;
  if (!m[8]) {
    const [oh, om] = [Number(m[10]), Number(m[11])];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = m[7] ? Number(m[7].slice(1, 4).padEnd(3, '0')) : 0;
  const local = new Date(0);
  local.setUTCFullYear(year!, month! - 1, day!); // setUTCFullYear, not Date.UTC: years 1–99 stay themselves
  local.setUTCHours(hour!, minute!, second!, millis);
  const time = local.getTime() - offsetMinutes * 60_000;
  return time >= FIRST_MS && time <= LAST_MS ? new Date(time) : null;
}

/** `isoDate` plus `months` calendar months; a day the target month lacks becomes its last day. */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

/** The date `days` calendar days after `isoDate` (before it when negative), in UTC date arithmetic. */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
