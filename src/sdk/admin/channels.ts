// client.admin.channels: the channels with connected members across all server nodes, who is in
// one, and sending into one as the admin (GET /api/channels, /api/channels/:channel/members,
// POST /api/channels/:channel/messages). Joining and listening: `client.channels`.
import type { Transport } from "../http.js";
import type { ChannelMessage, MemberUser } from "../types.js";

export interface ChannelSummary {
  channel: string;
  /** Open sockets in the channel, signed-out listeners and admin sockets included. */
  connections: number;
  /** Distinct signed-in users among them. */
  users: number;
}

/** A signed-in user in a channel, as admins see them. */
export interface ChannelMember extends MemberUser {
  /** Sockets the user has in the channel (tabs, devices). */
  connections: number;
  /** The server nodes holding them. */
  nodes: string[];
  /** When their first socket still there joined (ISO-8601). */
  joinedAt: string;
}

export interface SendOptions {
  /** Also fire chan_in (POST_CHANNEL_MESSAGE); off by default for admins. */
  event?: boolean;
}

export interface AdminChannelsApi {
  /** Channels with at least one connected member. */
  list(): Promise<ChannelSummary[]>;
  /** The signed-in users in a channel, in the order they joined. */
  members(channel: string): Promise<ChannelMember[]>;
  /**
   * Sends without joining: members receive it with `user: null`. Resolves with the message as sent.
   * A PRE_CHANNEL_MESSAGE handler that refuses it -> BackendError "blocked".
   */
  send<M = unknown>(channel: string, message: M, options?: SendOptions): Promise<ChannelMessage<M>>;
}

export function adminChannelsApi(http: Transport): AdminChannelsApi {
  const path = (channel: string) => `/api/channels/${encodeURIComponent(channel)}`;
  return {
    list: async () => (await http.request<{ items: ChannelSummary[] }>("GET", "/api/channels")).items,
    members: async (channel) =>
      (await http.request<{ items: ChannelMember[] }>("GET", `${path(channel)}/members`)).items,
    send: (channel, message, options = {}) =>
      http.request("POST", `${path(channel)}/messages`, {
        body: options.event === undefined ? { message } : { message, event: options.event },
      }),
  };
}
