// Request: what fetch sends, and what a Deno.serve handler receives. URLs must be absolute (a
// function has no page to be relative to); GET and HEAD cannot carry a body.
import { AbortController, type AbortSignal } from "./abort.js";
import { Body, type BodyInit, extractBody, peekBody } from "./body.js";
import { Headers, type HeadersInit } from "./headers.js";
import type { RedirectMode } from "./host.js";
import { URL } from "./url.js";

export interface RequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit | null;
  redirect?: RedirectMode;
  signal?: AbortSignal | null;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NORMALIZED = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN = new Set(["CONNECT", "TRACE", "TRACK"]);
const REDIRECTS = new Set(["follow", "manual", "error"]);

function requestMethod(value: string): string {
  if (!TOKEN.test(value)) throw new TypeError(`"${value}" is not a valid HTTP method`);
  const upper = value.toUpperCase();
  if (FORBIDDEN.has(upper)) throw new TypeError(`"${value}" HTTP method is unsupported`);
  // Only the standard methods are upper-cased; "patch" stays "patch", as the Fetch spec says.
  return NORMALIZED.has(upper) ? upper : value;
}

function requestUrl(input: unknown): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw new TypeError(
      `Failed to parse URL from ${String(input)} (fetch in functions needs an absolute URL)`,
    );
  }
  if (url.username || url.password) {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.href}`);
  }
  return url.href;
}

export class Request extends Body {
  readonly #method: string;
  readonly #url: string;
  readonly #headers: Headers;
  readonly #redirect: RedirectMode;
  readonly #signal: AbortSignal;

  constructor(input: string | URL | Request, init: RequestInit = {}) {
    const source = input instanceof Request ? input : undefined;
    if (source?.bodyUsed && init.body === undefined)
      throw new TypeError("Cannot construct a Request with a used body");
    const url = source ? source.url : requestUrl(input);
    const method = init.method !== undefined ? requestMethod(String(init.method)) : (source?.method ?? "GET");
    const headers = new Headers(init.headers ?? source?.headers);
    const extracted =
      init.body !== undefined
        ? extractBody(init.body)
        : { bytes: source ? peekBody(source) : null, type: null };
    if (extracted.bytes !== null && (method === "GET" || method === "HEAD")) {
      throw new TypeError("Request with GET/HEAD method cannot have body.");
    }
    if (extracted.type && !headers.has("content-type")) headers.set("content-type", extracted.type);
    const redirect = init.redirect ?? source?.redirect ?? "follow";
    if (!REDIRECTS.has(redirect)) throw new TypeError(`"${redirect}" is not a valid redirect mode`);

    super(extracted.bytes?.slice() ?? null);
    this.#url = url;
    this.#method = method;
    this.#headers = headers;
    this.#redirect = redirect;
    this.#signal = init.signal ?? source?.signal ?? new AbortController().signal;
  }

  get method(): string {
    return this.#method;
  }

  get url(): string {
    return this.#url;
  }

  get headers(): Headers {
    return this.#headers;
  }

  get redirect(): RedirectMode {
    return this.#redirect;
  }

  get signal(): AbortSignal {
    return this.#signal;
  }

  clone(): Request {
    if (this.bodyUsed || this.body?.locked)
      throw new TypeError("Request.clone: the body has already been read");
    return new Request(this);
  }

  get [Symbol.toStringTag](): string {
    return "Request";
  }
}
