// One client's WebSocket: its identity (from ?token= or an auth frame, never from a frame's fields),
// the channels it joined and the record feeds it holds, its rate limit, and the handling of its
// frames, one after another so that a send after a join sees the join.
import type { RawData, WebSocket } from "ws";
import { authenticate } from "../auth/authenticate.js";
import { adminKey, isAdmin, type Principal } from "../auth/principal.js";
import {
  AppError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from "../core/errors.js";
import { digest, newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import { parseFilter } from "../query/filter.js";
import { readScope } from "../records/access.js";
import { checkCollectionName } from "../records/collection.js";
import { getReadRule } from "../records/readRule.js";
import type { ChannelRule } from "./channelRules.js";
import { checkChannelName } from "./channelName.js";
import { type ClientFrame, CLOSE, clientFrame, type Ref, type ServerFrame } from "./frames.js";
import type { Feed, Member } from "./hub.js";
import { authorizeJoin } from "./joinChannel.js";
import { memberUserOf } from "./memberUser.js";
import { sendMessage } from "./sendMessage.js";
import { TokenBucket } from "./tokenBucket.js";

/** Frames waiting behind a slow one (a PRE handler) before more are refused. */
const MAX_QUEUED = 64;
/** A client whose unread output passes this is too slow to keep. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** What a connection asks of the node that holds it. */
export interface ConnectionHost {
  deps: Deps;
  /** Makes `connection` a member; `ack` runs the moment it is one, before any message can reach it. */
  joined(connection: Connection, channel: string, rule: ChannelRule, ack?: () => void): Promise<void>;
  left(connection: Connection, channel: string): Promise<void>;
  members(channel: string): Promise<{ id: string; email: string }[]>;
  addFeed(feed: Feed): void;
  removeFeed(feed: Feed): void;
}

export class Connection implements Member {
  readonly id = newId();
  readonly channels = new Map<string, ChannelRule>();
  readonly feeds = new Map<string, Feed>();
  /** Answered a ping since the last heartbeat. */
  alive = true;
  lastActive: number;
  closed = false;
  private readonly bucket: TokenBucket;
  private strikes = 0;
  private queued = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ws: WebSocket,
    private readonly host: ConnectionHost,
    public principal: Principal,
    /** The digest of the session token, for re-checking the session; undefined for the admin key and anonymous. */
    public tokenHash: string | undefined,
  ) {
    const { channels } = host.deps.config;
    this.lastActive = Date.now();
    this.bucket = new TokenBucket(channels.framesPerSecond, channels.burstFrames, this.lastActive);
    ws.on("pong", () => {
      this.alive = true;
    });
    ws.on("message", (data, isBinary) => this.onFrame(data, isBinary));
    this.send({ type: "connected", connection: this.id, user: memberUserOf(principal) });
  }

  sendText(text: string | Buffer): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CLOSE.tryAgainLater, "too slow: reading messages slower than they arrive");
      return;
    }
    this.ws.send(text, { binary: false });
  }

  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  error(code: string, message: string, ref?: Ref, channel?: string): void {
    this.send({
      type: "error",
      code,
      message,
      ...(ref !== undefined ? { ref } : {}),
      ...(channel !== undefined ? { channel } : {}),
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(code, reason.slice(0, 120));
  }

  pingSocket(): void {
    this.ws.ping();
  }

  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  /** Runs `work` after the frames before it; used for the frames and for leaving on close. */
  enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work);
    return this.queue;
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const now = Date.now();
    this.lastActive = now;
    const { maxFrameBytes, floodLimit } = this.host.deps.config.channels;
    const bytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    if (bytes > maxFrameBytes) {
      this.error("payload_too_large", `Frames are limited to ${maxFrameBytes} bytes; this one had ${bytes}`);
      this.close(CLOSE.tooBig, "frame too large");
      return;
    }
    if (!this.bucket.take(now) || this.queued >= MAX_QUEUED) {
      this.strikes++;
      if (this.strikes >= floodLimit) {
        this.error("rate_limited", "Too many frames: closing the connection");
        this.close(CLOSE.policy, "flooding");
        return;
      }
      this.error("rate_limited", "Too many frames: this one was dropped; slow down", refOf(data, isBinary));
      return;
    }
    this.strikes = 0;
    if (isBinary) {
      this.error("bad_frame", "Frames must be JSON text, not binary");
      return;
    }
    const parsed = parseFrame(
      Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(data as Buffer[]).toString("utf8"),
    );
    if ("problem" in parsed) {
      this.error("bad_frame", parsed.problem, parsed.ref);
      return;
    }
    const frame = parsed.frame;
    this.queued++;
    void this.enqueue(async () => {
      try {
        if (!this.closed) await this.handle(frame);
      } catch (error) {
        this.fail(error, frame);
      } finally {
        this.queued--;
      }
    });
  }

  private async handle(frame: ClientFrame): Promise<void> {
    const { deps } = this.host;
    switch (frame.type) {
      case "ping":
        this.send({ type: "pong", ...ref(frame) });
        return;
      case "auth": {
        const principal = await authenticate(deps, `Bearer ${frame.token}`);
        const holding = this.channels.size > 0 || this.feeds.size > 0;
        if (holding && this.principal.kind !== "anonymous" && !samePrincipal(principal, this.principal)) {
          throw new ValidationError("Leave your channels and record feeds before signing in as someone else");
        }
        // A listener who signs in stays in its (public) channels, now as that user.
        const rejoin = this.principal.kind === "anonymous" ? [...this.channels] : [];
        for (const [channel] of rejoin) await this.host.left(this, channel);
        this.principal = principal;
        for (const [channel, rule] of rejoin) await this.host.joined(this, channel, rule);
        this.tokenHash = principal === adminKey ? undefined : digest(frame.token);
        this.send({ type: "authenticated", user: memberUserOf(principal), ...ref(frame) });
        return;
      }
      case "join": {
        const channel = checkChannelName(frame.channel);
        if (!this.channels.has(channel)) {
          if (this.channels.size >= deps.config.channels.maxChannelsPerConnection) {
            throw new LimitError(
              `A connection joins at most ${deps.config.channels.maxChannelsPerConnection} channels (channels.maxChannelsPerConnection)`,
            );
          }
          const rule = await authorizeJoin(deps, this.principal, channel);
          if (this.closed) return;
          await this.host.joined(this, channel, rule, () =>
            this.send({ type: "joined", channel, presence: rule.presence, ...ref(frame) }),
          );
          return;
        }
        this.send({ type: "joined", channel, presence: this.channels.get(channel)!.presence, ...ref(frame) });
        return;
      }
      case "leave": {
        const channel = checkChannelName(frame.channel);
        if (this.channels.has(channel)) await this.host.left(this, channel);
        this.send({ type: "left", channel, ...ref(frame) });
        return;
      }
      case "send": {
        const channel = checkChannelName(frame.channel);
        if (this.principal.kind === "anonymous") {
          throw new UnauthorizedError("Sign in to send messages: send an auth frame or connect with ?token=");
        }
        if (!this.channels.has(channel)) throw new NotJoinedError(channel);
        const sent = await sendMessage(
          deps,
          { principal: this.principal, cause: { kind: "connection", id: this.id } },
          channel,
          frame.message,
        );
        if (frame.ref !== undefined) this.send({ type: "sent", channel, id: sent.id, ref: frame.ref });
        return;
      }
      case "presence": {
        const channel = checkChannelName(frame.channel);
        const rule = this.channels.get(channel);
        if (!isAdmin(this.principal)) {
          if (!rule) throw new NotJoinedError(channel);
          if (!rule.presence)
            throw new ForbiddenError(`Presence is off for '${channel}': a channel rule turns it on`);
        }
        const members = await this.host.members(channel);
        this.send({ type: "presence", channel, members, ...ref(frame) });
        return;
      }
      case "subscribe": {
        const collection = checkCollectionName(frame.collection);
        const filter = frame.filter === undefined ? undefined : parseFilter(frame.filter);
        // Fails for a caller who may read none of it; otherwise each change is checked as it comes.
        readScope(this.principal, await getReadRule(deps.db, collection));
        if (this.feeds.size >= deps.config.channels.maxSubscriptionsPerConnection) {
          throw new LimitError(
            `A connection holds at most ${deps.config.channels.maxSubscriptionsPerConnection} record feeds (channels.maxSubscriptionsPerConnection)`,
          );
        }
        const feed: Feed = { id: newId(), member: this, collection, recordId: frame.id, filter };
        this.feeds.set(feed.id, feed);
        this.host.addFeed(feed);
        this.send({ type: "subscribed", subscription: feed.id, collection, ...ref(frame) });
        return;
      }
      case "unsubscribe": {
        const feed = this.feeds.get(frame.subscription);
        if (!feed)
          throw new NotFoundError(`No record feed '${frame.subscription.slice(0, 60)}' on this connection`);
        this.feeds.delete(feed.id);
        this.host.removeFeed(feed);
        this.send({ type: "unsubscribed", subscription: feed.id, ...ref(frame) });
        return;
      }
    }
  }

  private fail(error: unknown, frame: ClientFrame): void {
    const channel = "channel" in frame && typeof frame.channel === "string" ? frame.channel : undefined;
    if (error instanceof AppError) {
      this.error(error.code, error.message, frame.ref, channel);
      return;
    }
    this.host.deps.log.error(
      { err: error, frame: frame.type, connection: this.id },
      "a realtime frame failed",
    );
    this.error("internal", "The server could not handle this frame", frame.ref, channel);
  }
}

