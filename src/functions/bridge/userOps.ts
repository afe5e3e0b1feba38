// records.* on the collection `users`: the users of the app through src/users, with the same filter
// language (seed 000: `backend.query('users', { trialEndsAt: { $lte: new Date() }, isPaid: false })`).
// Users are an admin's business, so a "caller" who is not an admin gets the same 401/403 as over HTTP.
import { createUser } from "../../users/createUser.js";
import { deleteUser } from "../../users/deleteUser.js";
import { getUser } from "../../users/getUser.js";
import { listUsers } from "../../users/listUsers.js";
import { updateUser } from "../../users/updateUser.js";
import { text } from "./args.js";
import { actionContext, type Op } from "./bridgeContext.js";
import { orNull } from "./orNull.js";
import { countOf, queryOf } from "./queryOptions.js";

export const USERS_COLLECTION = "users";

export const userOps: Record<string, Op> = {
  "records.query": async ({ deps, principal, args }) =>
    (await listUsers(deps, principal, queryOf(args))).items,
  "records.count": async ({ deps, principal, args }) =>
    (await listUsers(deps, principal, countOf(args))).total,
  "records.get": async ({ deps, principal, args }) =>
    orNull(getUser(deps, principal, text(args, 1, "The id"))),
  "records.create": async (call) => createUser(call.deps, call.principal, call.args[1], actionContext(call)),
  "records.update": async (call) =>
    updateUser(call.deps, call.principal, text(call.args, 1, "The id"), call.args[2], actionContext(call)),
  "records.delete": async (call) => {
    await deleteUser(call.deps, call.principal, text(call.args, 1, "The id"), actionContext(call));
    return true;
  },
};
