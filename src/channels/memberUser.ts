// The identity members see: the user's id and email from the session; null for the admin key and
// signed-out listeners.
import type { Principal } from "../auth/principal.js";
import type { MemberUser } from "./envelope.js";

export function memberUserOf(principal: Principal): MemberUser | null {
  return principal.kind === "user" ? { id: principal.user.id, email: principal.user.email } : null;
}
