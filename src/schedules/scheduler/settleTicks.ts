// After a tick ran (or its node went away): its row says how it ended, the schedule shows it as its
// last run and, when it was the schedule's running tick, lets the next tick run.
import type { Db, Executor } from "../../storage/schema.js";
import type { DialectName } from "../../storage/store.js";
import type { ClaimedSchedule } from "./claimTicks.js";

export interface TickOutcome {
  tickId: string;
  scheduleId: string;
  scheduledAt: string;
  status: "done" | "failed";
  executionId: string | null;
  error: string | null;
  /** The schedule's last run of this claim: the next tick may run once it ends. */
  release: boolean;
}

export async function finishTick(db: Db, outcome: TickOutcome, now: string): Promise<void> {
  await db.transaction().execute((trx) => settle(trx, outcome, now));
}

async function settle(trx: Executor, outcome: TickOutcome, now: string): Promise<void> {
  await trx
    .updateTable("schedule_ticks")
    .set({
      status: outcome.status,
      execution_id: outcome.executionId,
      error: outcome.error,
      lease_until: null,
      finished_at: now,
    })
    .where("id", "=", outcome.tickId)
    .execute();
  await trx
    .updateTable("schedules")
    .set({
      last_status: outcome.status,
      last_execution_id: outcome.executionId,
    })
    .where("id", "=", outcome.scheduleId)
    .execute();
  // Only this tick's hold is let go: a later tick may already hold it (overlap allow).
  if (outcome.release) {
    await trx
      .updateTable("schedules")
      .set({ running_tick: null, running_until: null })
      .where("id", "=", outcome.scheduleId)
      .where("running_tick", "=", outcome.scheduledAt)
      .execute();
  }
}

/** Keeps the leases of the ticks this node holds, running or pending (and of their schedules). */
export async function renewTickLeases(
  db: Db,
  ticks: { tickId: string; scheduleId: string; scheduledAt: string }[],
  leaseUntil: string,
  claimedBy: string,
): Promise<void> {
  if (ticks.length === 0) return;
  await db
    .updateTable("schedule_ticks")
    .set({ lease_until: leaseUntil })
    .where(
      "id",
      "in",
      ticks.map((t) => t.tickId),
    )
    .where("status", "in", ["pending", "running"])
    .where("claimed_by", "=", claimedBy)
    .execute();
  await db
    .updateTable("schedules")
    .set({ running_until: leaseUntil })
    .where(
      "id",
      "in",
      ticks.map((t) => t.scheduleId),
    )
    .where("running_until", "is not", null)
    .execute();
}

/** A pending tick's turn has come: it runs, unless another node took it over meanwhile. */
export async function startPending(db: Db, tickId: string, claimedBy: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable("schedule_ticks")
    .set({ status: "running", started_at: now })
    .where("id", "=", tickId)
    .where("status", "=", "pending")
    .where("claimed_by", "=", claimedBy)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Pending ticks whose node stopped before starting them (their lease ran out) are taken over by
 * this one: they never ran, so running them now is their one run.
 */
export async function takeOverPending(
  db: Db,
  dialect: DialectName,
  options: { now: string; leaseUntil: string; claimedBy: string; limit: number },
): Promise<ClaimedSchedule[]> {
  return db.transaction().execute(async (trx) => {
    let expired = trx
      .selectFrom("schedule_ticks")
      .selectAll()
      .where("status", "=", "pending")
      .where("lease_until", "<", options.now)
      .orderBy("scheduled_at")
      .limit(options.limit);
    if (dialect === "postgres") expired = expired.forUpdate().skipLocked();
    const ticks = await expired.execute();
    if (ticks.length === 0) return [];
    await trx
      .updateTable("schedule_ticks")
      .set({ lease_until: options.leaseUntil, claimed_by: options.claimedBy })
      .where(
        "id",
        "in",
        ticks.map((t) => t.id),
      )
      .execute();
    const schedules = await trx
      .selectFrom("schedules")
      .selectAll()
      .where("id", "in", [...new Set(ticks.map((t) => t.schedule_id))])
      .execute();
    const byId = new Map(schedules.map((s) => [s.id, s]));
    const claimed = new Map<string, ClaimedSchedule>();
    for (const tick of ticks) {
      const schedule = byId.get(tick.schedule_id);
      if (!schedule) {
        await trx
          .updateTable("schedule_ticks")
          .set({
            status: "failed",
            error: "The schedule was deleted before this tick ran",
            finished_at: options.now,
          })
          .where("id", "=", tick.id)
          .execute();
        continue;
      }
      const entry = claimed.get(schedule.id) ?? { schedule, runs: [] };
      entry.runs.push({
        tickId: tick.id,
        scheduledAt: tick.scheduled_at,
        catchUp: Number(tick.catch_up) !== 0,
        missed: Number(tick.missed),
        pending: true,
      });
      claimed.set(schedule.id, entry);
    }
    return [...claimed.values()];
  });
}

/**
 * Ticks whose node stopped mid-run (their lease ran out) are marked interrupted. They are not run
 * again: the function may have done part of its work, and a second run of the same tick is what
 * exactly-once rules out.
 */
export async function markInterrupted(db: Db, now: string): Promise<number> {
  const result = await db
    .updateTable("schedule_ticks")
    .set({
      status: "interrupted",
      error: "The node running it stopped before it ended",
      lease_until: null,
      finished_at: now,
    })
    .where("status", "=", "running")
    .where("lease_until", "<", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes ticks started before `cutoff` and one-off schedules that ran before it, a batch at a time. */
export async function pruneTicks(db: Db, cutoff: string, batch = 1000): Promise<{ more: boolean }> {
  const old = db
    .selectFrom("schedule_ticks")
    .select("id")
    .where("started_at", "<", cutoff)
    .where("status", "!=", "running")
    .limit(batch);
  const result = await db.deleteFrom("schedule_ticks").where("id", "in", old).executeTakeFirst();
  await db
    .deleteFrom("schedules")
    .where("kind", "=", "once")
    .where("next_run_at", "is", null)
    .where("updated_at", "<", cutoff)
    .execute();
  return { more: Number(result.numDeletedRows) >= batch };
}
