// /api/channels (admins): the channels with connected members across all nodes, who is in one, and
// sending into one as the admin. Shapes from src/channels/presence.ts, listChannels.ts and
// sendMessage.ts. Listening to a channel goes through the SDK's realtime socket (client.channels).
import type { ChannelMessage } from "../../../src/sdk/index.js";
import type { Transport } from "../../../src/sdk/http.js";

export interface ChannelSummary {
  channel: string;
  /** Open sockets in the channel, signed-out listeners and admin sockets included. */
  connections: number;
  /** Distinct signed-in users among them. */
  users: number;
}

export interface ChannelMember {
  id: string;
  email: string;
  /** Sockets the user has in the channel. */
  connections: number;
  /** The server nodes holding them. */
  nodes: string[];
  /** When the user's first socket joined (ISO-8601). */
  joinedAt: string;
}

export interface SendInput {
  /** Any JSON. */
  message: unknown;
  /** Also fire chan_in (POST_CHANNEL_MESSAGE); off by default for admins. */
  event?: boolean;
}

function channelPath(channel: string): string {
  return `/api/channels/${encodeURIComponent(channel)}`;
}

export async function listChannels(http: Transport): Promise<ChannelSummary[]> {
  return (await http.request<{ items: ChannelSummary[] }>("GET", "/api/channels")).items;
}

export async function listMembers(http: Transport, channel: string): Promise<ChannelMember[]> {
  return (await http.request<{ items: ChannelMember[] }>("GET", `${channelPath(channel)}/members`)).items;
}

/** Sends as the admin: members receive it with `user: null`. Answers the message as sent. */
export function sendToChannel(http: Transport, channel: string, input: SendInput): Promise<ChannelMessage> {
  return http.request("POST", `${channelPath(channel)}/messages`, { body: input });
}
