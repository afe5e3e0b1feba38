// One record by collection and id, within a scope: the shared read of get, update and delete.
import { NotFoundError } from "../core/errors.js";
import type { Executor } from "../storage/schema.js";
import type { DialectName } from "../storage/store.js";
import type { Scope } from "./access.js";
import { recordFromData, type StoredRecord } from "./record.js";

export interface FindOptions {
  /** Inside a write on PostgreSQL: lock the row so concurrent merges cannot lose each other's
   * changes. (SQLite runs one write transaction at a time, and has no FOR UPDATE.) */
  lockOn?: DialectName;
}

export async function findRecord(
  db: Executor,
  collection: string,
  id: string,
  scope: Scope,
  options: FindOptions = {},
): Promise<StoredRecord | undefined> {
  let query = db
    .selectFrom("records")
    .select("data")
    .where("collection", "=", collection)
    .where("id", "=", id);
  if (!scope.all) query = query.where("owner_id", "=", scope.ownerId);
  if (options.lockOn === "postgres") query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? recordFromData(row.data) : undefined;
}

/** The one answer for missing and for not yours: nobody learns that someone else's record exists. */
export function recordNotFound(collection: string, id: string): NotFoundError {
  const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
  return new NotFoundError(`No record '${shown}' in collection '${collection}'`);
}
