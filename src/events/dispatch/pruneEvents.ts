// Retention: done deliveries older than events.retentionHours and dead ones older than
// events.deadRetentionHours are deleted, then events older than the retention that no delivery
// refers to any more. A bounded batch per statement, so no statement holds the tables for long;
// the caller repeats while `more` says a batch came back full.
import type { Db } from "../../storage/schema.js";

const BATCH = 5000;

export async function pruneEvents(
  db: Db,
  cutoff: { done: string; dead: string },
): Promise<{ removed: number; more: boolean }> {
  let removed = 0;
  let more = false;
  for (const [status, before] of [
    ["done", cutoff.done],
    ["dead", cutoff.dead],
  ] as const) {
    const old = db
      .selectFrom("deliveries")
      .select("id")
      .where("status", "=", status)
      .where("completed_at", "<", before)
      .limit(BATCH);
    const result = await db.deleteFrom("deliveries").where("id", "in", old).executeTakeFirst();
    removed += Number(result.numDeletedRows);
    more ||= Number(result.numDeletedRows) >= BATCH;
  }
  const orphans = db
    .selectFrom("events as e")
    .select("e.id")
    .where("e.created_at", "<", cutoff.done)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("deliveries as d").select("d.id").whereRef("d.event_id", "=", "e.id"))),
    )
    .limit(BATCH);
  const result = await db.deleteFrom("events").where("id", "in", orphans).executeTakeFirst();
  more ||= Number(result.numDeletedRows) >= BATCH;
  return { removed: removed + Number(result.numDeletedRows), more };
}
