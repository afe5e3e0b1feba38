// Changing a user: admins change anything (email, role, full_name, password, extra fields; `null`
// removes an extra field); a user changes only their own name and password (src/auth/updateMe.ts).
// PRE_USER_UPDATE sees `{ user_id, changes }` and may rewrite the changes; the password never
// appears in any event.

import { hashPassword } from "../auth/password.js";
import { type Principal, requireAdmin } from "../auth/principal.js";
import { revokeUserSessions } from "../auth/sessions.js";
import { ConflictError, ValidationError } from "../core/errors.js";
import type { ActionContext, Trace } from "../events/pipeline.js";
import { writeJson } from "../storage/store.js";
import type { UserDeps } from "./createUser.js";
import { findUserByEmail, findUserById, isUniqueViolation } from "./findUser.js";
import { notFound } from "./getUser.js";
import { buildUserDocument, extraFieldsOf, type UserDocument, userFromRow } from "./userDocument.js";
import { passwordSchema, SYSTEM_FIELDS } from "./userFields.js";
import { parseUserChanges, parseWith } from "./userInput.js";

export interface UpdateUserSpec {
  ctx: ActionContext;
  userId: string;
  /** Field changes; system fields are dropped, validation happens here. */
  changes: Record<string, unknown>;
  /** A new password (already validated); revokes the user's sessions. */
  password?: string;
  /** The session to keep when the password changes (the caller's own). */
  keepToken?: string;
}

export async function runUpdateUser(deps: UserDeps, spec: UpdateUserSpec): Promise<UserDocument> {
  const initial = parseUserChanges(spec.changes);
  // A missing user is a 404 before any PRE handler runs; the write checks again.
  if (!(await findUserById(deps.db, spec.userId))) throw notFound(spec.userId);
  const passwordHash = spec.password === undefined ? undefined : await hashPassword(spec.password);
  const { userId } = spec;

  const result = await deps.pipeline.run({
    ctx: spec.ctx,
    input: { user_id: userId, changes: initial.normalized },
    pre: "PRE_USER_UPDATE",
    write: async (trx, data) => {
      const changes = parseUserChanges(data.changes);
      const row = await findUserById(trx, userId);
      if (!row) throw notFound(userId);
      const previous = userFromRow(row);
      if (changes.email !== undefined && changes.email !== row.email) {
        if (await findUserByEmail(trx, changes.email)) throw duplicate();
      }
      const extra = extraFieldsOf(previous);
      for (const key of changes.unset) delete extra[key];
      Object.assign(extra, changes.set);
      const now = deps.clock.now().toISOString();
      const user = buildUserDocument(
        {
          id: previous.id,
          email: changes.email ?? previous.email,
          role: changes.role ?? previous.role,
          full_name: changes.full_name !== undefined ? changes.full_name : previous.full_name,
          createdAt: previous.createdAt,
          updatedAt: now,
        },
        extra,
      );
      try {
        await trx
          .updateTable("users")
          .set({
            email: user.email,
            role: user.role,
            data: writeJson(user),
            updated_at: now,
            ...(passwordHash ? { password_hash: passwordHash } : {}),
          })
          .where("id", "=", userId)
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate();
        throw error;
      }
      if (passwordHash) await revokeUserSessions(trx, userId, spec.keepToken);
      return { user, previous, changes: changes.normalized };
    },
    post: {
      type: "POST_USER_UPDATE",
      data: ({ user, previous, changes }) => ({ user_id: userId, user, previous, changes }),
    },
  });
  return result.user;
}

function duplicate(): ConflictError {
  return new ConflictError("Another user already has this email");
}

/** Admin update: any field; `password` sets a new password and signs the user out everywhere. */
export async function updateUser(
  deps: UserDeps,
  principal: Principal,
  id: string,
  patch: unknown,
  trace: Trace = {},
): Promise<UserDocument> {
  requireAdmin(principal);
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new ValidationError("The changes must be a JSON object");
  }
  const { password, ...rest } = patch as Record<string, unknown>;
  const changes = Object.fromEntries(Object.entries(rest).filter(([key]) => !SYSTEM_FIELDS.has(key)));
  const spec: UpdateUserSpec = { ctx: { principal, ...trace }, userId: id, changes };
  if (password !== undefined) spec.password = parseWith(passwordSchema, password, "password");
  return runUpdateUser(deps, spec);
}
