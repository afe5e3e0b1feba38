// Removing a user (admins only). Their sessions and reset tokens go with them; what they own
// elsewhere (records, emails sent to them) stays.
import type { Trace } from "../events/pipeline.js";
import { type Principal, requireAdmin } from "../auth/principal.js";
import type { UserDeps } from "./createUser.js";
import { findUserById } from "./findUser.js";
import { notFound } from "./getUser.js";
import { userFromRow } from "./userDocument.js";

export async function deleteUser(
  deps: UserDeps,
  principal: Principal,
  id: string,
  trace: Trace = {},
): Promise<void> {
  requireAdmin(principal);
  const row = await findUserById(deps.db, id);
  if (!row) throw notFound(id);
  const user = userFromRow(row);
  await deps.pipeline.run({
    ctx: { principal, ...trace },
    input: { user_id: id, user },
    pre: "PRE_USER_DELETE",
    write: async (trx) => {
      // Explicit rather than relying on ON DELETE CASCADE, which SQLite honours only with a pragma.
      await trx.deleteFrom("sessions").where("user_id", "=", id).execute();
      await trx.deleteFrom("password_resets").where("user_id", "=", id).execute();
      const deleted = await trx.deleteFrom("users").where("id", "=", id).executeTakeFirst();
      if (Number(deleted.numDeletedRows) === 0) throw notFound(id);
      return user;
    },
    post: { type: "POST_USER_DELETE", data: () => ({ user_id: id, user }) },
  });
}
