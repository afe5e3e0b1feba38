// Log in with email and password: a new session and POST_LOGIN. A wrong password and an unknown
// email get the same answer in about the same time, so logins cannot probe for accounts.
import type { Trace } from "../events/pipeline.js";
import { z } from "zod";
import { UnauthorizedError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import { findUserByEmail } from "../users/findUser.js";
import { userFromRow } from "../users/userDocument.js";
import { emailSchema } from "../users/userFields.js";
import { parseWith } from "../users/userInput.js";
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from "./password.js";
import type { Session } from "./register.js";
import { createSession } from "./sessions.js";

export const loginSchema = z.strictObject({
  email: emailSchema,
  // No length rule beyond a sane maximum: rules may have changed since the password was set.
  password: z.string().min(1, "is required").max(1000, "is too long"),
});

export async function login(
  deps: Pick<Deps, "db" | "clock" | "config" | "pipeline">,
  input: unknown,
  trace: Trace = {},
): Promise<Session> {
  const { email, password } = parseWith(loginSchema, input);
  const row = await findUserByEmail(deps.db, email);
  const ok = row ? await verifyPassword(password, row.password_hash) : await verifyAgainstNothing(password);
  if (!row || !ok) throw new UnauthorizedError("Invalid email or password");

  const user = userFromRow(row);
  // Hashes made with older parameters are upgraded while the password is at hand.
  const upgraded = needsRehash(row.password_hash) ? await hashPassword(password) : undefined;
  const token = await deps.pipeline.run({
    ctx: { principal: { kind: "user", user: { id: user.id, email: user.email, role: user.role } }, ...trace },
    input: { user_id: user.id, email: user.email },
    write: async (trx) => {
      if (upgraded) {
        await trx.updateTable("users").set({ password_hash: upgraded }).where("id", "=", user.id).execute();
      }
      return createSession(trx, deps, user.id);
    },
    post: { type: "POST_LOGIN", data: () => ({ user_id: user.id, email: user.email, user }) },
  });
  return { user, token };
}
