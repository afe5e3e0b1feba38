// Who may read and change which records, as a scope the queries apply. Reads follow the
// collection's rule; changes are the owner's (or an admin's). A record outside the scope is
// answered as missing (404), so nobody learns that someone else's record exists.
import { isAdmin, type Principal } from "../auth/principal.js";
import { UnauthorizedError } from "../core/errors.js";
import type { ReadRule } from "./collection.js";

/** `all`: every record of the collection; otherwise only those owned by `ownerId`. */
export type Scope = { all: true } | { all: false; ownerId: string };

const ALL: Scope = { all: true };

export function readScope(principal: Principal, rule: ReadRule): Scope {
  if (rule === "public" || isAdmin(principal)) return ALL;
  if (principal.kind !== "user") {
    throw new UnauthorizedError("Sign in to read this collection: send 'Authorization: Bearer <token>'");
  }
  return rule === "users" ? ALL : { all: false, ownerId: principal.user.id };
}

export function writeScope(principal: Principal): Scope {
  if (isAdmin(principal)) return ALL;
  if (principal.kind !== "user") {
    throw new UnauthorizedError("Sign in to write records: send 'Authorization: Bearer <token>'");
  }
  return { all: false, ownerId: principal.user.id };
}
