// Base44's "simple" recurrence: every `interval` minutes, hours, days, weeks or months from `start`,
// optionally only on some weekdays. Minutes and hours are a fixed period of real time; days, weeks
// and months keep start's local time of day, through DST changes as a cron pattern would.
import { ValidationError } from "../../core/errors.js";
import type { SimpleRecurrence } from "../scheduleSpec.js";
import { checkTimeZone } from "./cronPattern.js";
import {
  type TimeOfDay,
  dailyAt,
  dateOfDay,
  dayNumber,
  daysInMonth,
  isoInstant,
  localDateTimeOf,
  parseIsoDateTime,
  weekdayOf,
} from "./localTime.js";

/** The first run strictly after an instant (ms), or null. */
export type NextRun = (afterMs: number) => number | null;

// How many candidates a search looks at before deciding there is no run: about five years of daily
// ones. Only a recurrence whose `days` exclude every candidate (every 7 days, only on another
// weekday) gets that far.
const MAX_CANDIDATES = 5 * 366;

const UNITS = ["minutes", "hours", "days", "weeks", "months"];

interface Plan {
  timeZone: string;
  startMs: number;
  startDay: number;
  time: TimeOfDay;
  /** The `days` filter, if any. */
  weekdays?: Set<number>;
}

/** Checks a simple recurrence (ValidationError if malformed) and returns its next-run function. */
export function compileSimple(rec: SimpleRecurrence & { timezone: string }): NextRun {
  const plan = planOf(rec);
  const next = nextOf(rec, plan);
  // Never a run before start: a search from before it starts just before it.
  return (afterMs) => next(Math.max(afterMs, plan.startMs - 1));
}

function nextOf(rec: SimpleRecurrence, plan: Plan): NextRun {
  const { interval } = rec;
  switch (rec.unit) {
    case "minutes":
      return byPeriod(plan, interval * 60_000);
    case "hours":
      return byPeriod(plan, interval * 3_600_000);
    case "days":
      return byDays(plan, (afterDay) => everyNDays(plan.startDay, interval, afterDay));
    case "weeks": {
      const weekdays = rec.days?.length ? rec.days : [weekdayOf(plan.startDay)];
      return byDays(plan, (afterDay) => everyNWeeks(plan.startDay, interval, weekdays, afterDay));
    }
    case "months": {
      const dayOfMonth = rec.dayOfMonth ?? dateOfDay(plan.startDay).day;
      return byDays(plan, (afterDay) => everyNMonths(plan.startDay, interval, dayOfMonth, afterDay));
    }
  }
}

/** start + k * period (k >= 0), in real time; with `days`, only those falling on these local weekdays. */
function byPeriod(plan: Plan, periodMs: number): NextRun {
  const midnight = plan.weekdays && dailyAt({ hour: 0, minute: 0, second: 0 }, plan.timeZone);
  return (afterMs) => {
    let k = Math.floor((afterMs - plan.startMs) / periodMs) + 1;
    for (let tried = 0; tried < MAX_CANDIDATES; tried++) {
      const at = plan.startMs + k * periodMs;
      if (!plan.weekdays || !midnight) return at;
      const day = localDateTimeOf(at, plan.timeZone).day;
      if (plan.weekdays.has(weekdayOf(day))) return at;
      // A day that is left out: jump to the first candidate of the next local date.
      const nextDate = midnight(day + 1) ?? at + periodMs;
      k = Math.max(k + 1, Math.ceil((nextDate - plan.startMs) / periodMs));
    }
    return null;
  };
}

/** At start's local time on candidate local dates (ascending, from about the date of `after`). */
function byDays(plan: Plan, candidates: (afterDay: number) => Iterable<number>): NextRun {
  const at = dailyAt(plan.time, plan.timeZone);
  return (afterMs) => {
    let tried = 0;
    for (const day of candidates(localDateTimeOf(afterMs, plan.timeZone).day)) {
      if (++tried > MAX_CANDIDATES) return null;
      if (plan.weekdays && !plan.weekdays.has(weekdayOf(day))) continue;
      const run = at(day);
      if (run !== null && run >= plan.startMs && run > afterMs) return run;
    }
    return null;
  };
}

