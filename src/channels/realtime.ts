// Channels on one node: GET /realtime upgrades to a WebSocket (on the HTTP API's port), each socket
// becomes a Connection, and envelopes reach this node's connections through the Hub and other
// nodes' through the bus (PostgreSQL LISTEN/NOTIFY; with SQLite there is one node and no bus). A
// heartbeat pings every socket, drops the ones that stopped answering, closes idle ones, re-checks
// sessions (a logged-out token loses its socket) and keeps this node's presence row alive.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { authenticate } from "../auth/authenticate.js";
import { anonymous, type Principal } from "../auth/principal.js";
import { AppError } from "../core/errors.js";
import { digest, newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import { getReadRule } from "../records/readRule.js";
import type { ChannelRule } from "./channelRules.js";
import { Connection, type ConnectionHost } from "./connection.js";
import type { Envelope, MemberUser, RealtimeFanout } from "./envelope.js";
import { CLOSE } from "./frames.js";
import { type Feed, Hub } from "./hub.js";
import { memberUserOf } from "./memberUser.js";
import { PgBus } from "./pgBus.js";
import {
  addMember,
  connectionsOf,
  membersOf,
  NODE_RENEW_MS,
  pruneDeadNodes,
  removeMember,
  removeNode,
  renewNode,
} from "./presence.js";

export const REALTIME_PATH = "/realtime";
/** Session checks ask about this many tokens per statement. */
const SESSION_BATCH = 500;

export class Realtime implements RealtimeFanout, ConnectionHost {
  readonly nodeId = newId();
  private readonly hub: Hub;
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  private bus: PgBus | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date().toISOString();
  private accepting = false;
  private stopped = false;

  constructor(readonly deps: Deps) {
    this.hub = new Hub((collection) => getReadRule(deps.db, collection));
    const { maxFrameBytes } = deps.config.channels;
    // Frames up to 4x the limit are read and answered with an error frame; larger ones end the
    // connection inside ws (close 1009) before they are buffered.
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: Math.max(maxFrameBytes * 4, 64 * 1024),
    });
  }

  /** Takes over `Upgrade` requests on the HTTP server: /realtime becomes a socket, anything else a 404. */
  attach(server: Server): void {
    server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on("error", () => {});
      void this.upgrade(request, socket, head);
    });
  }

  async start(): Promise<void> {
    const { config, db, log } = this.deps;
    await renewNode(db, this.nodeId, new Date(), this.startedAt);
    await this.prune();
    if (this.deps.dialect === "postgres" && config.databaseUrl) {
      this.bus = new PgBus({ db, log, databaseUrl: config.databaseUrl }, this.nodeId, (envelope) =>
        this.hub.deliver(envelope),
      );
      await this.bus.start();
    }
    this.accepting = true;
    this.heartbeat = setInterval(() => void this.beat(), config.channels.heartbeatMs);
    this.heartbeat.unref();
    this.renewal = setInterval(() => void this.renew(), NODE_RENEW_MS);
    this.renewal.unref();
  }

  /** Closes every socket (1001, going away) so clients reconnect to another node, and leaves the cluster. */
  async stop(): Promise<void> {
    this.accepting = false;
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.renewal);
    for (const connection of this.connections) connection.close(CLOSE.goingAway, "server shutting down");
    this.connections.clear();
    await removeNode(this.deps.db, this.nodeId).catch((error: unknown) => {
      this.deps.log.warn(
        { error: (error as Error).message },
        "realtime: could not remove this node's members",
      );
    });
    await this.bus?.stop();
    this.wss.close();
  }

  publish(envelope: Envelope): void {
    this.hub.deliver(envelope);
    this.bus?.publish(envelope);
  }

  /** How many sockets this node holds. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Resolves when the record changes published so far reached this node's feeds. */
  settled(): Promise<void> {
    return this.hub.settled();
  }

  async joined(connection: Connection, channel: string, rule: ChannelRule, ack?: () => void): Promise<void> {
    const user = memberUserOf(connection.principal);
    await addMember(this.deps.db, this.nodeId, { connectionId: connection.id, channel, user }, new Date());
    if (connection.closed) {
      await removeMember(this.deps.db, connection.id, channel);
      return;
    }
    // Member from here on: the `joined` answer goes out before any message of the channel can.
    connection.channels.set(channel, rule);
    this.hub.join(channel, connection);
    ack?.();
    if (rule.presence && user && (await connectionsOf(this.deps.db, channel, user.id, new Date())) === 1) {
      this.publish({ kind: "presence", channel, op: "join", user, connection: connection.id });
    }
  }

  async left(connection: Connection, channel: string): Promise<void> {
    const rule = connection.channels.get(channel);
    connection.channels.delete(channel);
    this.hub.leave(channel, connection);
    await removeMember(this.deps.db, connection.id, channel);
    const user = memberUserOf(connection.principal);
    if (rule?.presence && user && (await connectionsOf(this.deps.db, channel, user.id, new Date())) === 0) {
      this.publish({ kind: "presence", channel, op: "leave", user });
    }
  }

  members(channel: string): Promise<MemberUser[]> {
    return membersOf(this.deps.db, channel, new Date());
  }

  addFeed(feed: Feed): void {
    this.hub.addFeed(feed);
  }

  removeFeed(feed: Feed): void {
    this.hub.removeFeed(feed);
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname !== REALTIME_PATH) {
      refuse(
        socket,
        404,
        "not_found",
        `No WebSocket endpoint at ${url.pathname}: connect to ${REALTIME_PATH}`,
      );
      return;
    }
    if (!this.accepting) {
      refuse(socket, 503, "unavailable", "This node is not accepting connections: try another or retry");
      return;
    }
    if (this.connections.size >= this.deps.config.channels.maxConnections) {
      refuse(
        socket,
        503,
        "unavailable",
        "This node holds as many sockets as it may (channels.maxConnections): retry later or elsewhere",
      );
      return;
    }
    const token = url.searchParams.get("token") ?? undefined;
    let principal: Principal = anonymous;
    try {
      principal = await authenticate(
        this.deps,
        token !== undefined ? `Bearer ${token}` : request.headers.authorization,
      );
    } catch (error) {
      const appError = error instanceof AppError ? error : undefined;
      refuse(
        socket,
        appError?.status ?? 500,
        appError?.code ?? "internal",
        appError?.message ?? "Could not check the token",
      );
      return;
    }
    const tokenValue = token ?? /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? "")?.[1];
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      if (!this.accepting) {
        ws.close(CLOSE.goingAway, "server shutting down");
        return;
      }
      const tokenHash = principal.kind === "user" && tokenValue ? digest(tokenValue) : undefined;
      const connection = new Connection(ws, this, principal, tokenHash);
      this.connections.add(connection);
      ws.on("error", () => {});
      ws.on("close", () => {
        connection.closed = true;
        this.connections.delete(connection);
        void connection.enqueue(() => this.disconnected(connection));
      });
    });
  }

  private async disconnected(connection: Connection): Promise<void> {
    for (const feed of connection.feeds.values()) this.hub.removeFeed(feed);
    connection.feeds.clear();
    if (this.stopped) {
      // The node is leaving: its rows go with it (removeNode), and the database may be closing.
      for (const channel of connection.channels.keys()) this.hub.leave(channel, connection);
      connection.channels.clear();
      return;
    }
    for (const channel of [...connection.channels.keys()]) {
      await this.left(connection, channel).catch((error: unknown) => {
        this.deps.log.warn(
          { error: (error as Error).message, channel },
          "realtime: could not record a departure",
        );
      });
    }
  }

  private async beat(): Promise<void> {
    const now = Date.now();
    const { idleMs } = this.deps.config.channels;
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.terminate();
        continue;
      }
      if (
        connection.channels.size === 0 &&
        connection.feeds.size === 0 &&
        now - connection.lastActive > idleMs
      ) {
        connection.close(CLOSE.goingAway, "idle: in no channel and no record feed");
        continue;
      }
      connection.alive = false;
      connection.pingSocket();
    }
    await this.checkSessions().catch((error: unknown) => {
      this.deps.log.warn({ error: (error as Error).message }, "realtime: could not re-check sessions");
    });
  }

  /** Sockets whose session ended (logout, expiry, user deleted) are closed; role changes are picked up. */
  async checkSessions(): Promise<void> {
    const byHash = new Map<string, Connection[]>();
    for (const connection of this.connections) {
      if (!connection.tokenHash || connection.closed) continue;
      const list = byHash.get(connection.tokenHash) ?? [];
      list.push(connection);
      byHash.set(connection.tokenHash, list);
    }
    const hashes = [...byHash.keys()];
    const now = this.deps.clock.now().toISOString();
    for (let i = 0; i < hashes.length; i += SESSION_BATCH) {
      const batch = hashes.slice(i, i + SESSION_BATCH);
      const rows = await this.deps.db
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select(["sessions.token_hash", "users.id", "users.email", "users.role"])
        .where("sessions.token_hash", "in", batch)
        .where("sessions.expires_at", ">", now)
        .execute();
      const live = new Map(rows.map((r) => [r.token_hash, r]));
      for (const hash of batch) {
        const row = live.get(hash);
        for (const connection of byHash.get(hash)!) {
          if (!row) {
            connection.error("session_ended", "Your session ended (logged out or expired): sign in again");
            connection.close(CLOSE.sessionEnded, "session ended");
          } else if (connection.principal.kind === "user") {
            connection.principal = { kind: "user", user: { id: row.id, email: row.email, role: row.role } };
          }
        }
      }
    }
  }

  private async renew(): Promise<void> {
    try {
      await renewNode(this.deps.db, this.nodeId, new Date(), this.startedAt);
      await this.prune();
    } catch (error) {
      this.deps.log.warn(
        { error: (error as Error).message },
        "realtime: could not renew this node's presence",
      );
    }
  }

  /** Drops what dead nodes left behind, and tells their channels who is gone. */
  private async prune(): Promise<void> {
    const removed = await pruneDeadNodes(this.deps.db, new Date());
    const seen = new Set<string>();
    for (const member of removed) {
      if (!member.user) continue;
      const key = `${member.channel}\u0000${member.user.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if ((await connectionsOf(this.deps.db, member.channel, member.user.id, new Date())) === 0) {
        this.publish({ kind: "presence", channel: member.channel, op: "leave", user: member.user });
      }
    }
  }
}

/** Answers an upgrade request with an HTTP error and closes the socket. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = { 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable" }[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
