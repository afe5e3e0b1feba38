// createClient: one object per server and signed-in user, holding the token that register and
// login return. Create one per user session in a browser; on a server, one per request or one with
// the admin key. Channels and record feeds share one WebSocket, opened on first use; a new token
// reconnects it as the new user.
import { type AdminApi, adminApi } from "./admin/index.js";
import { type AuthApi, authApi } from "./auth.js";
import { type ChannelsApi, channelsApi } from "./channels.js";
import { BackendError } from "./errors.js";
import { type EventsApi, eventsApi } from "./events.js";
import { type FunctionsApi, functionsApi } from "./functions.js";
import { DEFAULT_TIMEOUT_MS, type FetchLike, Transport } from "./http.js";
import {
  type RealtimeApi,
  RealtimeSocket,
  realtimeUrlOf,
  type ReconnectOptions,
  type WebSocketConstructor,
} from "./realtime.js";
import { type RecordsApi, recordsApi } from "./records.js";
import { type SchedulesApi, schedulesApi } from "./schedules.js";

/** How often the realtime socket pings by default: within twice this, a dead link is noticed. */
const HEARTBEAT_MS = 25_000;

export interface ClientOptions {
  /** Where the server is, e.g. "http://localhost:8787" (a path prefix behind a proxy is kept). */
  url: string;
  /** A user token (from register/login, e.g. kept in localStorage) or, server-side only, the admin key. */
  token?: string | null;
  /** A fetch to use instead of the global one. */
  fetch?: FetchLike;
  /** Milliseconds before a request fails with code "timeout"; 0 waits forever. Default 30000. */
  timeoutMs?: number;
  /** Called whenever the token changes (register, login, logout, setToken), e.g. to persist it. */
  onTokenChange?: (token: string | null) => void;
  /** A WebSocket class, where there is no global one (Node 20: `import WebSocket from "ws"`). */
  WebSocket?: WebSocketConstructor;
  /** Where the realtime socket connects; default: `url` with ws:// or wss:// and /realtime. */
  realtimeUrl?: string;
  /** Delays between reconnects of the realtime socket (default 100 ms doubling to 5 s); false: none. */
  reconnect?: ReconnectOptions | false;
  /** How often the realtime socket pings, in ms; a link silent for this long is dropped. Default 25000; 0: never. */
  heartbeatMs?: number;
}

export interface BackendClient {
  readonly auth: AuthApi;
  readonly records: RecordsApi;
  readonly functions: FunctionsApi;
  /** The same as `functions.invoke(name, payload)`. */
  readonly executeFunction: FunctionsApi["invoke"];
  readonly events: EventsApi;
  /** The same as `events.publish(type, data)`. */
  readonly publishEvent: EventsApi["publish"];
  /** Schedules and one-off runs (admins only). */
  readonly schedules: SchedulesApi;
  /** Realtime channels: join, send, presence. */
  readonly channels: ChannelsApi;
  /**
   * The platform's admin calls: functions, executions, logs, traces, events, deliveries, emails,
   * secrets, users, collections, channels. Needs the admin key or an admin user's token (others:
   * BackendError 403).
   */
  readonly admin: AdminApi;
  /** The WebSocket behind channels and record feeds: its status, its errors, and disconnect. */
  readonly realtime: RealtimeApi;
  /** The bearer token sent with each request, or null when signed out. */
  readonly token: string | null;
  /** Uses another token from now on (null: anonymous). */
  setToken(token: string | null): void;
}

export function createClient(options: ClientOptions): BackendClient {
  const http: Transport = new Transport({
    ...options,
    onTokenChange(token) {
      socket.tokenChanged();
      options.onTokenChange?.(token);
    },
  });
  const socket = new RealtimeSocket({
    url: options.realtimeUrl?.replace(/^http/, "ws") ?? realtimeUrlOf(options.url),
    token: () => http.token,
    WebSocket: options.WebSocket,
    reconnect: options.reconnect,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    async tokenRefused() {
      try {
        await http.request("GET", "/api/auth/me");
        return false;
      } catch (error) {
        return error instanceof BackendError && error.status === 401;
      }
    },
  });
  const functions = functionsApi(http);
  const events = eventsApi(http);
  return {
    auth: authApi(http),
    records: recordsApi(http, socket),
    functions,
    executeFunction: functions.invoke,
    events,
    publishEvent: events.publish,
    schedules: schedulesApi(http),
    channels: channelsApi(socket),
    admin: adminApi(http),
    // Only the public part: the socket's requests belong to channels and records.
    realtime: {
      get status() {
        return socket.status;
      },
      onStatus: (listener) => socket.onStatus(listener),
      onError: (listener) => socket.onError(listener),
      disconnect: () => socket.disconnect(),
    },
    get token() {
      return http.token;
    },
    setToken(token) {
      http.setToken(token);
    },
  };
}
