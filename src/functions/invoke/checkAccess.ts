// Who may start a function by calling it (SDK, HTTP, CLI, another function): `public` anyone,
// `user` any signed-in user (or an admin), `admin` admins only. Checked before anything runs.
import { isAdmin, type Principal } from "../../auth/principal.js";
import { ForbiddenError, UnauthorizedError } from "../../core/errors.js";
import type { Access } from "../deploy/functionConfig.js";

export function checkAccess(access: Access, principal: Principal, name: string): void {
  if (access === "public") return;
  if (principal.kind === "anonymous") {
    throw new UnauthorizedError(
      `Sign in to call the function '${name}': send 'Authorization: Bearer <token>'`,
    );
  }
  if (access === "admin" && !isAdmin(principal)) {
    throw new ForbiddenError(`The function '${name}' may be called by admins only`);
  }
}
