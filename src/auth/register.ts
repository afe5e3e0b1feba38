// Sign-up: creates the user (PRE_USER_CREATE / POST_USER_CREATE) and its first session in the same
// transaction, so a client never holds a token for a user that was not committed.
import type { Trace } from "../events/pipeline.js";
import { z } from "zod";
import type { Deps } from "../deps.js";
import { runCreateUser } from "../users/createUser.js";
import type { UserDocument } from "../users/userDocument.js";
import { emailSchema, fullNameSchema, passwordSchema } from "../users/userFields.js";
import { parseWith } from "../users/userInput.js";
import type { Principal } from "./principal.js";
import { createSession } from "./sessions.js";

export const registerSchema = z.strictObject(
  {
    email: emailSchema,
    password: passwordSchema,
    full_name: fullNameSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Sign-up takes only email, password and full_name (not ${issue.keys.join(", ")})`
        : undefined,
  },
);

export interface Session {
  user: UserDocument;
  token: string;
}

export async function register(
  deps: Pick<Deps, "db" | "clock" | "config" | "dialect" | "pipeline">,
  principal: Principal,
  input: unknown,
  trace: Trace = {},
): Promise<Session> {
  const { email, password, full_name } = parseWith(registerSchema, input);
  const { user, also: token } = await runCreateUser(deps, {
    ctx: { principal, ...trace },
    fields: { email, full_name: full_name ?? null },
    password,
    alsoWrite: (trx, created) => createSession(trx, deps, created.id),
  });
  return { user, token };
}
