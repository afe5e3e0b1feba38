// Claims due outbox rows for this sender with a lease, in one statement: pending rows whose time
// has come, and `sending` rows whose lease ran out (their sender died mid-send). Each claim counts
// as an attempt, so a message that crashes its sender still runs out of attempts.
// On PostgreSQL, FOR UPDATE SKIP LOCKED lets many nodes claim at once without taking the same row.
import type { Db, EmailsTable } from "../storage/schema.js";

export interface ClaimOptions {
  now: string;
  leaseUntil: string;
  limit: number;
  skipLocked: boolean;
}

export async function claimEmails(db: Db, options: ClaimOptions): Promise<EmailsTable[]> {
  const { now, leaseUntil, limit, skipLocked } = options;
  let due = db
    .selectFrom("emails")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "pending"), eb("next_attempt_at", "<=", now)]),
        eb.and([eb("status", "=", "sending"), eb("locked_until", "<", now)]),
      ]),
    )
    .orderBy("created_at")
    .limit(limit);
  if (skipLocked) due = due.forUpdate().skipLocked();
  return db
    .updateTable("emails")
    .set((eb) => ({ status: "sending", locked_until: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", due)
    .returningAll()
    .execute();
}
