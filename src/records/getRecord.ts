// Reading one record, by the collection's read rule.
import type { Principal } from "../auth/principal.js";
import type { Db } from "../storage/schema.js";
import { readScope } from "./access.js";
import { checkCollectionName } from "./collection.js";
import { findRecord, recordNotFound } from "./findRecord.js";
import { getReadRule } from "./readRule.js";
import type { StoredRecord } from "./record.js";

export async function getRecord(
  deps: { db: Db },
  principal: Principal,
  collection: string,
  id: string,
): Promise<StoredRecord> {
  const name = checkCollectionName(collection);
  const scope = readScope(principal, await getReadRule(deps.db, name));
  const record = await findRecord(deps.db, name, id, scope);
  if (!record) throw recordNotFound(name, id);
  return record;
}
