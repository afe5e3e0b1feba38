// What travels between the parts of the realtime system, on one node and across nodes: a message
// sent into a channel, a member arriving or leaving (presence), a record written (change feeds).
// Each node delivers an envelope to its own connections; the bus carries it to the others.
import type { StoredRecord } from "../records/record.js";

/** Who sent a message or is in a channel, as members see them: from the server's session. */
export type MemberUser = {
  id: string;
  email: string;
};

export type ChannelMessage = {
  id: string;
  channel: string;
  /** null when an admin, a server or a function sent it. */
  user: MemberUser | null;
  message: unknown;
  timestamp: string;
};

export interface RecordChange {
  collection: string;
  op: "create" | "update" | "delete";
  /** The record as written; for a delete, as it was. */
  record: StoredRecord;
  /** The record before an update. */
  previous?: StoredRecord;
}

export type Envelope =
  | { kind: "message"; message: ChannelMessage }
  | {
      kind: "presence";
      channel: string;
      op: "join" | "leave";
      user: MemberUser;
      /** The socket that joined: it is not told of its own arrival (its `joined` answer says it). */
      connection?: string;
    }
  | { kind: "record"; change: RecordChange };

/** Hands an envelope to every node's connections (this one's first). What domain code calls. */
export interface RealtimeFanout {
  publish(envelope: Envelope): void;
}