function* everyNDays(startDay: number, n: number, afterDay: number): Iterable<number> {
  for (let k = Math.max(0, Math.floor((afterDay - startDay) / n)); ; k++) yield startDay + k * n;
}

/** On `weekdays` of every n-th week, weeks counted from start's week and beginning on Monday. */
function* everyNWeeks(startDay: number, n: number, weekdays: number[], afterDay: number): Iterable<number> {
  const sinceMonday = (day: number) => (weekdayOf(day) + 6) % 7;
  const monday = startDay - sinceMonday(startDay);
  const offsets = [...new Set(weekdays.map((weekday) => (weekday + 6) % 7))].sort((a, b) => a - b);
  const firstWeek = Math.max(0, Math.floor((afterDay - monday) / 7 / n)) * n;
  for (let week = firstWeek; ; week += n) {
    for (const offset of offsets) yield monday + week * 7 + offset;
  }
}

/** On `dayOfMonth` (or the month's last day) of every n-th month, counted from start's month. */
function* everyNMonths(startDay: number, n: number, dayOfMonth: number, afterDay: number): Iterable<number> {
  const monthIndex = (day: number) => {
    const { year, month } = dateOfDay(day);
    return year * 12 + month - 1;
  };
  const first = monthIndex(startDay);
  for (let k = Math.max(0, Math.floor((monthIndex(afterDay) - first) / n)); ; k++) {
    const index = first + k * n;
    const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
    yield dayNumber(year, month, Math.min(dayOfMonth, daysInMonth(year, month)));
  }
}

function planOf(rec: SimpleRecurrence & { timezone: string }): Plan {
  checkShape(rec);
  const start = parseIsoDateTime(rec.start);
  if (start === undefined) {
    throw new ValidationError(`start "${rec.start}" is not an ISO-8601 date-time such as "2026-12-07T09:00"`);
  }
  const weekdays = rec.days?.length ? new Set(rec.days) : undefined;
  // Runs are whole seconds, as cron's are.
  start.millisecond = 0;
  if (start.offsetMinutes !== undefined) {
    const startMs = isoInstant(start);
    const local = localDateTimeOf(startMs, rec.timezone);
    return { timeZone: rec.timezone, startMs, startDay: local.day, time: local, weekdays };
  }
  // A local start is read like a cron time: in a DST gap it is the first instant after the gap.
  const startMs = dailyAt(start, rec.timezone)(start.day);
  if (startMs === null) throw new ValidationError(`start "${rec.start}" does not exist in ${rec.timezone}`);
  return { timeZone: rec.timezone, startMs, startDay: start.day, time: start, weekdays };
}

function checkShape(rec: SimpleRecurrence & { timezone: string }): void {
  if (!UNITS.includes(rec.unit)) {
    throw new ValidationError(`unit "${rec.unit}" is not one of ${UNITS.join(", ")}`);
  }
  if (!Number.isInteger(rec.interval) || rec.interval < 1) {
    throw new ValidationError(
      `interval must be a whole number of ${rec.unit}, 1 or more (got ${rec.interval})`,
    );
  }
  if (
    rec.days !== undefined &&
    !(Array.isArray(rec.days) && rec.days.every((day) => Number.isInteger(day) && day >= 0 && day <= 6))
  ) {
    throw new ValidationError(
      `days must be weekdays from 0 (Sunday) to 6 (Saturday) (got ${String(rec.days)})`,
    );
  }
  const dayOfMonth = rec.dayOfMonth;
  if (dayOfMonth !== undefined && !(Number.isInteger(dayOfMonth) && dayOfMonth >= 1 && dayOfMonth <= 31)) {
    throw new ValidationError(`dayOfMonth must be a day from 1 to 31 (got ${dayOfMonth})`);
  }
  checkTimeZone(rec.timezone);
}
