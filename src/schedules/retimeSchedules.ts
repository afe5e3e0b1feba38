// After `backend dev`'s clock jumps (set to a time, reset, moved back), every recurring schedule
// counts again from the new time: set back, nothing would fire until the next runs computed before
// the jump; set forward, the ticks jumped over would be caught up first. (Advancing the clock is
// different: that time goes by, and the ticks it passes are due, see routes/clock.ts.) Ticks after
// the new time are forgotten, so that a developer can set the clock back and watch a tick again:
// in the new timeline they have not happened.
import type { Db } from "../storage/schema.js";
import { limitsOf, nextTick, recurrenceOf } from "./schedule.js";

export async function retimeSchedules(db: Db, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("schedule_ticks")
      .where("scheduled_at", ">", now.toISOString())
      .where("manual", "=", 0)
      .where("status", "not in", ["pending", "running"])
      .execute();
    const rows = await trx
      .selectFrom("schedules")
      .selectAll()
      .where("active", "=", 1)
      .where("kind", "=", "recurring")
      .execute();
    for (const row of rows) {
      const next = nextTick(recurrenceOf(row), now, limitsOf(row));
      if (next === row.next_run_at) continue;
      await trx
        .updateTable("schedules")
        .set({ next_run_at: next, running_tick: null, running_until: null })
        .where("id", "=", row.id)
        .execute();
    }
    return rows.length;
  });
}
