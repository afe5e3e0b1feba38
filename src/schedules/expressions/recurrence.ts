// When a Recurrence runs: the next run, the next few (to show users), and the runs missed while the
// platform was down (catch-up). Cron recurrences are computed by croner in their time zone; its DST
// rule (pinned by recurrence.test.ts) is also the one simple recurrences use:
// - a fixed time in the spring-forward gap runs once that day, at the first instant after the gap;
// - a fixed time that occurs twice (fall back) runs once, at its first occurrence;
// - a pattern with a wildcard, step, range or list in its time fields runs at every real matching
//   instant: "0 * * * *" runs 23 times on a spring-forward day and 25 times on a fall-back day.
import { ValidationError } from "../../core/errors.js";
import type { Recurrence } from "../scheduleSpec.js";
import { checkCron, cronJob } from "./cronPattern.js";
import { DAY_MS, isoInstant, parseIsoDateTime } from "./localTime.js";
import { type NextRun, compileSimple } from "./simpleRecurrence.js";

/** The first run strictly after `after`; null when there is none (a `once` that has passed). */
export function nextRun(rec: Recurrence, after: Date): Date | null {
  const next = compile(rec)(after.getTime());
  return next === null ? null : new Date(next);
}

/** Up to `count` runs after `after`, in order (fewer if the recurrence ends). */
export function nextRuns(rec: Recurrence, after: Date, count: number): Date[] {
  return collect(compile(rec), after.getTime(), Infinity, count);
}

/** The runs in (afterExclusive, untilInclusive], in order: the first `max` of them. */
export function runsBetween(
  rec: Recurrence,
  afterExclusive: Date,
  untilInclusive: Date,
  max: number,
): Date[] {
  return collect(compile(rec), afterExclusive.getTime(), untilInclusive.getTime(), max);
}

// How far back previousRun looks: rarer schedules than this ("0 0 29 2 +1" runs every 28 years or
// so) are not worth the search.
const LOOKBACK_MS = 100 * 366 * DAY_MS;

/**
 * The last run at or before `atOrBefore` (within a hundred years); null when there is none. It is
 * found with the forward search, so it is always a tick that nextRun and runsBetween give too.
 */
export function previousRun(rec: Recurrence, atOrBefore: Date): Date | null {
  const next = compile(rec);
  const until = atOrBefore.getTime();
  // Binary search for the latest instant whose next run is still not after `until`.
  let [low, high] = [until - LOOKBACK_MS, until];
  const first = next(low);
  if (first === null || first > until) return null;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    const run = next(middle);
    if (run !== null && run <= until) low = middle;
    else high = middle;
  }
  return new Date(next(low)!);
}

/**
 * Throws ValidationError if the recurrence is malformed or can never run. It doesn't read the
 * clock: a `once` in the past passes (its nextRun is null).
 */
export function checkRecurrence(rec: Recurrence): void {
  if (rec.kind === "cron") {
    checkCron(rec.cron, rec.timezone);
  } else if (rec.kind === "simple") {
    if (compileSimple(rec)(-Infinity) === null) {
      const days = rec.days?.join(", ");
      throw new ValidationError(
        `Never runs: every ${rec.interval} ${rec.unit} from ${rec.start} misses days ${days}`,
      );
    }
  } else {
    compile(rec);
  }
}

/** The cron pattern of a cron recurrence (to show users); null for the other kinds. */
export function cronOf(rec: Recurrence): string | null {
  return rec.kind === "cron" ? rec.cron : null;
}

function compile(rec: Recurrence): NextRun {
  switch (rec.kind) {
    case "cron": {
      const job = cronJob(rec.cron, rec.timezone);
      return (afterMs) => job.nextRun(new Date(afterMs))?.getTime() ?? null;
    }
    case "once": {
      const at = onceInstant(rec.at);
      return (afterMs) => (at > afterMs ? at : null);
    }
    case "simple":
      return compileSimple(rec);
    default:
      throw new ValidationError(`Unknown recurrence kind "${(rec as { kind: unknown }).kind}"`);
  }
}

// `once` has no time zone: an ISO date-time without an offset is read as UTC.
function onceInstant(at: string): number {
  const iso = parseIsoDateTime(at);
  if (iso === undefined) {
    throw new ValidationError(`at "${at}" is not an ISO-8601 date-time such as "2026-12-07T09:00:00Z"`);
  }
  return isoInstant(iso);
}

function collect(next: NextRun, afterMs: number, untilMs: number, max: number): Date[] {
  const runs: Date[] = [];
  for (let at = next(afterMs); at !== null && at <= untilMs && runs.length < max; at = next(at)) {
    runs.push(new Date(at));
  }
  return runs;
}
