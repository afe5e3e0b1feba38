// Creating a record: the caller becomes its owner (null for the admin key). PRE_RECORD_CREATE sees
// the whole proposed record and may rewrite its fields (not its system fields) or refuse it;
// the collection appears with the first record; POST_RECORD_CREATE follows the commit.
import { ownerIdOf } from "../auth/principal.js";
import { newId } from "../core/ids.js";
import type { ActionContext } from "../events/pipeline.js";
import { writeJson } from "../storage/store.js";
import { writeScope } from "./access.js";
import { checkCollectionName } from "./collection.js";
import { ensureCollection } from "./ensureCollection.js";
import { RECORD_EVENTS } from "./events.js";
import { buildRecord, type StoredRecord, type SystemFields } from "./record.js";
import type { RecordDeps } from "./recordDeps.js";
import { checkRecordSize, parseRecordFields } from "./recordFields.js";

type CreateInput = { collection: string; record: StoredRecord; user_id: string | null };

export async function createRecord(
  deps: RecordDeps,
  ctx: ActionContext,
  collection: string,
  body: unknown,
): Promise<StoredRecord> {
  const name = checkCollectionName(collection);
  writeScope(ctx.principal);
  const userId = ownerIdOf(ctx.principal);
  const now = deps.clock.now().toISOString();
  const system: SystemFields = { id: newId(), ownerId: userId, createdAt: now, updatedAt: now };
  const build = (fields: unknown, what: string): CreateInput => {
    const parsed = parseRecordFields(fields, what);
    checkRecordSize(parsed, deps.config.bodyLimit);
    return { collection: name, record: buildRecord(system, parsed), user_id: userId };
  };

  return deps.pipeline.run({
    ctx,
    input: build(body, "The record"),
    pre: RECORD_EVENTS.preCreate,
    // A PRE handler may change the fields; the collection, owner and system fields stay ours.
    validate: (data) => build(data.record, `The record from a ${RECORD_EVENTS.preCreate} handler`),
    write: async (trx, { record }) => {
      await ensureCollection(trx, name, now);
      await trx
        .insertInto("records")
        .values({
          collection: name,
          id: record.id,
          owner_id: record.ownerId,
          data: writeJson(record),
          created_at: record.createdAt,
          updated_at: record.updatedAt,
        })
        .execute();
      return record;
    },
    post: {
      type: RECORD_EVENTS.postCreate,
      data: (record) => ({ collection: name, record, user_id: userId }),
    },
    afterCommit: (record) =>
      deps.realtime.publish({ kind: "record", change: { collection: name, op: "create", record } }),
  });
}
