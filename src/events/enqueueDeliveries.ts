// Pending deliveries, written in the caller's transaction: by the outbox (one per matching
// subscription) and by replays. On PostgreSQL the rows and the wake-up of other nodes are one
// statement; the notification is sent when (and only if) the transaction commits.
import { sql } from "kysely";
import { newId } from "../core/ids.js";
import type { DeliveriesTable, Executor } from "../storage/schema.js";
import type { DialectName } from "../storage/store.js";

/** The NOTIFY channel that wakes every node's dispatcher (src/storage/pgListener.ts listens). */
export const WAKE_CHANNEL = "backend_deliveries";

export type DeliveryTarget = Pick<
  DeliveriesTable,
  "event_id" | "event_type" | "subscription_id" | "function_name" | "data" | "replay_of"
>;

export function pendingDelivery(target: DeliveryTarget, now: string, maxAttempts: number): DeliveriesTable {
  return {
    id: newId(),
    ...target,
    status: "pending",
    attempts: 0,
    max_attempts: maxAttempts,
    next_attempt_at: now,
    locked_until: null,
    last_error: null,
    execution_id: null,
    created_at: now,
    completed_at: null,
  };
}

export async function enqueueDeliveries(
  trx: Executor,
  dialect: DialectName,
  rows: DeliveriesTable[],
): Promise<void> {
  if (rows.length === 0) return;
  if (dialect === "postgres") {
    await trx
      .with("inserted", (db) => db.insertInto("deliveries").values(rows))
      .selectNoFrom(sql<string>`pg_notify(${WAKE_CHANNEL}, '')`.as("notified"))
      .execute();
  } else {
    await trx.insertInto("deliveries").values(rows).execute();
  }
}
