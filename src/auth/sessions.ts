// Sessions: opaque bearer tokens (`bk_...`) handed to the client once; the table keeps only their
// digest, the user and the expiry. authenticate.ts reads them; these functions create and revoke.
import type { Config } from "../config/config.js";
import type { Clock } from "../core/clock.js";
import { digest, newSecret } from "../core/ids.js";
import type { Executor } from "../storage/schema.js";

export interface SessionDeps {
  clock: Clock;
  config: Pick<Config, "sessionTtlHours">;
}

/** Creates a session for the user and returns its token (the only time it exists in clear). */
export async function createSession(exec: Executor, deps: SessionDeps, userId: string): Promise<string> {
  const now = deps.clock.now();
  const token = newSecret("bk_");
  const expires = new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000);
  // Housekeeping on the way: this user's expired sessions can never be used again.
  await exec
    .deleteFrom("sessions")
    .where("user_id", "=", userId)
    .where("expires_at", "<=", now.toISOString())
    .execute();
  await exec
    .insertInto("sessions")
    .values({
      token_hash: digest(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
    })
    .execute();
  return token;
}

export async function revokeSession(exec: Executor, token: string): Promise<void> {
  await exec.deleteFrom("sessions").where("token_hash", "=", digest(token)).execute();
}

/** Revokes every session of the user, except the one holding `keepToken` when given. */
export async function revokeUserSessions(exec: Executor, userId: string, keepToken?: string): Promise<void> {
  let query = exec.deleteFrom("sessions").where("user_id", "=", userId);
  if (keepToken !== undefined) query = query.where("token_hash", "!=", digest(keepToken));
  await query.execute();
}
