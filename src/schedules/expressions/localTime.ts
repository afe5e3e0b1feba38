// Wall-clock dates and times in an IANA time zone, for the simple recurrences: reading an instant's
// local date and time, writing ISO-8601 date-times, and turning a local time on a local date back
// into an instant. Local dates are day numbers (days since 1970-01-01), so stepping is arithmetic.
import { Cron } from "croner";

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface TimeOfDay {
  hour: number;
  minute: number;
  second: number;
}

export interface LocalDateTime extends TimeOfDay {
  /** Days since 1970-01-01 (a Thursday). */
  day: number;
}

export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function dateOfDay(day: number): { year: number; month: number; day: number } {
  const date = new Date(day * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 (Sunday) to 6. */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local date and time of an instant in `timeZone`. */
export function localDateTimeOf(instantMs: number, timeZone: string): LocalDateTime {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(instantMs)) parts[part.type] = Number(part.value);
  return {
    day: dayNumber(parts.year!, parts.month!, parts.day!),
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

export interface IsoDateTime extends LocalDateTime {
  millisecond: number;
  /** Minutes east of UTC when the text has an offset (or Z); undefined for a local date-time. */
  offsetMinutes?: number;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** An ISO-8601 date or date-time, with or without an offset; undefined if it isn't one. */
export function parseIsoDateTime(text: string): IsoDateTime | undefined {
  const match = ISO.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "0", offset] = match;
  const [year, month, date, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as number[];
  const valid =
    month! >= 1 &&
    month! <= 12 &&
    date! >= 1 &&
    date! <= daysInMonth(year!, month!) &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59;
  if (!valid) return undefined;
  return {
    day: dayNumber(year!, month!, date!),
    hour: hour!,
    minute: minute!,
    second: second!,
    millisecond: Number(fraction.slice(0, 3).padEnd(3, "0")),
    offsetMinutes: offset === undefined ? undefined : offsetMinutes(offset),
  };
}

function offsetMinutes(offset: string): number {
  if (offset.toUpperCase() === "Z") return 0;
  const digits = offset.replace(":", "");
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0);
  return offset.startsWith("-") ? -minutes : minutes;
}

/** The instant an ISO date-time with an offset names (a local one is read as UTC). */
export function isoInstant(iso: IsoDateTime): number {
  const wall = iso.day * DAY_MS + ((iso.hour * 60 + iso.minute) * 60 + iso.second) * 1000 + iso.millisecond;
  return wall - (iso.offsetMinutes ?? 0) * 60_000;
}

/**
 * The instants of one local time of day, date by date, with cron's DST rule: a time in the
 * spring-forward gap runs at the first instant after the gap, a time that occurs twice runs at its
 * first occurrence. Croner computes them, so simple recurrences and cron patterns can't disagree.
 * Null for a date that has no such time (a zone that skipped a whole day).
 */
export function dailyAt(time: TimeOfDay, timeZone: string): (day: number) => number | null {
  const job = new Cron(`${time.second} ${time.minute} ${time.hour} * * *`, { timezone: timeZone });
  return (day) => {
    // Offsets are at most +14 h, so this is before the local date begins in any zone; the runs of
    // the one or two dates before it are skipped.
    let from = day * DAY_MS - 15 * HOUR_MS;
    for (let i = 0; i < 4; i++) {
      const run = job.nextRun(new Date(from));
      if (run === null) return null;
      const runDay = localDateTimeOf(run.getTime(), timeZone).day;
      if (runDay === day) return run.getTime();
      if (runDay > day) return null;
      from = run.getTime();
    }
    return null;
  };
}
