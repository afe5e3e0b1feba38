// Reading one user: admins read anyone, a user reads themself; anyone else gets a 404 so that
// user ids cannot be probed.
import { isAdmin, type Principal } from "../auth/principal.js";
import { NotFoundError, UnauthorizedError } from "../core/errors.js";
import type { Executor } from "../storage/schema.js";
import { findUserById } from "./findUser.js";
import { type UserDocument, userFromRow } from "./userDocument.js";

export async function getUser(
  deps: { db: Executor },
  principal: Principal,
  id: string,
): Promise<UserDocument> {
  if (principal.kind === "anonymous") throw new UnauthorizedError();
  const own = principal.kind === "user" && principal.user.id === id;
  const row = isAdmin(principal) || own ? await findUserById(deps.db, id) : undefined;
  if (!row) throw notFound(id);
  return userFromRow(row);
}

export function notFound(id: string): NotFoundError {
  return new NotFoundError(`No user with id '${id.slice(0, 100)}'`);
}
