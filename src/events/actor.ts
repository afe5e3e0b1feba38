// Who caused an event, as stored with it: the principal the server established for the action, so a
// POST handler later runs for the same identity (`context.user`, createClientFromRequest).
import type { Principal } from "../auth/principal.js";
import type { JsonColumn } from "../storage/schema.js";
import { readJson, writeJson } from "../storage/store.js";

export function actorColumn(principal: Principal): string | null {
  return principal.kind === "anonymous" ? null : writeJson(principal);
}

export function actorOf(column: JsonColumn | null): Principal {
  if (column === null) return { kind: "anonymous" };
  const value = readJson<Principal>(column);
  if (value.kind === "user" && value.user) {
    return { kind: "user", user: { id: value.user.id, email: value.user.email, role: value.user.role } };
  }
  return value.kind === "admin-key" ? { kind: "admin-key" } : { kind: "anonymous" };
}
