// GET /api/schedules (and one schedule with its next runs) and GET /api/schedules/:ref/ticks, the
// history: every tick taken, run or not, newest first, each with its execution.
import { requireAdmin, type Principal } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import type { ScheduleTicksTable } from "../storage/schema.js";
import { findSchedule } from "./findSchedule.js";
import { limitsOf, nextTicks, recurrenceOf, type ScheduleItem, toScheduleItem } from "./schedule.js";

export interface ScheduleFilters {
  function?: string | undefined;
  kind?: "recurring" | "once" | undefined;
  /** Include the next N run times of each (0 by default in lists). */
  next?: number | undefined;
}

export type ScheduleWithRuns = ScheduleItem & { nextRuns?: string[] };

export async function listSchedules(
  deps: Pick<Deps, "db" | "clock">,
  principal: Principal,
  filters: ScheduleFilters = {},
): Promise<ScheduleWithRuns[]> {
  requireAdmin(principal);
  let query = deps.db.selectFrom("schedules").selectAll().orderBy("kind", "desc").orderBy("name");
  if (filters.function) query = query.where("function_name", "=", filters.function);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  const rows = await query.execute();
  const now = deps.clock.now();
  return rows.map((row) => withRuns(toScheduleItem(row, now), row, filters.next ?? 0));
}

export async function getSchedule(
  deps: Pick<Deps, "db" | "clock">,
  principal: Principal,
  ref: string,
  next = 5,
): Promise<ScheduleWithRuns> {
  requireAdmin(principal);
  const row = await findSchedule(deps.db, ref);
  return withRuns(toScheduleItem(row, deps.clock.now()), row, next);
}

function withRuns(
  item: ScheduleItem,
  row: Parameters<typeof recurrenceOf>[0] & Parameters<typeof limitsOf>[0],
  count: number,
): ScheduleWithRuns {
  if (count <= 0) return item;
  if (!item.active || item.nextRunAt === null) return { ...item, nextRuns: [] };
  // The persisted next run first (it may be due now), then the ones after it.
  const after = nextTicks(
    recurrenceOf(row),
    new Date(item.nextRunAt),
    { ...limitsOf(row), runs: limitsOf(row).runs + 1 },
    count - 1,
  );
  return { ...item, nextRuns: [item.nextRunAt, ...after] };
}

export interface TickItem {
  id: string;
  schedule: string;
  scheduleId: string;
  function: string;
  scheduledAt: string;
  status: ScheduleTicksTable["status"];
  catchUp: boolean;
  missed: number;
  manual: boolean;
  executionId: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export function toTickItem(row: ScheduleTicksTable): TickItem {
  return {
    id: row.id,
    schedule: row.schedule_name,
    scheduleId: row.schedule_id,
    function: row.function_name,
    scheduledAt: row.scheduled_at,
    status: row.status,
    catchUp: Number(row.catch_up) !== 0,
    missed: Number(row.missed),
    manual: Number(row.manual) !== 0,
    executionId: row.execution_id,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export interface TickFilters {
  status?: ScheduleTicksTable["status"] | undefined;
  limit?: number | undefined;
  /** Ticks scheduled before this instant (paging back through history). */
  before?: string | undefined;
}

export async function listTicks(
  deps: Pick<Deps, "db">,
  principal: Principal,
  ref: string,
  filters: TickFilters = {},
): Promise<TickItem[]> {
  requireAdmin(principal);
  const schedule = await findSchedule(deps.db, ref).catch(async (error: unknown) => {
    // A deleted schedule's history stays readable by its name.
    const tick = await deps.db
      .selectFrom("schedule_ticks")
      .select(["schedule_id as id"])
      .where("schedule_name", "=", ref)
      .executeTakeFirst();
    if (!tick) throw error;
    return tick;
  });
  let query = deps.db
    .selectFrom("schedule_ticks")
    .selectAll()
    .where("schedule_id", "=", schedule.id)
    .orderBy("scheduled_at", "desc")
    .limit(filters.limit ?? 50);
  if (filters.status) query = query.where("status", "=", filters.status);
  if (filters.before) query = query.where("scheduled_at", "<", filters.before);
  return (await query.execute()).map(toTickItem);
}
