// A deploy (or rollback) makes the function's schedules match its function.jsonc: the schedules it
// declares (triggers.schedules and Base44 scheduled automations) are created or updated (the config
// wins over changes made by hand), those it no longer declares and that came from the config are
// removed. A schedule whose timing did not change keeps its next run, so a redeploy neither skips
// nor repeats a tick; one whose timing changed (or that was switched back on) counts from now.
// Schedules made through the API or by backend.runAt are left alone. Runs in the deploy's transaction.
import type { Clock } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import type { Executor, SchedulesTable } from "../storage/schema.js";
import { readJson } from "../storage/store.js";
import { writePayload } from "./schedule.js";
import { checkNameFree, checkScheduleName, firstTick, scheduleRow, timezoneOf } from "./storeSchedule.js";
import type { ScheduleSpec } from "./scheduleSpec.js";

export async function syncConfigSchedules(
  trx: Executor,
  deps: { clock: Clock },
  functionName: string,
  specs: ScheduleSpec[],
): Promise<void> {
  const wanted = new Map<string, ScheduleSpec & { name: string }>();
  specs.forEach((spec, i) => {
    const name = spec.name ?? defaultName(functionName, specs.length, i);
    checkScheduleName(name, `function.jsonc: the name of schedule ${i + 1} ('${name}')`);
    if (wanted.has(name)) {
      throw new ValidationError(`function.jsonc: two schedules are named '${name}'; give each its own name`);
    }
    wanted.set(name, { ...spec, name });
  });
  const now = deps.clock.now();
  const at = now.toISOString();
  const existing = await trx
    .selectFrom("schedules")
    .selectAll()
    .where("function_name", "=", functionName)
    .where("source", "=", "config")
    .execute();
  const byName = new Map(existing.map((row) => [row.name, row]));

  for (const row of existing) {
    if (!wanted.has(row.name)) await trx.deleteFrom("schedules").where("id", "=", row.id).execute();
  }
  for (const spec of wanted.values()) {
    const row = byName.get(spec.name);
    if (!row) {
      await checkNameFree(trx, spec.name);
      await trx
        .insertInto("schedules")
        .values(scheduleRow(spec, { functionName, source: "config", createdBy: "config" }, now))
        .execute();
      continue;
    }
    const fresh = scheduleRow(spec, { functionName, source: "config", createdBy: "config" }, now);
    const retimed = stable(readJson(row.recurrence)) !== stable(spec.recurrence);
    const changedEnds =
      row.ends_at !== fresh.ends_at || Number(row.max_runs ?? -1) !== Number(fresh.max_runs ?? -1);
    const reactivated = Number(row.active) === 0 && fresh.active === 1;
    const values: Partial<SchedulesTable> = {
      kind: fresh.kind,
      expression: fresh.expression,
      description: fresh.description,
      recurrence: fresh.recurrence,
      timezone: timezoneOf(spec.recurrence),
      payload: writePayload(spec.payload),
      catch_up: fresh.catch_up,
      overlap: fresh.overlap,
      active: fresh.active,
      ends_at: fresh.ends_at,
      max_runs: fresh.max_runs,
      updated_at: at,
    };
    if (retimed || reactivated || changedEnds) {
      values.next_run_at = firstTick(spec.recurrence, now, {
        endsAt: fresh.ends_at,
        maxRuns: fresh.max_runs,
        runs: retimed ? 0 : Number(row.runs),
      });
      if (retimed) values.runs = 0;
    }
    await trx.updateTable("schedules").set(values).where("id", "=", row.id).execute();
  }
}

/** JSON with its keys sorted (PostgreSQL's jsonb keeps them in its own order). */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** A function's only schedule is named after it; several are numbered (report, report-2, ...). */
function defaultName(functionName: string, count: number, index: number): string {
  return count === 1 || index === 0 ? functionName : `${functionName}-${index + 1}`;
}

/** Deleting a function removes its schedules (in the deleting transaction); ticks stay as history. */
export async function removeFunctionSchedules(trx: Executor, functionName: string): Promise<void> {
  await trx.deleteFrom("schedules").where("function_name", "=", functionName).execute();
}
