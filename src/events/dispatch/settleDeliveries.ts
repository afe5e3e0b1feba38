// The ends of one attempt. Each only touches the row while this node's claim still holds (status
// running with the attempt number it claimed), so a node whose lease ran out cannot overwrite the
// outcome of the node that took over. Successes are settled many per statement.
import { sql } from "kysely";
import type { DeliveriesTable, Db } from "../../storage/schema.js";
import type { DialectName } from "../../storage/store.js";

export interface Done {
  id: string;
  attempts: number;
  executionId: string;
}

export async function markDone(db: Db, dialect: DialectName, done: Done[], now: string): Promise<void> {
  if (done.length === 0) return;
  if (dialect === "postgres") {
    const rows = done.map((d) => sql`(${d.id}, ${d.attempts}::int, ${d.executionId})`);
    await sql`
      update deliveries as d
      set status = 'done', completed_at = ${now}, locked_until = null, last_error = null, execution_id = v.execution_id
      from (values ${sql.join(rows)}) as v(id, attempts, execution_id)
      where d.id = v.id and d.status = 'running' and d.attempts = v.attempts`.execute(db);
    return;
  }
  // SQLite: one transaction of cached single-row statements is as quick as one statement.
  await db.transaction().execute(async (trx) => {
    for (const d of done) {
      await trx
        .updateTable("deliveries")
        .set({
          status: "done",
          completed_at: now,
          locked_until: null,
          last_error: null,
          execution_id: d.executionId,
        })
        .where("id", "=", d.id)
        .where("status", "=", "running")
        .where("attempts", "=", d.attempts)
        .execute();
    }
  });
}

export interface Failure {
  error: string;
  executionId: string | null;
  /** Retrying cannot help (the function is gone): dead now. */
  permanent: boolean;
  /** When to try again, unless it is out of attempts. */
  retryAt: string;
}

/** Schedules the next attempt, or dead-letters the delivery: returns the new status. */
export async function markFailed(
  db: Db,
  delivery: Pick<DeliveriesTable, "id" | "attempts" | "max_attempts">,
  now: string,
  failure: Failure,
): Promise<"pending" | "dead"> {
  const dead = failure.permanent || Number(delivery.attempts) >= Number(delivery.max_attempts);
  await db
    .updateTable("deliveries")
    .set({
      status: dead ? "dead" : "pending",
      next_attempt_at: dead ? now : failure.retryAt,
      completed_at: dead ? now : null,
      locked_until: null,
      last_error: failure.error.slice(0, 4000),
      execution_id: failure.executionId,
    })
    .where("id", "=", delivery.id)
    .where("status", "=", "running")
    .where("attempts", "=", delivery.attempts)
    .execute();
  return dead ? "dead" : "pending";
}
