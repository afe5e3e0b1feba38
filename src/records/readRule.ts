// Reading and setting a collection's read rule. Setting it is an admin's job and creates the
// collection when it has no records yet, so a rule can be in place before the first write.
import { type Principal, requireAdmin } from "../auth/principal.js";
import type { Clock } from "../core/clock.js";
import { ValidationError } from "../core/errors.js";
import type { Db, Executor } from "../storage/schema.js";
import {
  type Collection,
  checkCollectionName,
  collectionFromRow,
  DEFAULT_READ_RULE,
  READ_RULES,
  type ReadRule,
} from "./collection.js";

/** The rule of a collection; one that does not exist yet has the default rule. */
export async function getReadRule(db: Executor, name: string): Promise<ReadRule> {
  const row = await db
    .selectFrom("collections")
    .select("read_rule")
    .where("name", "=", name)
    .executeTakeFirst();
  return (row?.read_rule as ReadRule | undefined) ?? DEFAULT_READ_RULE;
}

export async function setReadRule(
  deps: { db: Db; clock: Clock },
  principal: Principal,
  collection: string,
  rule: unknown,
): Promise<Collection> {
  requireAdmin(principal);
  const name = checkCollectionName(collection);
  if (typeof rule !== "string" || !(READ_RULES as readonly string[]).includes(rule)) {
    throw new ValidationError(`The read rule must be one of ${READ_RULES.join(", ")}`);
  }
  const read = rule as ReadRule;
  const row = await deps.db
    .insertInto("collections")
    .values({ name, read_rule: read, created_at: deps.clock.now().toISOString() })
    .onConflict((oc) => oc.column("name").doUpdateSet({ read_rule: read }))
    .returning(["name", "read_rule", "created_at"])
    .executeTakeFirstOrThrow();
  return collectionFromRow(row);
}

export async function listCollections(deps: { db: Db }, principal: Principal): Promise<Collection[]> {
  requireAdmin(principal);
  const rows = await deps.db
    .selectFrom("collections")
    .select(["name", "read_rule", "created_at"])
    .orderBy("name")
    .execute();
  return rows.map(collectionFromRow);
}
