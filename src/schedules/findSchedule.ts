// A schedule named in a path or a command: by id or by name (names are unique).
import { NotFoundError } from "../core/errors.js";
import type { Executor, SchedulesTable } from "../storage/schema.js";

export async function findSchedule(db: Executor, ref: string): Promise<SchedulesTable> {
  const row = await db
    .selectFrom("schedules")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("name", "=", ref)]))
    .executeTakeFirst();
  if (!row)
    throw new NotFoundError(
      `No schedule named '${ref}' (give its name or id; 'backend schedules list' shows them)`,
    );
  return row;
}