class NotJoinedError extends AppError {
  constructor(channel: string) {
    super(
      409,
      "not_joined",
      `Join '${channel}' before this: send { "type": "join", "channel": "${channel}" }`,
    );
  }
}

class LimitError extends AppError {
  constructor(message: string) {
    super(429, "limit_reached", message);
  }
}

function ref(frame: { ref?: Ref }): { ref?: Ref } {
  return frame.ref === undefined ? {} : { ref: frame.ref };
}

function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind !== "user" || (b.kind === "user" && a.user.id === b.user.id);
}

/** The `ref` of a frame that is refused unread (rate limit), so the client knows which one it was. */
function refOf(data: RawData, isBinary: boolean): Ref {
  if (isBinary) return undefined;
  const parsed = parseFrame(
    Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.concat(data as Buffer[]).toString("utf8"),
  );
  if ("frame" in parsed) return parsed.frame.ref;
  return parsed.ref;
}

const NOT_AN_OBJECT = 'Frames must be JSON objects with a type, e.g. { "type": "join", "channel": "lobby" }';

/** The frame, or what is wrong with it (with its ref, when it has a usable one). */
function parseFrame(text: string): { frame: ClientFrame } | { problem: string; ref?: Ref } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: NOT_AN_OBJECT };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: NOT_AN_OBJECT };
  const parsed = clientFrame.safeParse(value);
  if (parsed.success) return { frame: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
  const raw = (value as { ref?: unknown }).ref;
  const usable = (typeof raw === "string" && raw.length <= 100) || typeof raw === "number";
  return { problem: `${issue.message}${where}`, ...(usable ? { ref: raw as Ref } : {}) };
}
