// Claims due deliveries for this node with a lease, in one statement: pending ones whose time has
// come, and running ones whose lease ran out (their node died mid-run). Each claim counts as an
// attempt, so a delivery that kills its node still runs out of attempts. On PostgreSQL,
// FOR UPDATE SKIP LOCKED lets every node claim at once without two taking the same row.
import type { DeliveriesTable, Db } from "../../storage/schema.js";

export interface ClaimOptions {
  now: string;
  leaseUntil: string;
  limit: number;
  skipLocked: boolean;
}

export async function claimDeliveries(db: Db, options: ClaimOptions): Promise<DeliveriesTable[]> {
  const { now, leaseUntil, limit, skipLocked } = options;
  let due = db
    .selectFrom("deliveries")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", now)]),
        eb.and([eb("status", "=", "running"), eb("locked_until", "<", now)]),
      ]),
    )
    .orderBy("next_attempt_at")
    .limit(limit);
  if (skipLocked) due = due.forUpdate().skipLocked();
  return db
    .updateTable("deliveries")
    .set((eb) => ({ status: "running", locked_until: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}

/** Keeps the leases of the deliveries this node is still running. */
export async function renewLeases(db: Db, ids: string[], leaseUntil: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("deliveries")
    .set({ locked_until: leaseUntil })
    .where("id", "in", ids)
    .where("status", "=", "running")
    .execute();
}
