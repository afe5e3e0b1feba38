// Takes the due ticks of due schedules for this node, in one transaction: the schedules' rows are
// locked (FOR UPDATE SKIP LOCKED on PostgreSQL, so nodes never wait on each other and never take the
// same one), each is planned (planTicks), its ticks are written and its next run is moved on. The
// unique (schedule, scheduled time) of schedule_ticks is the last guard: a tick that already has a
// row is not run again. So each tick runs on exactly one node, with no leader.
import { sql } from "kysely";
import { newId } from "../../core/ids.js";
import type { Db, Executor, SchedulesTable, ScheduleTicksTable } from "../../storage/schema.js";
import type { DialectName } from "../../storage/store.js";
import { limitsOf, recurrenceOf } from "../schedule.js";
import { planTicks } from "./planTicks.js";

export interface ClaimedRun {
  tickId: string;
  scheduledAt: string;
  catchUp: boolean;
  missed: number;
  /** Waiting its turn behind an earlier run of the same claim: marked running when it starts. */
  pending: boolean;
}

export interface ClaimedSchedule {
  /** The schedule as it was when claimed. */
  schedule: SchedulesTable;
  /** Its ticks to run now, oldest first (several only under catch_up all). */
  runs: ClaimedRun[];
}

export interface ClaimOptions {
  now: Date;
  /** Until when this node holds the runs it claims (renewed while they run). */
  leaseUntil: string;
  limit: number;
  /** This scheduler's id: only it starts and renews what it claims. */
  claimedBy: string;
  missedAfterMs: number;
  maxCatchUp: number;
}

export async function claimTicks(
  db: Db,
  dialect: DialectName,
  options: ClaimOptions,
): Promise<ClaimedSchedule[]> {
  const { now, leaseUntil, limit } = options;
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom("schedules")
      .selectAll()
      .where("active", "=", 1)
      .where("next_run_at", "<=", at)
      .orderBy("next_run_at")
      .limit(limit);
    if (dialect === "postgres") due = due.forUpdate().skipLocked();
    const rows = await due.execute();
    if (rows.length === 0) return [];

    const ticks: ScheduleTicksTable[] = [];
    const changes: ScheduleChange[] = [];
    const claimed: ClaimedSchedule[] = [];
    for (const row of rows) {
      const busy = row.overlap === "skip" && row.running_until !== null && row.running_until > at;
      const plan = planTicks(
        {
          recurrence: recurrenceOf(row),
          due: row.next_run_at!,
          catchUp: row.catch_up,
          limits: limitsOf(row),
        },
        now,
        { missedAfterMs: options.missedAfterMs, maxCatchUp: options.maxCatchUp, busy },
      );
      const tick = (scheduledAt: string, extra: Partial<ScheduleTicksTable>): ScheduleTicksTable => ({
        id: newId(),
        schedule_id: row.id,
        schedule_name: row.name,
        function_name: row.function_name,
        scheduled_at: scheduledAt,
        status: "running",
        catch_up: 0,
        missed: 0,
        manual: 0,
        execution_id: null,
        error: null,
        lease_until: null,
        claimed_by: null,
        started_at: at,
        finished_at: null,
        ...extra,
      });
      for (const record of plan.records) {
        const skipped = record.status === "skipped";
        ticks.push(
          tick(record.scheduledAt, {
            status: record.status,
            missed: record.missed,
            finished_at: at,
            error: skipped ? "The previous run was still going (overlap: skip)" : null,
          }),
        );
      }
      // The first runs now; the others (catch_up all) wait their turn as pending, so that a node
      // that dies before starting them leaves them to another node rather than lost.
      const runs = plan.runs.map((run, i) => {
        const pending = i > 0;
        const row = tick(run.scheduledAt, {
          status: pending ? "pending" : "running",
          catch_up: run.catchUp ? 1 : 0,
          missed: run.missed,
          lease_until: leaseUntil,
          claimed_by: options.claimedBy,
        });
        ticks.push(row);
        return {
          tickId: row.id,
          scheduledAt: run.scheduledAt,
          catchUp: run.catchUp,
          missed: run.missed,
          pending,
        };
      });
      const running = runs.at(-1);
      // The row is locked: its new values are computed here, and written for all rows at once.
      changes.push({
        id: row.id,
        next_run_at: plan.nextRunAt,
        runs: Number(row.runs) + runs.length,
        last_run_at: plan.latest ?? row.last_run_at,
        last_status:
          plan.records.length > 0 && runs.length === 0 ? plan.records.at(-1)!.status : row.last_status,
        running_tick: running ? running.scheduledAt : row.running_tick,
        running_until: running ? leaseUntil : row.running_until,
      });
      claimed.push({ schedule: row, runs });
    }

    await writeChanges(trx, dialect, changes, at);

    // A tick that already has its row (the clock was set back, a run-now at the same instant) is
    // not taken twice.
    const written = new Set<string>();
    for (let i = 0; i < ticks.length; i += 200) {
      const inserted = await trx
        .insertInto("schedule_ticks")
        .values(ticks.slice(i, i + 200))
        // The predicate as written in the index (a bound value would not match it on SQLite).
        .onConflict((oc) =>
          oc
            .columns(["schedule_id", "scheduled_at"])
            .where(sql<boolean>`manual = 0`)
            .doNothing(),
        )
        .returning("id")
        .execute();
      for (const { id } of inserted) written.add(id);
    }
    const taken: ClaimedSchedule[] = [];
    for (const c of claimed) {
      const runs = c.runs.filter((run) => written.has(run.tickId));
      if (runs.length > 0) taken.push({ ...c, runs });
      else if (c.runs.length > 0) {
        await trx
          .updateTable("schedules")
          .set({ running_tick: null, running_until: null })
          .where("id", "=", c.schedule.id)
          .execute();
      }
    }
    return taken;
  });
}

type ScheduleChange = Pick<
  SchedulesTable,
  "id" | "next_run_at" | "runs" | "last_run_at" | "last_status" | "running_tick" | "running_until"
>;

/**
 * The claimed schedules' new values: one statement on PostgreSQL, where each statement is a round
 * trip (a claim of 64 schedules took tens of milliseconds row by row); row by row on SQLite, where a
 * statement costs microseconds (and VALUES cannot name its columns).
 */
async function writeChanges(trx: Executor, dialect: DialectName, changes: ScheduleChange[], at: string) {
  if (changes.length === 0) return;
  if (dialect !== "postgres") {
    for (const { id, ...values } of changes) {
      await trx
        .updateTable("schedules")
        .set({ ...values, updated_at: at })
        .where("id", "=", id)
        .execute();
    }
    return;
  }
  const rows = changes.map(
    (c) =>
      sql`(${c.id}, ${c.next_run_at}, ${c.runs}, ${c.last_run_at}, ${c.last_status}, ${c.running_tick}, ${c.running_until})`,
  );
  await sql`update schedules as s set
      next_run_at = v.next_run_at, runs = cast(v.runs as integer), last_run_at = v.last_run_at,
      last_status = v.last_status, running_tick = v.running_tick, running_until = v.running_until,
      updated_at = ${at}
    from (values ${sql.join(rows)}) as v(id, next_run_at, runs, last_run_at, last_status, running_tick, running_until)
    where s.id = v.id`.execute(trx);
}
