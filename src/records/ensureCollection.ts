// Collections appear on their first write: insert-if-absent, inside the write's transaction, so
// two first writes racing on two nodes both succeed and leave one collection with the default rule.
import type { Executor } from "../storage/schema.js";
import { DEFAULT_READ_RULE } from "./collection.js";

export async function ensureCollection(trx: Executor, name: string, createdAt: string): Promise<void> {
  await trx
    .insertInto("collections")
    .values({ name, read_rule: DEFAULT_READ_RULE, created_at: createdAt })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}
