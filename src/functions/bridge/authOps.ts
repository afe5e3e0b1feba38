// auth.me for function code: the user document of whoever called the function, or null when the
// caller is anonymous or the admin key (which is nobody's account). It reads the caller of the
// execution, whichever client asks.

import { getUser } from "../../users/getUser.js";
import type { Op } from "./bridgeContext.js";
import { orNull } from "./orNull.js";

export const authOps: Record<string, Op> = {
  "auth.me": async ({ deps, scope }) => {
    const caller = scope.principal;
    if (caller.kind !== "user") return null;
    return orNull(getUser(deps, caller, caller.user.id));
  },
};
