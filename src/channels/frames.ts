// The WebSocket protocol of GET /realtime (SPEC §10; docs/channels.md documents every frame). Every
// frame is a JSON object with a `type`. A client frame may carry a `ref` (string or number) that the
// answer to it repeats. Fields a frame is not expected to have are dropped unread: a frame that
// claims a `user`, a `role` or an app changes nothing, because identity comes from the session.
import { z } from "zod";
import type { ChannelMessage, MemberUser } from "./envelope.js";
import type { StoredRecord } from "../records/record.js";

const ref = z.union([z.string().max(100), z.number()]).optional();
const channel = z.string({ error: "'channel' must be a string" });

export const clientFrame = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("auth"),
      token: z.string({ error: "'token' must be a string" }).max(1000),
      ref,
    }),
    z.object({ type: z.literal("join"), channel, ref }),
    z.object({ type: z.literal("leave"), channel, ref }),
    z.object({ type: z.literal("send"), channel, message: z.unknown(), ref }),
    z.object({ type: z.literal("presence"), channel, ref }),
    z.object({
      type: z.literal("subscribe"),
      collection: z.string({ error: "'collection' must be a string" }),
      id: z.string().max(100).optional(),
      filter: z.record(z.string(), z.unknown()).optional(),
      ref,
    }),
    z.object({ type: z.literal("unsubscribe"), subscription: z.string().max(100), ref }),
    z.object({ type: z.literal("ping"), ref }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? "Unknown frame type: use auth, join, leave, send, presence, subscribe, unsubscribe or ping"
        : undefined,
  },
);

export type ClientFrame = z.infer<typeof clientFrame>;
export type Ref = string | number | undefined;

export type ServerFrame =
  | { type: "connected"; connection: string; user: MemberUser | null }
  | { type: "authenticated"; user: MemberUser | null; ref?: Ref }
  | { type: "joined"; channel: string; presence: boolean; ref?: Ref }
  | { type: "left"; channel: string; ref?: Ref }
  | ({ type: "message" } & ChannelMessage)
  | { type: "sent"; channel: string; id: string; ref?: Ref }
  | { type: "presence"; channel: string; members: MemberUser[]; ref?: Ref }
  | { type: "member_joined" | "member_left"; channel: string; user: MemberUser }
  | { type: "subscribed"; subscription: string; collection: string; ref?: Ref }
  | { type: "unsubscribed"; subscription: string; ref?: Ref }
  | {
      type: "change";
      subscription: string;
      collection: string;
      op: "create" | "update" | "delete";
      record: StoredRecord;
      previous?: StoredRecord;
    }
  | { type: "pong"; ref?: Ref }
  | { type: "error"; code: string; message: string; ref?: Ref; channel?: string };

/** WebSocket close codes the server uses. */
export const CLOSE = {
  /** The server is shutting down, or the connection sat idle in no channel. */
  goingAway: 1001,
  /** The client kept flooding after rate-limit errors. */
  policy: 1008,
  /** A frame over the size limit. */
  tooBig: 1009,
  /** The client reads too slowly: its send buffer passed the limit. */
  tryAgainLater: 1013,
  /** The session behind the token ended (logout, expiry, user deleted). */
  sessionEnded: 4401,
} as const;
