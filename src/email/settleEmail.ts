// The two ends of one attempt. Both only touch the row while this sender's claim still holds
// (status `sending` with the attempt number it claimed), so a sender whose lease ran out cannot
// overwrite the outcome of the one that took over.
import type { Db, EmailsTable } from "../storage/schema.js";
import { retryDelayMs } from "./retryDelay.js";

type Claimed = Pick<EmailsTable, "id" | "attempts">;

export async function markSent(db: Db, email: Claimed, now: Date, transport: string): Promise<void> {
  await db
    .updateTable("emails")
    .set({ status: "sent", sent_at: now.toISOString(), locked_until: null, last_error: null, transport })
    .where("id", "=", email.id)
    .where("status", "=", "sending")
    .where("attempts", "=", email.attempts)
    .execute();
}

export interface Failure {
  error: string;
  /** The receiving server refused this message for good (5xx on the envelope or the data). */
  permanent: boolean;
  maxAttempts: number;
  transport: string;
}

/** Schedules the next attempt with exponential backoff, or gives up: returns the new status. */
export async function markFailed(
  db: Db,
  email: Claimed,
  now: Date,
  failure: Failure,
): Promise<"pending" | "failed"> {
  const giveUp = failure.permanent || email.attempts >= failure.maxAttempts;
  const next = new Date(now.getTime() + retryDelayMs(email.attempts)).toISOString();
  await db
    .updateTable("emails")
    .set({
      status: giveUp ? "failed" : "pending",
      next_attempt_at: giveUp ? now.toISOString() : next,
      locked_until: null,
      last_error: failure.error,
      transport: failure.transport,
    })
    .where("id", "=", email.id)
    .where("status", "=", "sending")
    .where("attempts", "=", email.attempts)
    .execute();
  return giveUp ? "failed" : "pending";
}
