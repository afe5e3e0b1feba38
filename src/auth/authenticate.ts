// Turns a bearer token into a Principal: the admin key, a live session, or an error.
import type { Clock } from "../core/clock.js";
import { UnauthorizedError } from "../core/errors.js";
import { digest } from "../core/ids.js";
import type { Db } from "../storage/schema.js";
import { matchesAdminKey } from "./adminKey.js";
import { adminKey, anonymous, type Principal } from "./principal.js";

export interface AuthenticateDeps {
  db: Db;
  clock: Clock;
  adminKeyDigest: string;
}

/**
 * The token in an `Authorization: Bearer <token>` header; undefined when there is no header,
 * a 401 when the header has another shape.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization === "") return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new UnauthorizedError("The Authorization header must be 'Bearer <token>'");
  return match[1]!;
}

/** `authorization` is the raw header; a missing header is anonymous, a bad token is a 401. */
export async function authenticate(
  deps: AuthenticateDeps,
  authorization: string | undefined,
): Promise<Principal> {
  const token = bearerToken(authorization);
  if (token === undefined) return anonymous;
  if (matchesAdminKey(token, deps.adminKeyDigest)) return adminKey;

  const row = await deps.db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["users.id", "users.email", "users.role", "sessions.expires_at"])
    .where("sessions.token_hash", "=", digest(token))
    .executeTakeFirst();
  if (!row || row.expires_at <= deps.clock.now().toISOString()) {
    throw new UnauthorizedError("Invalid or expired token: log in again");
  }
  return { kind: "user", user: { id: row.id, email: row.email, role: row.role } };
}
