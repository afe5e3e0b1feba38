// POST /api/schedules, `backend schedules create`, and one-off runs (`backend.runAt` and
// `backend.runAfter` inside functions, `client.schedules.runAt` in the SDK): a schedule made by hand.
// A recurring one takes a cron or a phrase with a time zone; a one-off takes an instant or a delay.
import { requireAdmin, type Principal } from "../auth/principal.js";
import { PayloadTooLargeError, ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { isTimeZone } from "../core/timeZone.js";
import type { Deps } from "../deps.js";
import { parseExpression } from "./expressions/parseExpression.js";
import { instantIn } from "./scheduleTriggers.js";
import { type ScheduleItem, toScheduleItem } from "./schedule.js";
import type { CatchUp, Overlap, ScheduleSpec } from "./scheduleSpec.js";
import { checkFunctionExists, checkNameFree, checkScheduleName, scheduleRow } from "./storeSchedule.js";

export interface NewSchedule {
  function: string;
  name?: string | undefined;
  /** A cron or a phrase: a recurring schedule. */
  schedule?: string | undefined;
  /** An instant (ISO-8601): a one-off run. */
  at?: string | undefined;
  /** A delay from now in milliseconds: a one-off run. */
  after_ms?: number | undefined;
  timezone?: string | undefined;
  payload?: unknown;
  catch_up?: CatchUp | undefined;
  overlap?: Overlap | undefined;
  active?: boolean | undefined;
  description?: string | undefined;
  ends_at?: string | undefined;
  max_runs?: number | undefined;
}

type ScheduleDeps = Pick<Deps, "db" | "clock" | "config" | "scheduler">;

export async function createSchedule(
  deps: ScheduleDeps,
  principal: Principal,
  input: NewSchedule,
  createdBy: string | null = createdByOf(principal),
): Promise<ScheduleItem> {
  requireAdmin(principal);
  return insertSchedule(deps, input, "api", createdBy);
}

/** `backend.runAt(date, name, payload)` / `runAfter(ms, ...)` from a function: a one-off run. */
export async function scheduleOneOff(
  deps: ScheduleDeps,
  input: { function: string; at?: string; after_ms?: number; payload?: unknown; name?: string },
  executionId: string,
): Promise<ScheduleItem> {
  return insertSchedule(deps, input, "function", executionId);
}

async function insertSchedule(
  deps: ScheduleDeps,
  input: NewSchedule,
  source: "api" | "function",
  createdBy: string | null,
): Promise<ScheduleItem> {
  const now = deps.clock.now();
  const spec = specOf(input, now, deps.config.schedules.timezone);
  checkPayload(input.payload, deps.config.functions.payloadBytes);
  const item = await deps.db.transaction().execute(async (trx) => {
    await checkFunctionExists(trx, input.function);
    const name = input.name ?? defaultName(input.function, spec);
    checkScheduleName(name, "name");
    await checkNameFree(trx, name);
    const row = scheduleRow({ ...spec, name }, { functionName: input.function, source, createdBy }, now);
    await trx.insertInto("schedules").values(row).execute();
    return toScheduleItem(row, now);
  });
  deps.scheduler.wake();
  return item;
}

function specOf(input: NewSchedule, now: Date, defaultTimezone: string): ScheduleSpec {
  const given = [input.schedule, input.at, input.after_ms].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new ValidationError(
      'Give exactly one of schedule (a cron or a phrase such as "daily at 9 AM"), at (an ISO-8601 instant) or after_ms (a delay in milliseconds)',
    );
  }
  const timezone = input.timezone ?? defaultTimezone;
  if (!isTimeZone(timezone))
    throw new ValidationError(`timezone '${timezone}' is not an IANA time zone such as Europe/Paris or UTC`);
  const common = {
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.payload !== undefined ? { payload: input.payload } : {}),
    ...(input.catch_up ? { catchUp: input.catch_up } : {}),
    ...(input.overlap ? { overlap: input.overlap } : {}),
    ...(input.active !== undefined ? { active: input.active } : {}),
  };
  if (input.schedule !== undefined) {
    const { cron } = parseExpression(input.schedule);
    return {
      ...common,
      expression: input.schedule.trim(),
      recurrence: { kind: "cron", cron, timezone },
      ...(input.ends_at !== undefined ? { endsAt: instant(input.ends_at, "ends_at", timezone) } : {}),
      ...(input.max_runs !== undefined ? { maxRuns: input.max_runs } : {}),
    };
  }
  const at =
    input.at !== undefined
      ? instant(input.at, "at", timezone)
      : new Date(now.getTime() + checkDelay(input.after_ms!)).toISOString();
  return { ...common, expression: `once at ${at}`, recurrence: { kind: "once", at } };
}

/**
 * An ISO-8601 date-time as an instant (UTC): with an offset (or Z) as written, without one as a
 * wall-clock time in `timeZone` (never in the server process's own zone).
 */
export function instant(value: string, field: string, timeZone: string): string {
  try {
    return instantIn(value, timeZone);
  } catch {
    throw new ValidationError(`${field} must be an ISO-8601 date-time such as 2027-01-04T09:00:00Z`);
  }
}

function checkDelay(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new ValidationError("after_ms must be a number of milliseconds, 0 or more");
  return ms;
}

function checkPayload(payload: unknown, max: number): void {
  if (payload === undefined) return;
  const size = Buffer.byteLength(JSON.stringify(payload) ?? "");
  if (size > max)
    throw new PayloadTooLargeError(
      `The payload is ${size} bytes; a schedule's payload may be at most ${max}`,
    );
}

function defaultName(functionName: string, spec: ScheduleSpec): string {
  const suffix = newId().replaceAll("-", "").slice(-8);
  return spec.recurrence.kind === "once" ? `${functionName}.once.${suffix}` : `${functionName}.${suffix}`;
}

function createdByOf(principal: Principal): string | null {
  if (principal.kind === "admin-key") return "admin";
  return principal.kind === "user" ? principal.user.id : null;
}
