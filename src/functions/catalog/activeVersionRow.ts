// The row of a function's active version (the one that runs), and the active version number alone.
import { NotFoundError } from "../../core/errors.js";
import type { Executor } from "../../storage/schema.js";

export function activeVersionRow(db: Executor, name: string) {
  return db
    .selectFrom("functions as f")
    .innerJoin("function_versions as v", (join) =>
      join.onRef("v.function_name", "=", "f.name").onRef("v.version", "=", "f.active_version"),
    )
    .select(["v.version", "v.hash", "v.form", "v.config"])
    .where("f.name", "=", name)
    .executeTakeFirst();
}

/** The active version number; a 404 when there is no such function. */
export async function activeVersionNumber(db: Executor, name: string): Promise<number> {
  const fn = await db
    .selectFrom("functions")
    .select("active_version")
    .where("name", "=", name)
    .executeTakeFirst();
  if (!fn) throw new NotFoundError(`No function named '${name}'`);
  return Number(fn.active_version);
}
