// The signed-in user's own document, and the few changes a user may make to it: the name and the
// password. Role and extra fields belong to admins and functions (src/users/updateUser.ts).
import type { Trace } from "../events/pipeline.js";
import { z } from "zod";
import { ValidationError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import { findUserById } from "../users/findUser.js";
import { getUser } from "../users/getUser.js";
import { runUpdateUser, type UpdateUserSpec } from "../users/updateUser.js";
import type { UserDocument } from "../users/userDocument.js";
import { fullNameSchema, passwordSchema } from "../users/userFields.js";
import { parseWith } from "../users/userInput.js";
import { verifyPassword } from "./password.js";
import { type Principal, requireUser } from "./principal.js";

export const updateMeSchema = z.strictObject(
  {
    full_name: fullNameSchema.optional(),
    password: passwordSchema.optional(),
    currentPassword: z.string().max(1000, "is too long").optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `You can change only full_name and password here (not ${issue.keys.join(", ")})`
        : undefined,
  },
);

export async function getMe(deps: Pick<Deps, "db">, principal: Principal): Promise<UserDocument> {
  const me = requireUser(principal);
  return getUser(deps, principal, me.id);
}

/**
 * A password change needs the current password and signs the user out everywhere except the
 * session that made the change (`currentToken`).
 */
export async function updateMe(
  deps: Pick<Deps, "db" | "clock" | "config" | "dialect" | "pipeline">,
  principal: Principal,
  input: unknown,
  currentToken?: string,
  trace: Trace = {},
): Promise<UserDocument> {
  const me = requireUser(principal);
  const { full_name, password, currentPassword } = parseWith(updateMeSchema, input);
  const spec: UpdateUserSpec = {
    ctx: { principal, ...trace },
    userId: me.id,
    changes: full_name === undefined ? {} : { full_name },
  };
  if (password !== undefined) {
    if (currentPassword === undefined) {
      throw new ValidationError("currentPassword: is required to change the password");
    }
    const row = await findUserById(deps.db, me.id);
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      throw new ValidationError("currentPassword: is not correct");
    }
    spec.password = password;
    if (currentToken !== undefined) spec.keepToken = currentToken;
  }
  return runUpdateUser(deps, spec);
}
