// function.jsonc `triggers.schedules` (SPEC §10): the schema of one entry and the ScheduleSpec it
// declares. Also what every way of writing a schedule in function.jsonc shares — an expression, a
// time zone, a date-time read in that time zone — so Base44's automations (./automations.ts) are
// checked with the same words.
import { z } from "zod";
import { ValidationError } from "../core/errors.js";
import { isTimeZone } from "../core/timeZone.js";
import { parseExpression } from "./expressions/parseExpression.js";
import {
  dailyAt,
  dateOfDay,
  isoInstant,
  localDateTimeOf,
  parseIsoDateTime,
} from "./expressions/localTime.js";
import type { Recurrence, ScheduleSpec } from "./scheduleSpec.js";

export const DEFAULT_TIMEZONE = "UTC";

/** What a schedule's name may be (src/schedules/storeSchedule.ts says the same): 1-100 characters. */
export const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** A message for a field: "is required" when it is missing, `wrong` when it holds something else. */
export const needed = (wrong: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : wrong;

/** For checks across fields: they run once every field is right, so they see well-formed values. */
export const fieldsValid = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

/** A cron or a phrase, checked now so a typo is reported on its field and not at the first tick. */
export const scheduleExpression = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(200, "is longer than 200 characters")
  .superRefine((text, ctx) => {
    // Its message starts with the text: `"evry day" is not a schedule: write a cron expression...`.
    const problem = problemOf(() => parseExpression(text));
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe('A cron expression ("0 9 * * *") or a phrase ("daily at 9 AM")');

export const timeZone = z
  .string({ error: "must be an IANA time zone such as Europe/Paris or UTC" })
  .refine(isTimeZone, { error: "is not an IANA time zone such as Europe/Paris or UTC" });

/** An instant, or a wall-clock time in the schedule's time zone when it has no offset. */
export const dateTime = z.iso.datetime({
  local: true,
  offset: true,
  error: needed(
    "must be an ISO date-time such as 2026-12-24T18:00:00Z (without an offset: in the time zone)",
  ),
});

const isoDate = z.iso.date();

/** When a schedule stops: a date-time as above, or a date (its last day). */
export const endDate = z
  .string({
    error: needed("must be an ISO date-time such as 2026-12-31T18:00:00Z or a date such as 2026-12-31"),
  })
  .refine((text) => isoDate.safeParse(text).success || dateTime.safeParse(text).success, {
    error: "must be an ISO date-time such as 2026-12-31T18:00:00Z or a date such as 2026-12-31",
  });

export const description = z
  .string({ error: "must be a string" })
  .max(1000, "is longer than 1000 characters");

export const scheduleTrigger = z.strictObject({
  schedule: scheduleExpression,
  timezone: timeZone.optional(),
  catch_up: z.enum(["none", "one", "all"], { error: 'must be "none", "one" or "all"' }).optional(),
  // true / false: how function.jsonc said it before "skip" / "allow".
  overlap: z.literal(["skip", "allow", false, true], { error: 'must be "skip" or "allow"' }).optional(),
  payload: z.unknown().optional(),
  name: z
    .string({ error: "must be a string" })
    .min(1, "is empty")
    .max(100, "is longer than 100 characters")
    .regex(SCHEDULE_NAME, "must be letters, digits, _ . : - (starting with a letter or digit)")
    .optional(),
  description: description.optional(),
  active: z.boolean({ error: "must be true or false" }).optional(),
  ends_at: endDate.optional(),
  max_runs: z
    .number({ error: "must be a number of runs" })
    .int("must be a whole number of runs")
    .min(1, "must be at least 1")
    .optional(),
});

export type ScheduleTrigger = z.infer<typeof scheduleTrigger>;

/**
 * A `triggers.schedules` entry (short or long form) as the scheduler sees it; one that names no time
 * zone is in the server's (`schedules.timezone`, UTC unless set).
 */
export function scheduleTriggerSpec(
  entry: string | ScheduleTrigger,
  defaultTimezone = DEFAULT_TIMEZONE,
): ScheduleSpec {
  const trigger = typeof entry === "string" ? { schedule: entry } : entry;
  const timezone = trigger.timezone ?? defaultTimezone;
  const overlap = trigger.overlap;
  return definedOnly<ScheduleSpec>({
    name: trigger.name,
    description: trigger.description,
    expression: trigger.schedule,
    recurrence: cronRecurrence(trigger.schedule, timezone),
    payload: trigger.payload,
    catchUp: trigger.catch_up,
    overlap: overlap === undefined ? undefined : overlap === true || overlap === "allow" ? "allow" : "skip",
    active: trigger.active,
    endsAt: trigger.ends_at === undefined ? undefined : endInstant(trigger.ends_at, timezone),
    maxRuns: trigger.max_runs,
  });
}

export function cronRecurrence(expression: string, timezone: string): Recurrence {
  return { kind: "cron", cron: parseExpression(expression).cron, timezone };
}

/** The message of a ValidationError `check` throws, if it throws one. */
export function problemOf(check: () => void): string | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
}

/** The instant an ISO date-time means: as written with an offset (or Z), else a wall-clock time in `timeZone`. */
export function instantIn(text: string, timeZone: string): string {
  const iso = parseIsoDateTime(text);
  if (iso === undefined) throw new ValidationError(`"${text}" is not an ISO-8601 date-time`);
  if (iso.offsetMinutes !== undefined) return new Date(isoInstant(iso)).toISOString();
  // Read as a simple recurrence reads its start: in a DST gap, the first instant after it.
  const at = dailyAt(iso, timeZone)(iso.day) ?? isoInstant(iso);
  return new Date(at + iso.millisecond).toISOString();
}

/** The last instant an end allows: a date alone means the end of that day in `timeZone`. */
export function endInstant(text: string, timeZone: string): string {
  return instantIn(isoDate.safeParse(text).success ? `${text}T23:59:59.999` : text, timeZone);
}

/** The date (YYYY-MM-DD) it is at `at` in `timeZone`. */
export function localDate(at: Date, timeZone: string): string {
  const { year, month, day } = dateOfDay(localDateTimeOf(at.getTime(), timeZone).day);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The object without its undefined fields, so a spec says only what was declared. */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
