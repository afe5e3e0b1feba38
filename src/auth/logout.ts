// Log out: revokes the session that made the call (other devices stay signed in), POST_LOGOUT.
import type { Trace } from "../events/pipeline.js";
import type { Deps } from "../deps.js";
import { type Principal, requireUser } from "./principal.js";
import { revokeSession } from "./sessions.js";

export async function logout(
  deps: Pick<Deps, "pipeline">,
  principal: Principal,
  token: string,
  trace: Trace = {},
): Promise<void> {
  const user = requireUser(principal);
  await deps.pipeline.run({
    ctx: { principal, ...trace },
    input: { user_id: user.id },
    write: (trx) => revokeSession(trx, token),
    post: { type: "POST_LOGOUT", data: () => ({ user_id: user.id }) },
  });
}
