// The one WebSocket a client keeps to GET /realtime, shared by channels and record feeds. It opens on
// first use with the token in `?token=`, matches answers to requests by `ref`, hands pushed frames to
// the channels and feeds, and notices a dead link with `ping` frames. After any close but
// `disconnect()` it reconnects with exponential backoff and jitter, lets the channels and feeds
// restore themselves (re-join, re-subscribe), then sends the requests that waited. Closes that mean
// "not with this token" (4401 session ended, 1008 flooding, a token refused at connect) stop it
// instead of looping: a new token (setToken, login) or a new request starts it again.
import { BackendError } from "./errors.js";
import type { RealtimeStatus } from "./types.js";
import {
  type ClientFrame,
  errorOf,
  notify,
  type Participant,
  POLICY,
  type RealtimeApi,
  type RealtimeOptions,
  type RequestOptions,
  type ServerFrame,
  SESSION_ENDED,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./realtimeWire.js";

export {
  type ClientFrame,
  notify,
  type Participant,
  type RealtimeApi,
  type RealtimeOptions,
  realtimeUrlOf,
  type ReconnectOptions,
  type RequestOptions,
  type ServerFrame,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./realtimeWire.js";

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
