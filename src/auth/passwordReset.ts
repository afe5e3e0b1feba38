// Password reset in two steps:
// 1. request: a single-use token (only its digest is stored) mailed as a link, in one transaction
//    with the outbox row, so the email exists exactly when the token does. Unknown emails get the
//    same answer and no email, so the endpoint does not reveal who has an account.
// 2. confirm: the token sets a new password, dies, takes the user's other reset tokens and every
//    session with it, and fires POST_PASSWORD_RESET.
import type { Trace } from "../events/pipeline.js";
import { z } from "zod";
import { ValidationError } from "../core/errors.js";
import { digest, newSecret } from "../core/ids.js";
import type { Deps } from "../deps.js";
import type { Executor } from "../storage/schema.js";
import { findUserByEmail, findUserById } from "../users/findUser.js";
import { emailSchema, passwordSchema } from "../users/userFields.js";
import { parseWith } from "../users/userInput.js";
import { hashPassword } from "./password.js";
import type { Principal } from "./principal.js";
import { resetEmail } from "./resetEmail.js";
import { revokeUserSessions } from "./sessions.js";

export const resetRequestSchema = z.strictObject({ email: emailSchema });

export const resetConfirmSchema = z.strictObject({
  token: z.string().min(1, "is required").max(500, "is too long"),
  password: passwordSchema,
});

export interface ResetOptions {
  /** Base of the link in the email; defaults to config.publicUrl, then http://host:port. */
  publicUrl?: string;
}

export async function requestPasswordReset(
  deps: Pick<Deps, "db" | "clock" | "config" | "pipeline" | "email">,
  principal: Principal,
  input: unknown,
  options: ResetOptions = {},
  trace: Trace = {},
): Promise<void> {
  const { email } = parseWith(resetRequestSchema, input);
  const user = await findUserByEmail(deps.db, email);
  if (!user) return;

  const token = newSecret("bkr_");
  const now = deps.clock.now();
  const minutes = deps.config.resetTokenTtlMinutes;
  const base = (
    options.publicUrl ??
    deps.config.publicUrl ??
    `http://${deps.config.host}:${deps.config.port}`
  ).replace(/\/+$/, "");
  const link = `${base}/reset-password?token=${encodeURIComponent(token)}`;

  await deps.pipeline.run({
    ctx: { principal, ...trace },
    input: { user_id: user.id },
    write: async (trx) => {
      await trx
        .insertInto("password_resets")
        .values({
          token_hash: digest(token),
          user_id: user.id,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + minutes * 60_000).toISOString(),
          used_at: null,
        })
        .execute();
      return deps.email.enqueue(trx, resetEmail({ to: user.email, link, token, minutes }));
    },
    afterCommit: () => deps.email.wake(),
  });
}

export async function confirmPasswordReset(
  deps: Pick<Deps, "db" | "clock" | "pipeline">,
  principal: Principal,
  input: unknown,
  trace: Trace = {},
): Promise<void> {
  const { token, password } = parseWith(resetConfirmSchema, input);
  const tokenHash = digest(token);
  // A cheap look first, so made-up tokens cost no scrypt work; the transaction checks again.
  if (!usable(await findReset(deps.db, tokenHash), deps.clock.now().toISOString())) throw invalidToken();
  const passwordHash = await hashPassword(password);

  await deps.pipeline.run({
    ctx: { principal, ...trace },
    input: {},
    write: async (trx) => {
      const now = deps.clock.now().toISOString();
      const reset = await findReset(trx, tokenHash);
      if (!reset || !usable(reset, now)) throw invalidToken();
      // Claim the token atomically: of two concurrent confirms, only one updates the row.
      const claimed = await trx
        .updateTable("password_resets")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("used_at", "is", null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw invalidToken();
      const user = await findUserById(trx, reset.user_id);
      if (!user) throw invalidToken();
      // Any other link still in the user's mailbox dies with this one.
      await trx
        .updateTable("password_resets")
        .set({ used_at: now })
        .where("user_id", "=", user.id)
        .where("used_at", "is", null)
        .execute();
      await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", user.id).execute();
      await revokeUserSessions(trx, user.id);
      return { user_id: user.id, email: user.email };
    },
    post: { type: "POST_PASSWORD_RESET", data: (result) => result },
  });
}

function findReset(exec: Executor, tokenHash: string) {
  return exec
    .selectFrom("password_resets")
    .select(["user_id", "expires_at", "used_at"])
    .where("token_hash", "=", tokenHash)
    .executeTakeFirst();
}

function usable(reset: { expires_at: string; used_at: string | null } | undefined, now: string): boolean {
  return reset !== undefined && reset.used_at === null && reset.expires_at > now;
}

function invalidToken(): ValidationError {
  return new ValidationError(
    "This password reset token is invalid, already used or expired: ask for a new one",
  );
}
