// Who is acting. Always derived by the server from the request's credentials, never from a body.
import { ForbiddenError, UnauthorizedError } from "../core/errors.js";

export interface UserIdentity {
  id: string;
  email: string;
  role: "user" | "admin";
}

export type Principal = { kind: "anonymous" } | { kind: "admin-key" } | { kind: "user"; user: UserIdentity };

export const anonymous: Principal = { kind: "anonymous" };
export const adminKey: Principal = { kind: "admin-key" };

export function isAdmin(principal: Principal): boolean {
  return principal.kind === "admin-key" || (principal.kind === "user" && principal.user.role === "admin");
}

export function requireAdmin(principal: Principal): void {
  if (principal.kind === "anonymous") throw new UnauthorizedError();
  if (!isAdmin(principal))
    throw new ForbiddenError("This needs an admin: use the admin key or an admin user's token");
}

export function requireUser(principal: Principal): UserIdentity {
  if (principal.kind !== "user") {
    if (principal.kind === "admin-key")
      throw new ForbiddenError("This needs a user's token, not the admin key");
    throw new UnauthorizedError();
  }
  return principal.user;
}

/** The user id that owns what this principal creates; null for the admin key. */
export function ownerIdOf(principal: Principal): string | null {
  return principal.kind === "user" ? principal.user.id : null;
}
