// Who an execution runs for, in the forms the rest needs: the identity handed to the function
// (`context.user`), and the `caller` column of the execution. Both come from the principal the
// server established, never from anything the function or the payload says.
import type { Principal } from "../../auth/principal.js";
import type { CallerIdentity } from "../runtime/types.js";

/** The admin key is nobody's account: it shows up as this id. */
export const ADMIN_KEY_CALLER = "admin";

export function callerIdentity(principal: Principal): CallerIdentity | null {
  switch (principal.kind) {
    case "user":
      return { id: principal.user.id, email: principal.user.email, role: principal.user.role };
    case "admin-key":
      return { id: ADMIN_KEY_CALLER, email: "", role: "admin" };
    default:
      return null;
  }
}

export function callerColumn(principal: Principal): string | null {
  return callerIdentity(principal)?.id ?? null;
}
