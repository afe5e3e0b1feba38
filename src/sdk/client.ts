// createClient: one object per server and signed-in user, holding the token that register and
// login return. Create one per user session in a browser; on a server, one per request or one with
// the admin key.
import { type AuthApi, authApi } from "./auth.js";
import { type EventsApi, eventsApi } from "./events.js";
import { type FunctionsApi, functionsApi } from "./functions.js";
import { type FetchLike, Transport } from "./http.js";
import { type RecordsApi, recordsApi } from "./records.js";
import { type SchedulesApi, schedulesApi } from "./schedules.js";

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
  /** The bearer token sent with each request, or null when signed out. */
  readonly token: string | null;
  /** Uses another token from now on (null: anonymous). */
  setToken(token: string | null): void;
}

export function createClient(options: ClientOptions): BackendClient {
  const http = new Transport(options);
  const functions = functionsApi(http);
  const events = eventsApi(http);
  return {
    auth: authApi(http),
    records: recordsApi(http),
    functions,
    executeFunction: functions.invoke,
    events,
    publishEvent: events.publish,
    schedules: schedulesApi(http),
    get token() {
      return http.token;
    },
    setToken(token) {
      http.setToken(token);
    },
  };
}
