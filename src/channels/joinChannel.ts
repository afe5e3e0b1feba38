// May this caller join this channel? The channel's rule decides (src/channels/channelRules.ts), and
// PRE_CHANNEL_JOIN handlers may refuse any join. A private channel admits admins, the user a
// `{user.id}` pattern names, and whoever a PRE_CHANNEL_JOIN handler grants with `{ allow: true }`:
// with no handler, or one that answers nothing, a private channel stays closed (fail closed).
import { isAdmin, type Principal } from "../auth/principal.js";
import { ForbiddenError, UnauthorizedError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import { runPreHandlers } from "../events/runPreHandlers.js";
import { checkChannelName } from "./channelName.js";
import type { ChannelRule } from "./channelRules.js";
import { memberUserOf } from "./memberUser.js";
import { rulesOf } from "./rulesOf.js";

export const PRE_CHANNEL_JOIN = "PRE_CHANNEL_JOIN";

/** Throws when `principal` may not join; answers the channel's rule when it may. */
export async function authorizeJoin(deps: Deps, principal: Principal, name: unknown): Promise<ChannelRule> {
  const channel = checkChannelName(name);
  const { rule, ownChannel } = rulesOf(deps.config).policyFor(channel, principal);
  if (isAdmin(principal)) return rule;
  if (rule.join !== "public" && principal.kind !== "user") {
    throw new UnauthorizedError(`Sign in to join '${channel}': send an auth frame or connect with ?token=`);
  }
  if (ownChannel === false) throw new ForbiddenError(`'${channel}' is another user's channel`);
  const outcome = { granted: false };
  await runPreHandlers(
    deps,
    PRE_CHANNEL_JOIN,
    { channel, user: memberUserOf(principal), access: rule.join },
    { principal },
    newId(),
    outcome,
  );
  if (rule.join === "private" && ownChannel !== true && !outcome.granted) {
    throw new ForbiddenError(
      `'${channel}' is a private channel: a ${PRE_CHANNEL_JOIN} handler must admit you with { allow: true }`,
    );
  }
  return rule;
}
