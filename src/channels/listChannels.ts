// What admins (and the dashboard) see of channels: the ones with connected members across all live
// nodes, and who is in one.
import { type Principal, requireAdmin } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import { checkChannelName } from "./channelName.js";
import type { MemberUser } from "./envelope.js";
import { activeChannels, type ChannelSummary, membersOf } from "./presence.js";

export async function listChannels(deps: Pick<Deps, "db">, principal: Principal): Promise<ChannelSummary[]> {
  requireAdmin(principal);
  return activeChannels(deps.db, new Date());
}

export async function channelMembers(
  deps: Pick<Deps, "db">,
  principal: Principal,
  channel: unknown,
): Promise<MemberUser[]> {
  requireAdmin(principal);
  return membersOf(deps.db, checkChannelName(channel), new Date());
}
