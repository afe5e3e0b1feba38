// The one way this folder makes a croner job from a pattern, so that validation and next-run
// computation read patterns alike (5 or 6 fields, croner's defaults otherwise), with croner's
// complaints turned into ValidationErrors that name the pattern.
import { Cron } from "croner";
import { ValidationError } from "../../core/errors.js";
import { isTimeZone } from "../../core/timeZone.js";

// Any instant will do to ask whether a pattern ever runs: without a year field, cron patterns repeat
// with the 400-year Gregorian cycle. A fixed one keeps the answer independent of the clock.
const REFERENCE = new Date("2000-01-01T00:00:00Z");

/**
 * Jobs made so far, by time zone and pattern: a job that is never started keeps no state between
 * `nextRun` calls, and making one (with its time zone checked) costs far more than using it, which
 * the scheduler does for every due schedule on every turn. Bounded: past the limit it starts over.
 */
const jobs = new Map<string, Cron>();
const UTC_NAMES = new Set([
  "UTC",
  "Etc/UTC",
  "Etc/GMT",
  "GMT",
  "Etc/Universal",
  "Universal",
  "Zulu",
  "Etc/Zulu",
]);
const MAX_JOBS = 10_000;

/** A croner job (never started) for `pattern` in `timeZone`. Throws ValidationError if either is bad. */
export function cronJob(pattern: string, timeZone: string): Cron {
  const key = `${timeZone} ${pattern}`;
  const known = jobs.get(key);
  if (known) return known;
  const job = makeJob(pattern, timeZone);
  if (jobs.size >= MAX_JOBS) jobs.clear();
  jobs.set(key, job);
  return job;
}

function makeJob(pattern: string, timeZone: string): Cron {
  checkTimeZone(timeZone);
  const fields = pattern.trim().split(/\s+/).length;
  if (fields < 5 || fields > 6) {
    throw new ValidationError(
      `"${pattern}" is not a valid cron expression: it has ${fields} field${fields === 1 ? "" : "s"}, a cron expression has 5 (or 6 with seconds first)`,
    );
  }
  try {
    // UTC needs no time zone lookups: croner's fixed offset gives the same runs, faster.
    const zone = UTC_NAMES.has(timeZone) ? { utcOffset: 0 } : { timezone: timeZone };
    return new Cron(pattern, { ...zone, mode: "5-or-6-parts" });
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, "") : String(error);
    throw new ValidationError(`"${pattern}" is not a valid cron expression: ${reason}`);
  }
}

/** Throws ValidationError if `pattern` is not a valid cron or no date ever matches it (`0 0 30 2 *`). */
export function checkCron(pattern: string, timeZone = "UTC"): void {
  if (cronJob(pattern, timeZone).nextRun(REFERENCE) === null) {
    throw new ValidationError(`"${pattern}" never runs: no date matches it`);
  }
}

export function checkTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) {
    throw new ValidationError(`Unknown time zone "${timeZone}": use an IANA name such as "Europe/Berlin"`);
  }
}
