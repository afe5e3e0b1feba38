// A schedule as a row: what every way of making one (function.jsonc, the API, backend.runAt) writes,
// and the checks they share: a known function, a free name, a recurrence that runs.
import { ConflictError, NotFoundError, ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Executor, SchedulesTable } from "../storage/schema.js";
import { writeJson } from "../storage/store.js";
import { checkRecurrence } from "./expressions/recurrence.js";
import { nextTick, writePayload } from "./schedule.js";
import { SCHEDULE_NAME } from "./scheduleTriggers.js";
import type { Recurrence, ScheduleSpec } from "./scheduleSpec.js";

export interface Origin {
  functionName: string;
  source: SchedulesTable["source"];
  createdBy: string | null;
}

/** The row for a new schedule, its first tick computed from `now`. */
export function scheduleRow(
  spec: ScheduleSpec & { name: string },
  origin: Origin,
  now: Date,
): SchedulesTable {
  checkRecurrence(spec.recurrence);
  const at = now.toISOString();
  const limits = { endsAt: spec.endsAt ?? null, maxRuns: spec.maxRuns ?? null, runs: 0 };
  return {
    id: newId(),
    name: spec.name,
    function_name: origin.functionName,
    kind: spec.recurrence.kind === "once" ? "once" : "recurring",
    expression: spec.expression,
    description: spec.description ?? null,
    recurrence: writeJson(spec.recurrence),
    timezone: timezoneOf(spec.recurrence),
    payload: writePayload(spec.payload),
    catch_up: spec.catchUp ?? "one",
    overlap: spec.overlap ?? "skip",
    active: spec.active === false ? 0 : 1,
    source: origin.source,
    ends_at: limits.endsAt,
    max_runs: limits.maxRuns,
    runs: 0,
    next_run_at: firstTick(spec.recurrence, now, limits),
    last_run_at: null,
    last_status: null,
    last_execution_id: null,
    running_tick: null,
    running_until: null,
    created_by: origin.createdBy,
    created_at: at,
    updated_at: at,
  };
}

/** A one-off runs at its instant even when that has just passed (it is then simply due). */
export function firstTick(
  recurrence: Recurrence,
  now: Date,
  limits: { endsAt: string | null; maxRuns: number | null; runs: number },
): string | null {
  if (recurrence.kind === "once") return limits.maxRuns === 0 ? null : new Date(recurrence.at).toISOString();
  return nextTick(recurrence, now, limits);
}

export function timezoneOf(recurrence: Recurrence): string {
  return recurrence.kind === "once" ? "UTC" : recurrence.timezone;
}

export function checkScheduleName(name: string, where: string): void {
  if (!SCHEDULE_NAME.test(name) || name.length > 100) {
    throw new ValidationError(
      `${where} must be 1-100 letters, digits, '_', '.', ':' or '-', starting with a letter or digit`,
    );
  }
}

/** Refuses a name another schedule has (names are unique across the project). */
export async function checkNameFree(db: Executor, name: string, exceptId?: string): Promise<void> {
  let query = db.selectFrom("schedules").select(["id", "function_name"]).where("name", "=", name);
  if (exceptId) query = query.where("id", "!=", exceptId);
  const taken = await query.executeTakeFirst();
  if (taken) {
    throw new ConflictError(`A schedule named '${name}' already exists (it runs ${taken.function_name})`);
  }
}

export async function checkFunctionExists(db: Executor, name: string): Promise<void> {
  const row = await db.selectFrom("functions").select("name").where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotFoundError(`No function named '${name}': deploy it before scheduling it`);
}
