// POST /api/schedules/preview and `backend schedules next "<expr>"`: what a cron or a phrase means
// (its cron) and when it would run next, in a time zone, before anything is saved.
import { ValidationError } from "../core/errors.js";
import { isTimeZone } from "../core/timeZone.js";
import { parseExpression } from "./expressions/parseExpression.js";
import { nextTicks } from "./schedule.js";

export interface Preview {
  expression: string;
  cron: string;
  /** True when the expression was a phrase. */
  phrase: boolean;
  timezone: string;
  nextRuns: string[];
}

export function previewSchedule(
  input: { schedule: string; timezone?: string | undefined; count?: number | undefined },
  now: Date,
  defaultTimezone: string,
): Preview {
  const timezone = input.timezone ?? defaultTimezone;
  if (!isTimeZone(timezone))
    throw new ValidationError(`timezone '${timezone}' is not an IANA time zone such as Europe/Paris or UTC`);
  const { cron, phrase } = parseExpression(input.schedule);
  const nextRuns = nextTicks(
    { kind: "cron", cron, timezone },
    now,
    { endsAt: null, maxRuns: null, runs: 0 },
    input.count ?? 5,
  );
  return { expression: input.schedule.trim(), cron, phrase, timezone, nextRuns };
}
