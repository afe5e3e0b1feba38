// Changing a record: a top-level merge of the changes, where `null` removes a field. Only the owner
// (or an admin) may; anyone else gets the same 404 as for a missing record. PRE_RECORD_UPDATE sees
// the changes and the previous record and may rewrite the changes; the merge happens on the row as
// it is inside the transaction, so concurrent updates of different fields both survive.
import { ownerIdOf } from "../auth/principal.js";
import type { ActionContext } from "../events/pipeline.js";
import { writeJson } from "../storage/store.js";
import { writeScope } from "./access.js";
import { checkCollectionName } from "./collection.js";
import { RECORD_EVENTS } from "./events.js";
import { findRecord, recordNotFound } from "./findRecord.js";
import { buildRecord, type StoredRecord, SYSTEM_FIELDS, systemFieldsOf } from "./record.js";
import type { RecordDeps } from "./recordDeps.js";
import { checkRecordSize, parseRecordFields } from "./recordFields.js";

type UpdateInput = {
  collection: string;
  id: string;
  changes: Record<string, unknown>;
  previous: StoredRecord;
  user_id: string | null;
};

export async function updateRecord(
  deps: RecordDeps,
  ctx: ActionContext,
  collection: string,
  id: string,
  body: unknown,
): Promise<StoredRecord> {
  const name = checkCollectionName(collection);
  const scope = writeScope(ctx.principal);
  const changes = parseRecordFields(body, "The changes");
  // A record that is missing or not yours is a 404 before any PRE handler hears of it.
  const previous = await findRecord(deps.db, name, id, scope);
  if (!previous) throw recordNotFound(name, id);
  const userId = ownerIdOf(ctx.principal);

  const result = await deps.pipeline.run({
    ctx,
    input: { collection: name, id, changes, previous, user_id: userId } satisfies UpdateInput,
    pre: RECORD_EVENTS.preUpdate,
    // A PRE handler may change the changes; which record, and who acts, stay ours.
    validate: (data): UpdateInput => ({
      collection: name,
      id,
      changes: parseRecordFields(data.changes, `The changes from a ${RECORD_EVENTS.preUpdate} handler`),
      previous,
      user_id: userId,
    }),
    write: async (trx, input) => {
      const current = await findRecord(trx, name, id, scope, { lockOn: deps.dialect });
      if (!current) throw recordNotFound(name, id);
      const fields = mergeFields(current, input.changes);
      checkRecordSize(fields, deps.config.bodyLimit);
      const now = deps.clock.now().toISOString();
      const record = buildRecord({ ...systemFieldsOf(current), updatedAt: now }, fields);
      await trx
        .updateTable("records")
        .set({ data: writeJson(record), updated_at: now })
        .where("collection", "=", name)
        .where("id", "=", id)
        .execute();
      return { record, previous: current, changes: input.changes };
    },
    post: {
      type: RECORD_EVENTS.postUpdate,
      data: (r) => ({
        collection: name,
        record: r.record,
        previous: r.previous,
        changes: r.changes,
        user_id: userId,
      }),
    },
    afterCommit: (r) =>
      deps.realtime.publish({
        kind: "record",
        change: { collection: name, op: "update", record: r.record, previous: r.previous },
      }),
  });
  return result.record;
}

/** The caller's fields after the merge: changes replace top-level fields, `null` removes one. */
function mergeFields(current: StoredRecord, changes: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) {
    if (!SYSTEM_FIELDS.has(key)) fields[key] = value;
  }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete fields[key];
    else fields[key] = value;
  }
  return fields;
}
