// The one WebSocket a client keeps to GET /realtime, shared by channels and record feeds. It opens on
// first use with the token in `?token=`, matches answers to requests by `ref`, hands pushed frames to
// the channels and feeds, and notices a dead link with `ping` frames. After any close but
// `disconnect()` it reconnects with exponential backoff and jitter, lets the channels and feeds
// restore themselves (re-join, re-subscribe), then sends the requests that waited. Closes that mean
// "not with this token" (4401 session ended, 1008 flooding, a token refused at connect) stop it
// instead of looping: a new token (setToken, login) or a new request starts it again.
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

const SESSION_ENDED = 4401;
const POLICY = 1008;

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

interface Pending {
  type: string;
  text: string;
  resend: boolean;
  /** Went out on the current socket. */
  sent: boolean;
  onAnswer: ((answer: ServerFrame) => void) | undefined;
  resolve(answer: ServerFrame): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class RealtimeSocket implements RealtimeApi {
  readonly #options: RealtimeOptions;
  readonly #participants: Participant[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #statusListeners = new Set<(status: RealtimeStatus) => void>();
  readonly #errorListeners = new Set<(error: BackendError) => void>();
  #status: RealtimeStatus = "closed";
  #socket: WebSocketLike | undefined;
  /** The current socket said `connected`. */
  #open = false;
  /** Failed tries in a row, for the backoff. */
  #attempt = 0;
  /** A reconnect is waiting (its delay, or the token check before it). */
  #waiting = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** A frame arrived since the last heartbeat. */
  #heard = true;
  #nextRef = 0;
  /** Bumped when a token check's answer no longer matters (disconnect, new token). */
  #generation = 0;

  constructor(options: RealtimeOptions) {
    this.#options = options;
  }

  get status(): RealtimeStatus {
    return this.#status;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  participate(participant: Participant): void {
    this.#participants.push(participant);
  }

  onStatus(listener: (status: RealtimeStatus) => void): () => void {
    const own = (status: RealtimeStatus) => listener(status);
    this.#statusListeners.add(own);
    return () => void this.#statusListeners.delete(own);
  }

  onError(listener: (error: BackendError) => void): () => void {
    const own = (error: BackendError) => listener(error);
    this.#errorListeners.add(own);
    return () => void this.#errorListeners.delete(own);
  }

  report(error: BackendError): void {
    notify(this.#errorListeners, error);
  }

  /** Sends `frame` (now, or once the socket is open) and resolves with its answer; an error frame rejects. */
  request<A extends ServerFrame = ServerFrame>(frame: ClientFrame, options: RequestOptions): Promise<A> {
    const ref = ++this.#nextRef;
    return new Promise<A>((resolve, reject) => {
      const pending: Pending = {
        type: frame.type,
        // Stringified now, so a message that is not JSON fails here and not on the wire.
        text: JSON.stringify({ ...frame, ref }),
        resend: options.resend,
        sent: false,
        onAnswer: options.onAnswer,
        resolve: resolve as (answer: ServerFrame) => void,
        reject,
        timer: undefined,
      };
      const { timeoutMs } = this.#options;
      if (timeoutMs > 0) {
        pending.timer = setTimeout(() => {
          this.#pending.delete(ref);
          reject(
            new BackendError(
              0,
              "timeout",
              `No answer to the realtime '${frame.type}' within ${timeoutMs} ms (the connection is ${this.#status})`,
            ),
          );
        }, timeoutMs);
      }
      this.#pending.set(ref, pending);
      if (this.#open) this.#transmit(pending);
      else if (!this.#socket && !this.#waiting) this.#connect();
    });
  }

  /** A new token: the server ties a socket to one identity, so reconnect with it now. */
  tokenChanged(): void {
    if (!this.#socket && !this.#waiting && !this.#wanted()) return;
    this.#cancelRetry();
    this.#detach();
    this.#requeue();
    this.#attempt = 0;
    if (this.#wanted()) this.#connect();
    else this.#setStatus("closed");
  }

  disconnect(): void {
    this.#cancelRetry();
    this.#detach(1000);
    this.#rejectAll(
      new BackendError(0, "disconnected", "client.realtime.disconnect() closed the connection"),
    );
    for (const participant of this.#participants) participant.reset();
    this.#attempt = 0;
    this.#setStatus("closed");
  }

  #connect(): void {
    const Socket = this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      this.#stop(
        new TypeError(
          "createClient: there is no global WebSocket here for channels and record feeds: pass a WebSocket class, e.g. the ws package's (Node 20): createClient({ url, WebSocket })",
        ),
      );
      return;
    }
    let socket: WebSocketLike;
    try {
      const url = new URL(this.#options.url);
      const token = this.#options.token();
      if (token) url.searchParams.set("token", token);
      socket = new Socket(url.toString());
    } catch (error) {
      this.#stop(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.#socket = socket;
    this.#setStatus("connecting");
    socket.onopen = () => {};
    // A failed connect or a broken link is followed by a close, which decides what to do.
    socket.onerror = () => {};
    socket.onmessage = (event) => {
      if (this.#socket === socket) this.#onMessage(event.data);
    };
    socket.onclose = (event) => {
      if (this.#socket === socket) this.#onClose(event.code, event.reason);
    };
    this.#startHeartbeat();
  }

  /** Every heartbeat pings; a link that brought no frame since the last one is dead (a connect too slow as well). */
  #startHeartbeat(): void {
    const { heartbeatMs } = this.#options;
    if (heartbeatMs <= 0) return;
    this.#heard = true;
    this.#heartbeat = setInterval(() => {
      if (!this.#heard) {
        this.#onClose(1006, `nothing heard for ${heartbeatMs} ms`);
        return;
      }
      this.#heard = false;
      if (this.#open) this.#socket?.send(JSON.stringify({ type: "ping" }));
    }, heartbeatMs);
  }

  #onMessage(data: unknown): void {
    if (typeof data !== "string") return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (typeof frame !== "object" || frame === null) return;
    this.#heard = true;
    if (frame.type === "connected") {
      this.#onConnected();
      return;
    }
    if (frame.ref !== undefined) {
      const pending = typeof frame.ref === "number" ? this.#pending.get(frame.ref) : undefined;
      if (!pending) return;
      this.#pending.delete(frame.ref as number);
      clearTimeout(pending.timer);
      if (frame.type === "error") {
        pending.reject(errorOf(frame));
      } else {
        pending.onAnswer?.(frame);
        pending.resolve(frame);
      }
      return;
    }
    if (frame.type === "error") {
      // The 4401 close right behind it reports the session's end.
      if (frame.code !== "session_ended") this.report(errorOf(frame));
      return;
    }
    if (frame.type === "pong") return;
    for (const participant of this.#participants) participant.receive(frame);
  }

  #onConnected(): void {
    this.#open = true;
    this.#attempt = 0;
    // Restores go first: the server handles a socket's frames in order, so a waiting send into a
    // channel follows its re-join.
    for (const participant of this.#participants) participant.restore();
    for (const pending of this.#pending.values()) if (!pending.sent) this.#transmit(pending);
    this.#setStatus("open");
  }

  #onClose(code: number, reason: string): void {
    const wasOpen = this.#open;
    this.#detach();
    this.#requeue();
    const why = `${code}${reason ? `: ${reason}` : ""}`;
    if (code === SESSION_ENDED) {
      this.#stop(new BackendError(401, "session_ended", `The session ended (${why}): sign in again`));
    } else if (code === POLICY) {
      this.#stop(new BackendError(429, "rate_limited", `The server closed the connection (${why})`));
    } else if (!this.#wanted()) {
      this.#setStatus("closed");
    } else if (this.#options.reconnect === false) {
      this.#stop(new BackendError(0, "network_error", `The realtime connection closed (${why})`));
    } else if (!wasOpen && this.#options.token()) {
      this.#checkTokenThenRetry();
    } else {
      this.#scheduleRetry();
    }
  }

  #checkTokenThenRetry(): void {
    this.#waiting = true;
    this.#setStatus("connecting");
    const generation = this.#generation;
    void this.#options
      .tokenRefused()
      .catch(() => false)
      .then((refused) => {
        if (generation !== this.#generation) return;
        this.#waiting = false;
        if (!refused) this.#scheduleRetry();
        else
          this.#stop(
            new BackendError(
              401,
              "unauthorized",
              "The server refused the token for the realtime connection: sign in again",
            ),
          );
      });
  }

  #scheduleRetry(): void {
    const { minMs = 100, maxMs = 5000 } = this.#options.reconnect || {};
    const ceiling = Math.min(maxMs, minMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    // Half fixed, half random: clients dropped together (a node going away) come back spread out.
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.#waiting = true;
    this.#setStatus("connecting");
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#waiting = false;
      this.#connect();
    }, delay);
  }

  #cancelRetry(): void {
    this.#generation++;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#waiting = false;
  }

  /** Stops trying until a new request or a new token: every waiting request fails with `error`. */
  #stop(error: Error): void {
    this.#cancelRetry();
    this.#detach();
    this.#rejectAll(error);
    this.#attempt = 0;
    this.#setStatus("closed");
    if (error instanceof BackendError) this.report(error);
  }

