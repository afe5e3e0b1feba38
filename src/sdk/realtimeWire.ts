// The wire of GET /realtime as the SDK sees it: the WebSocket it needs, the frames, the error codes
// and their HTTP statuses, and the address of the endpoint. Shared by the socket (./realtime.ts),
// channels and record feeds.
import { BackendError } from "./errors.js";
import type { RealtimeStatus } from "./types.js";

/** Method syntax makes the event parameter bivariant, so `ws`'s and the browser's sockets both fit. */
type Listener<E> = { bivarianceHack(event: E): void }["bivarianceHack"];

/** The part of a WebSocket the SDK uses: the browser's, or `ws`'s in Node. */
export interface WebSocketLike {
  onopen: Listener<unknown> | null;
  onmessage: Listener<{ data: unknown }> | null;
  onclose: Listener<{ code: number; reason: string }> | null;
  onerror: Listener<unknown> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `import WebSocket from "ws"` in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ReconnectOptions {
  /** The first delay, in ms (default 100); each failed try doubles it, with jitter. */
  minMs?: number;
  /** The longest delay, in ms (default 5000). */
  maxMs?: number;
}

/** A frame the client sends; `ref` is added per request. */
export type ClientFrame =
  | { type: "join" | "leave" | "presence"; channel: string }
  | { type: "send"; channel: string; message: unknown }
  | { type: "subscribe"; collection: string; id?: string; filter?: object }
  | { type: "unsubscribe"; subscription: string };

/** A frame from the server; its readers know the fields of the types they handle. */
export interface ServerFrame {
  type: string;
  ref?: string | number;
  [field: string]: unknown;
}

/** A part of the SDK that holds something on the socket: channels, record feeds. */
export interface Participant {
  /** Whether it holds something a reconnect must restore. */
  holding(): boolean;
  /** On each new connection, before waiting requests go out: re-join, re-subscribe. */
  restore(): void;
  /** A frame the server pushed (message, member_joined, member_left, change). */
  receive(frame: ServerFrame): void;
  /** After disconnect(): forget everything. */
  reset(): void;
}

export interface RequestOptions {
  /** Send it again on the next connection if this one drops before the answer (not for `send`). */
  resend: boolean;
  /** Called with the answer before the promise resolves: frames right behind it see its effect. */
  onAnswer?: (answer: ServerFrame) => void;
}

/** client.realtime: the state of the socket behind channels and record feeds. */
export interface RealtimeApi {
  readonly status: RealtimeStatus;
  /** Calls `listener` on each status change; returns a function that stops it. */
  onStatus(listener: (status: RealtimeStatus) => void): () => void;
  /** Errors no promise carries: a channel that could not be re-joined, a session that ended... */
  onError(listener: (error: BackendError) => void): () => void;
  /** Closes the socket, stops reconnecting and forgets every channel and record feed. */
  disconnect(): void;
}

export interface RealtimeOptions {
  /** The ws:// or wss:// address of /realtime. */
  url: string;
  token(): string | null;
  WebSocket: WebSocketConstructor | undefined;
  reconnect: ReconnectOptions | false | undefined;
  timeoutMs: number;
  heartbeatMs: number;
  /** After a connect failed before opening: does the HTTP API refuse the token? (Browsers hide the 401.) */
  tokenRefused(): Promise<boolean>;
}

export const SESSION_ENDED = 4401;
export const POLICY = 1008;

/** The HTTP status each error code of the socket stands for, as the HTTP API would answer it. */
const STATUS_OF: { [code: string]: number } = {
  bad_frame: 400,
  invalid_input: 400,
  unauthorized: 401,
  session_ended: 401,
  forbidden: 403,
  blocked: 403,
  not_found: 404,
  not_joined: 409,
  payload_too_large: 413,
  rate_limited: 429,
  limit_reached: 429,
  internal: 500,
};

/** Calls each listener; one that throws does not stop the others, and its error still surfaces. */
export function notify<V>(listeners: Iterable<(value: V) => void>, value: V): void {
  for (const listener of [...listeners]) {
    try {
      listener(value);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** An error frame as the SDK's error; `details.channel` names the channel it is about. */
export function errorOf(frame: ServerFrame): BackendError {
  const code = typeof frame.code === "string" ? frame.code : "internal";
  const message = typeof frame.message === "string" ? frame.message : "The server refused the frame";
  const details = typeof frame.channel === "string" ? { channel: frame.channel } : undefined;
  return new BackendError(STATUS_OF[code] ?? 400, code, message, details);
}

/** GET /realtime on the server at `url` (http -> ws, https -> wss; a path prefix is kept). */
export function realtimeUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === "https:" ? "wss:" : "ws:";
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/realtime`;
  parsed.search = "";
  parsed.hash = "";
  return parsed.toString();
}
