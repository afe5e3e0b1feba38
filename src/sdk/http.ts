// One JSON request to the server: builds the URL, adds the bearer token, applies the timeout and
// turns every failure into a BackendError. Only web globals (fetch, URL, AbortController), so the
// same code runs in browsers, Node >= 18, Deno, Bun and workers.
import { BackendError } from "./errors.js";

/** The part of a fetch Response the SDK reads. */
export interface FetchResponse {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as a stream; read only by streaming calls (`admin.logs.follow`). */
  body?: ReadableStream<Uint8Array> | null;
}

/** The part of `fetch` the SDK calls; pass your own (a mock, a proxy-aware fetch) to createClient. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<FetchResponse>;

export type QueryValue = string | number | undefined;

export interface RequestOptions {
  body?: unknown;
  query?: { [name: string]: QueryValue };
  /** Send no token: the server rejects a stale token even on routes that need none (login). */
  anonymous?: boolean;
  /** A 2xx answer that is not JSON resolves to its text (functions may answer text/plain). */
  acceptText?: boolean;
}

export interface TransportOptions {
  url: string;
  token?: string | null;
  fetch?: FetchLike;
  timeoutMs?: number;
  onTokenChange?: (token: string | null) => void;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

export class Transport {
  #token: string | null;
  readonly #base: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #onTokenChange: ((token: string | null) => void) | undefined;

  constructor(options: TransportOptions) {
    this.#base = baseUrl(options.url);
    this.#token = options.token ?? null;
    // Wrapped, not stored bare: browsers throw "Illegal invocation" when fetch is called as a method.
    this.#fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#onTokenChange = options.onTokenChange;
  }

  get token(): string | null {
    return this.#token;
  }

  setToken(token: string | null): void {
    if (token === this.#token) return;
    this.#token = token;
    this.#onTokenChange?.(token);
  }

  /** Sends one request; resolves to the parsed JSON answer (undefined for 204). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, options.query);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token && !options.anonymous) headers.authorization = `Bearer ${this.#token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      // JSON.stringify writes Date values as ISO-8601 strings, which is what the server expects.
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }

    const controller = this.#timeoutMs > 0 ? new AbortController() : undefined;
    const timer = controller ? setTimeout(() => controller.abort(), this.#timeoutMs) : undefined;
    try {
      let response: FetchResponse;
      let text: string;
      try {
        const init: Parameters<FetchLike>[1] = { method, headers };
        if (body !== undefined) init.body = body;
        if (controller) init.signal = controller.signal;
        response = await this.#fetch(url, init);
        text = await response.text();
      } catch (error) {
        if (controller?.signal.aborted) {
          throw new BackendError(0, "timeout", `${method} ${url} got no answer within ${this.#timeoutMs} ms`);
        }
        throw new BackendError(
          0,
          "network_error",
          `Could not reach the server at ${url}: ${reasonOf(error)}`,
        );
      }
      return parseAnswer<T>(method, url, response, text, options.acceptText);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  /**
   * Opens a streaming GET (server-sent events): resolves with the body once a 2xx answer's headers
   * arrive, and stops when `signal` aborts. No timeout: a stream is meant to stay open. A refused
   * stream throws the same BackendError a request would.
   */
  async stream(
    path: string,
    options: { query?: RequestOptions["query"]; accept: string; signal: AbortSignal },
  ): Promise<ReadableStream<Uint8Array>> {
    const url = this.#url(path, options.query);
    const headers: Record<string, string> = { accept: options.accept };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    let response: FetchResponse;
    try {
      response = await this.#fetch(url, { method: "GET", headers, signal: options.signal });
    } catch (error) {
      throw new BackendError(0, "network_error", `Could not reach the server at ${url}: ${reasonOf(error)}`);
    }
    const ok = response.status >= 200 && response.status < 300;
    if (ok && response.body) return response.body;
    const text = await response.text().catch(() => "");
    // A refusal throws the server's error, as a request would.
    if (!ok) return parseAnswer<never>("GET", url, response, text);
    throw new BackendError(
      response.status,
      "invalid_response",
      `GET ${url} answered without a body to stream`,
    );
  }

  #url(path: string, query: RequestOptions["query"]): string {
    if (!query) return this.#base + path;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return search ? `${this.#base}${path}?${search}` : this.#base + path;
  }
}

function parseAnswer<T>(
  method: string,
  url: string,
  response: FetchResponse,
  text: string,
  acceptText = false,
): T {
  const { status } = response;
  const ok = status >= 200 && status < 300;
  if (ok && text === "") return undefined as T;

  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }

  if (ok) {
    if (isJson) return json as T;
    if (acceptText) return text as T;
    throw new BackendError(
      status,
      "invalid_response",
      `${method} ${url} answered ${status} with something other than JSON: ${snippet(text)}`,
    );
  }
  const error = isJson ? errorOf(json) : undefined;
  if (error) return throwError(status, error);
  const what = text === "" ? "an empty body" : snippet(text);
  const statusLine = response.statusText ? `${status} ${response.statusText}` : String(status);
  throw new BackendError(
    status,
    isJson ? "http_error" : "invalid_response",
    `${method} ${url} failed with ${statusLine}: ${what}`,
  );
}

function throwError(status: number, error: { code: string; message: string; details?: unknown }): never {
  throw new BackendError(status, error.code, error.message, error.details);
}

function errorOf(json: unknown): { code: string; message: string; details?: unknown } | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const error = (json as { error?: unknown }).error;
  // A function's own error body, e.g. seed 001's `{ "error": "Unauthorized" }`.
  if (typeof error === "string") return { code: "function_response", message: error, details: json };
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  return { code, message, details };
}

/** Node's fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND...). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = cause?.code ?? cause?.message;
  return typeof detail === "string" && detail !== "" ? `${error.message} (${detail})` : error.message;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return JSON.stringify(flat.length > 120 ? `${flat.slice(0, 120)}…` : flat);
}

/** The server's address without a trailing slash; a path prefix (behind a proxy) is kept. */
function baseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(
      `createClient: 'url' must be an absolute URL such as http://localhost:8787, got ${JSON.stringify(url)}`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(
      `createClient: 'url' must start with http:// or https://, got ${JSON.stringify(url)}`,
    );
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}
