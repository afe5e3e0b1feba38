// The in-isolate view of the worker's host functions (src/functions/runtime/worker/host). The
// runtime builds a WebHost from isolated-vm references and hands it to installWebApis: sync host
// functions return their value, async ones return a promise. Everything that crosses is plain data
// (strings, numbers, arrays, Uint8Array), so it copies cleanly between the isolate and the worker.
// This file is shared by both sides as types only; code in web/ must import nothing outside web/.

/** The parts of a parsed WHATWG URL, as Node's `URL` reports them. */
export interface UrlParts {
  href: string;
  origin: string;
  protocol: string;
  username: string;
  password: string;
  host: string;
  hostname: string;
  port: string;
  pathname: string;
  search: string;
  hash: string;
}

export type RedirectMode = "follow" | "manual" | "error";

/** An outbound request as the isolate hands it to the host. */
export interface HostFetchRequest {
  url: string;
  method: string;
  headers: [string, string][];
  body?: Uint8Array;
  redirect?: RedirectMode;
}

/** The complete response (the body is read in full, up to the configured cap). */
export interface HostFetchResponse {
  status: number;
  statusText: string;
  /** Lower-case names, in arrival order; repeated headers (set-cookie) stay separate entries. */
  headers: [string, string][];
  body: Uint8Array;
  /** The final URL after redirects. */
  url: string;
  redirected: boolean;
}

export interface WebHost {
  /** Parses `href` against `base`; null when it is not a valid URL. */
  urlParse(href: string, base?: string): UrlParts | null;
  /** `n` cryptographically strong random bytes, n <= 65536. */
  randomBytes(n: number): Uint8Array;
  randomUUID(): string;
  /** algorithm: "SHA-1" | "SHA-256" | "SHA-384" | "SHA-512". */
  digest(algorithm: string, data: Uint8Array): Promise<Uint8Array>;
  /** HMAC of `data` with `key`; hash as for digest. */
  hmacSign(hash: string, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  /**
   * The host's safe fetch with the execution's HostContext already bound by the runtime
   * (fetch policy, and the signal that ends the request with the execution).
   */
  fetch(req: HostFetchRequest): Promise<HostFetchResponse>;
  /** Timers of the runtime (used by AbortSignal.timeout). */
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}
