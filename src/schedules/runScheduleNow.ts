// POST /api/schedules/:ref/run, `backend schedules run <name>`, the dashboard's "Run now": one run of
// the schedule's function with its payload, now, outside its timing. It is recorded in the history
// as a manual tick (outside the one-row-per-tick guard of the schedule's own ticks), does not count
// towards max_runs, moves no next run, and is answered when it ends.
import { requireAdmin, type Principal } from "../auth/principal.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import { findSchedule } from "./findSchedule.js";
import { type TickItem, toTickItem } from "./listSchedules.js";
import { runTick } from "./scheduler/runTick.js";
import { finishTick } from "./scheduler/settleTicks.js";

export interface ManualRun {
  tick: TickItem;
  /** The execution's status: success, error, timeout... */
  status: string;
  executionId: string | null;
  result?: unknown;
  error: string | null;
}

export async function runScheduleNow(deps: Deps, principal: Principal, ref: string): Promise<ManualRun> {
  requireAdmin(principal);
  const { db, clock, config } = deps;
  const schedule = await findSchedule(db, ref);
  const now = clock.now();
  const tickId = newId();
  // No renewal: a run cannot outlast the longest timeout, and the lease covers that.
  const leaseUntil = new Date(now.getTime() + config.functions.maxTimeoutMs + 60_000).toISOString();
  await db
    .insertInto("schedule_ticks")
    .values({
      id: tickId,
      schedule_id: schedule.id,
      schedule_name: schedule.name,
      function_name: schedule.function_name,
      scheduled_at: now.toISOString(),
      status: "running",
      catch_up: 0,
      missed: 0,
      manual: 1,
      execution_id: null,
      error: null,
      lease_until: leaseUntil,
      claimed_by: null,
      started_at: now.toISOString(),
      finished_at: null,
    })
    .execute();
  const result = await runTick(deps, schedule, {
    tickId,
    scheduledAt: now.toISOString(),
    catchUp: false,
    missed: 0,
    manual: true,
  });
  await finishTick(
    db,
    {
      tickId,
      scheduleId: schedule.id,
      scheduledAt: now.toISOString(),
      status: result.status,
      executionId: result.executionId,
      error: result.error,
      release: false,
    },
    clock.now().toISOString(),
  );
  // Listed as its last run, beside the status just recorded.
  await db
    .updateTable("schedules")
    .set({ last_run_at: now.toISOString() })
    .where("id", "=", schedule.id)
    .execute();
  const tick = await db
    .selectFrom("schedule_ticks")
    .selectAll()
    .where("id", "=", tickId)
    .executeTakeFirstOrThrow();
  return {
    tick: toTickItem(tick),
    status: result.executionStatus ?? "error",
    executionId: result.executionId,
    ...(result.result !== undefined ? { result: result.result } : {}),
    error: result.error,
  };
}
