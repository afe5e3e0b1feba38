// Deleting a record: the owner (or an admin) only; anyone else gets the same 404 as for a missing
// record. PRE_RECORD_DELETE sees the record and may refuse; it cannot redirect the delete.
import { ownerIdOf } from "../auth/principal.js";
import type { ActionContext } from "../events/pipeline.js";
import { writeScope } from "./access.js";
import { checkCollectionName } from "./collection.js";
import { RECORD_EVENTS } from "./events.js";
import { findRecord, recordNotFound } from "./findRecord.js";
import type { StoredRecord } from "./record.js";
import type { RecordDeps } from "./recordDeps.js";

type DeleteInput = { collection: string; record: StoredRecord; user_id: string | null };

export async function deleteRecord(
  deps: RecordDeps,
  ctx: ActionContext,
  collection: string,
  id: string,
): Promise<void> {
  const name = checkCollectionName(collection);
  const scope = writeScope(ctx.principal);
  const record = await findRecord(deps.db, name, id, scope);
  if (!record) throw recordNotFound(name, id);
  const userId = ownerIdOf(ctx.principal);
  const input: DeleteInput = { collection: name, record, user_id: userId };

  await deps.pipeline.run({
    ctx,
    input,
    pre: RECORD_EVENTS.preDelete,
    // Whatever a PRE handler returns, the record to delete is the one the caller named.
    validate: () => input,
    write: async (trx) => {
      const current = await findRecord(trx, name, id, scope, { lockOn: deps.dialect });
      if (!current) throw recordNotFound(name, id);
      await trx.deleteFrom("records").where("collection", "=", name).where("id", "=", id).execute();
      return current;
    },
    post: {
      type: RECORD_EVENTS.postDelete,
      data: (deleted) => ({ collection: name, record: deleted, user_id: userId }),
    },
    afterCommit: (deleted) =>
      deps.realtime.publish({ kind: "record", change: { collection: name, op: "delete", record: deleted } }),
  });
}
