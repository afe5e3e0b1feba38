// What admins (and the dashboard) see of channels: the ones with connected members across all live
// nodes, and who is in one: each signed-in user once, with their sockets' nodes and first join.
import { type Principal, requireAdmin } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import { checkChannelName } from "./channelName.js";
import type { MemberUser } from "./envelope.js";
import { activeChannels, type ChannelSummary, memberConnectionsOf } from "./presence.js";

/** A signed-in user in a channel, as admins see them. */
export interface ChannelMember extends MemberUser {
  /** Sockets the user has in the channel (tabs, devices). */
  connections: number;
  /** The nodes holding those sockets. */
  nodes: string[];
  /** When their first socket still there joined. */
  joinedAt: string;
}

export async function listChannels(deps: Pick<Deps, "db">, principal: Principal): Promise<ChannelSummary[]> {
  requireAdmin(principal);
  return activeChannels(deps.db, new Date());
}

/** The users in a channel, in the order they joined. */
export async function channelMembers(
  deps: Pick<Deps, "db">,
  principal: Principal,
  channel: unknown,
): Promise<ChannelMember[]> {
  requireAdmin(principal);
  const sockets = await memberConnectionsOf(deps.db, checkChannelName(channel), new Date());
  const members = new Map<string, ChannelMember>();
  for (const socket of sockets) {
    const member = members.get(socket.userId);
    if (!member) {
      members.set(socket.userId, {
        id: socket.userId,
        email: socket.email,
        connections: 1,
        nodes: [socket.nodeId],
        joinedAt: socket.joinedAt,
      });
      continue;
    }
    member.connections += 1;
    if (!member.nodes.includes(socket.nodeId)) member.nodes.push(socket.nodeId);
  }
  return [...members.values()];
}