  /** Lets go of the current socket: later events of it are ignored. */
  #detach(code?: number): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#open = false;
    const socket = this.#socket;
    if (!socket) return;
    this.#socket = undefined;
    const ignore = () => {};
    socket.onopen = ignore;
    socket.onmessage = ignore;
    socket.onclose = ignore;
    // Kept as a listener: `ws` throws an error event nobody listens to (closing while connecting).
    socket.onerror = ignore;
    try {
      socket.close(code);
    } catch {
      // Already closed.
    }
  }

  /** After a socket is gone: what may go again waits for the next one; a `send` cannot know, so it fails. */
  #requeue(): void {
    for (const [ref, pending] of this.#pending) {
      if (!pending.sent) continue;
      pending.sent = false;
      if (pending.resend) continue;
      this.#pending.delete(ref);
      clearTimeout(pending.timer);
      pending.reject(
        new BackendError(
          0,
          "network_error",
          `The realtime connection closed before the server answered '${pending.type}': it may or may not have been done`,
        ),
      );
    }
  }

  #rejectAll(error: Error): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }

  #transmit(pending: Pending): void {
    pending.sent = true;
    this.#socket?.send(pending.text);
  }

  #wanted(): boolean {
    return this.#pending.size > 0 || this.#participants.some((participant) => participant.holding());
  }

  #setStatus(status: RealtimeStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    notify(this.#statusListeners, status);
  }
}

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
function errorOf(frame: ServerFrame): BackendError {
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
