// PATCH /api/schedules/:ref and DELETE: change a schedule (switch it on or off, give it another
// payload, timing or policy) or remove it (which cancels a one-off run that has not happened).
// A schedule from function.jsonc can be changed here too; the next deploy puts the config back.
import { requireAdmin, type Principal } from "../auth/principal.js";
import { isTimeZone } from "../core/timeZone.js";
import { NotFoundError, ValidationError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import type { SchedulesTable } from "../storage/schema.js";
import { writeJson } from "../storage/store.js";
import { instant } from "./createSchedule.js";
import { parseExpression } from "./expressions/parseExpression.js";
import { findSchedule } from "./findSchedule.js";
import { recurrenceOf, type ScheduleItem, toScheduleItem, writePayload } from "./schedule.js";
import type { CatchUp, Overlap, Recurrence } from "./scheduleSpec.js";
import { checkNameFree, checkScheduleName, firstTick } from "./storeSchedule.js";

export interface ScheduleChanges {
  name?: string | undefined;
  schedule?: string | undefined;
  timezone?: string | undefined;
  payload?: unknown;
  catch_up?: CatchUp | undefined;
  overlap?: Overlap | undefined;
  active?: boolean | undefined;
  description?: string | null | undefined;
  ends_at?: string | null | undefined;
  max_runs?: number | null | undefined;
}

type ScheduleDeps = Pick<Deps, "db" | "clock" | "scheduler">;

export async function updateSchedule(
  deps: ScheduleDeps,
  principal: Principal,
  ref: string,
  changes: ScheduleChanges,
): Promise<ScheduleItem> {
  requireAdmin(principal);
  const now = deps.clock.now();
  const item = await deps.db.transaction().execute(async (trx) => {
    const row = await findSchedule(trx, ref);
    const values: Partial<SchedulesTable> = { updated_at: now.toISOString() };
    let recurrence = recurrenceOf(row);
    let retime = false;
    if (changes.name !== undefined && changes.name !== row.name) {
      checkScheduleName(changes.name, "name");
      await checkNameFree(trx, changes.name, row.id);
      values.name = changes.name;
    }
    if (changes.schedule !== undefined || changes.timezone !== undefined) {
      recurrence = retimed(recurrence, changes);
      values.recurrence = writeJson(recurrence);
      if (changes.schedule !== undefined) values.expression = changes.schedule.trim();
      if (recurrence.kind !== "once") values.timezone = recurrence.timezone;
      retime = true;
    }
    if (changes.payload !== undefined) values.payload = writePayload(changes.payload);
    if (changes.catch_up !== undefined) values.catch_up = changes.catch_up;
    if (changes.overlap !== undefined) values.overlap = changes.overlap;
    if (changes.description !== undefined) values.description = changes.description;
    if (changes.ends_at !== undefined) {
      values.ends_at = changes.ends_at === null ? null : instant(changes.ends_at, "ends_at", row.timezone);
      retime = true;
    }
    if (changes.max_runs !== undefined) {
      values.max_runs = changes.max_runs;
      retime = true;
    }
    if (changes.active !== undefined) {
      values.active = changes.active ? 1 : 0;
      // Switched back on, it counts from now: the ticks of its time off are not missed ones.
      if (changes.active && Number(row.active) === 0) retime = true;
    }
    if (retime) {
      values.next_run_at = firstTick(recurrence, now, {
        endsAt: values.ends_at !== undefined ? values.ends_at : row.ends_at,
        maxRuns:
          values.max_runs !== undefined
            ? values.max_runs
            : row.max_runs === null
              ? null
              : Number(row.max_runs),
        runs: Number(row.runs),
      });
    }
    await trx.updateTable("schedules").set(values).where("id", "=", row.id).execute();
    return toScheduleItem({ ...row, ...values }, now);
  });
  deps.scheduler.wake();
  return item;
}

function retimed(recurrence: Recurrence, changes: ScheduleChanges): Recurrence {
  if (changes.timezone !== undefined && !isTimeZone(changes.timezone)) {
    throw new ValidationError(
      `timezone '${changes.timezone}' is not an IANA time zone such as Europe/Paris or UTC`,
    );
  }
  if (recurrence.kind === "once") {
    throw new ValidationError(
      "A one-off run has no schedule or time zone to change; delete it and make another",
    );
  }
  const timezone = changes.timezone ?? recurrence.timezone;
  if (changes.schedule !== undefined)
    return { kind: "cron", cron: parseExpression(changes.schedule).cron, timezone };
  return { ...recurrence, timezone };
}

/** `backend.cancelRun(id)`: deletes a one-off run that has not happened; false when there is none. */
export async function cancelOneOff(deps: Pick<Deps, "db">, ref: string): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const row = await findSchedule(trx, ref).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!row) return false;
    if (row.kind !== "once") {
      throw new ValidationError(
        `'${row.name}' is a recurring schedule; cancelRun cancels one-off runs (switch a schedule off with PATCH /api/schedules/${row.name})`,
      );
    }
    if (row.next_run_at === null) return false;
    await trx.deleteFrom("schedules").where("id", "=", row.id).execute();
    return true;
  });
}

export async function deleteSchedule(
  deps: Pick<Deps, "db">,
  principal: Principal,
  ref: string,
): Promise<void> {
  requireAdmin(principal);
  await deps.db.transaction().execute(async (trx) => {
    const row = await findSchedule(trx, ref);
    await trx.deleteFrom("schedules").where("id", "=", row.id).execute();
  });
}
