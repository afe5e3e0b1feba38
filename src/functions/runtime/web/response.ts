// Response: what fetch resolves to and what a function returns over HTTP. Response.json and
// Response.redirect are the shortcuts most handlers use.
import { Body, type BodyInit, extractBody, peekBody } from "./body.js";
import { Headers, type HeadersInit } from "./headers.js";
import { URL } from "./url.js";

export interface ResponseInit {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

export type ResponseType = "default" | "basic" | "error";

/** A response exactly as given, without the constructor's checks (fetch results, clones, errors). */
export interface ResponseState {
  status: number;
  statusText: string;
  headers: Headers;
  body: Uint8Array | null;
  type: ResponseType;
  url: string;
  redirected: boolean;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isNullBodyStatus(status: number): boolean {
  return NULL_BODY_STATUSES.has(status);
}

let build: (state: ResponseState) => Response;

export function createResponse(state: ResponseState): Response {
  return build(state);
}

export class Response extends Body {
  #status: number;
  #statusText: string;
  #headers: Headers;
  #type: ResponseType = "default";
  #url = "";
  #redirected = false;

  static {
    build = (state) => {
      const response = new Response(state.body, { headers: state.headers });
      response.#status = state.status;
      response.#statusText = state.statusText;
      response.#headers = state.headers;
      response.#type = state.type;
      response.#url = state.url;
      response.#redirected = state.redirected;
      return response;
    };
  }

  constructor(body?: BodyInit | null, init: ResponseInit = {}) {
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`Response status must be in the range 200 to 599, got ${init.status}`);
    }
    const statusText = init.statusText === undefined ? "" : String(init.statusText);
    if (/[^\t\x20-\x7e\x80-\xff]/.test(statusText)) throw new TypeError("Invalid statusText");
    const extracted = extractBody(body);
    if (extracted.bytes !== null && NULL_BODY_STATUSES.has(status)) {
      throw new TypeError(`Response with null body status ${status} cannot have body`);
    }
    const headers = new Headers(init.headers);
    if (extracted.type && !headers.has("content-type")) headers.set("content-type", extracted.type);
    super(extracted.bytes);
    this.#status = status;
    this.#statusText = statusText;
    this.#headers = headers;
  }

  /** A JSON response: `Response.json({ error: "Unauthorized" }, { status: 401 })`. */
  static json(data: unknown, init: ResponseInit = {}): Response {
    const text = JSON.stringify(data);
    if (text === undefined) throw new TypeError("Response.json: the value cannot be serialized to JSON");
    const headers = new Headers(init.headers);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    return new Response(text, { ...init, headers });
  }

  static redirect(url: string | URL, status = 302): Response {
    if (!REDIRECT_STATUSES.has(status)) throw new RangeError(`Invalid redirect status: ${status}`);
    const location = new URL(String(url)).href;
    return new Response(null, { status, headers: { location } });
  }

  static error(): Response {
    return build({
      status: 0,
      statusText: "",
      headers: new Headers(),
      body: null,
      type: "error",
      url: "",
      redirected: false,
    });
  }

  get type(): ResponseType {
    return this.#type;
  }

  get url(): string {
    return this.#url;
  }

  get redirected(): boolean {
    return this.#redirected;
  }

  get status(): number {
    return this.#status;
  }

  get ok(): boolean {
    return this.#status >= 200 && this.#status <= 299;
  }

  get statusText(): string {
    return this.#statusText;
  }

  get headers(): Headers {
    return this.#headers;
  }

  clone(): Response {
    if (this.bodyUsed || this.body?.locked)
      throw new TypeError("Response.clone: the body has already been read");
    return build({
      status: this.#status,
      statusText: this.#statusText,
      headers: new Headers(this.#headers),
      body: peekBody(this)?.slice() ?? null,
      type: this.#type,
      url: this.#url,
      redirected: this.#redirected,
    });
  }

  get [Symbol.toStringTag](): string {
    return "Response";
  }
}
