// records.* for function code: the document store through src/records, with the identity of the
// call ("service" = admin key, "caller" = who called the function), so read rules and ownership
// apply as they do over HTTP. The collection `users` means the users (./userOps.ts).
import { createRecord } from "../../records/createRecord.js";
import { deleteRecord } from "../../records/deleteRecord.js";
import { getRecord } from "../../records/getRecord.js";
import { listRecords } from "../../records/listRecords.js";
import { updateRecord } from "../../records/updateRecord.js";
import { text } from "./args.js";
import { actionContext, type Op, type OpCall } from "./bridgeContext.js";
import { orNull } from "./orNull.js";
import { countOf, queryOf } from "./queryOptions.js";
import { USERS_COLLECTION, userOps } from "./userOps.js";

const context = actionContext;

const collectionOps: Record<string, Op> = {
  "records.query": async ({ deps, principal, args }) =>
    (await listRecords(deps, principal, text(args, 0, "The collection"), queryOf(args))).items,
  "records.count": async ({ deps, principal, args }) =>
    (await listRecords(deps, principal, text(args, 0, "The collection"), countOf(args))).total,
  "records.get": async ({ deps, principal, args }) =>
    orNull(getRecord(deps, principal, text(args, 0, "The collection"), text(args, 1, "The id"))),
  "records.create": async (call) =>
    createRecord(call.deps, context(call), text(call.args, 0, "The collection"), call.args[1]),
  "records.update": async (call) =>
    updateRecord(
      call.deps,
      context(call),
      text(call.args, 0, "The collection"),
      text(call.args, 1, "The id"),
      call.args[2],
    ),
  "records.delete": async (call) => {
    await deleteRecord(
      call.deps,
      context(call),
      text(call.args, 0, "The collection"),
      text(call.args, 1, "The id"),
    );
    return true;
  },
};

/** The records.* operations, routed to users when the collection is `users`. */
export const recordOps: Record<string, Op> = Object.fromEntries(
  Object.entries(collectionOps).map(([name, op]) => [
    name,
    (call: OpCall) => (call.args[0] === USERS_COLLECTION ? userOps[name]!(call) : op(call)),
  ]),
);
