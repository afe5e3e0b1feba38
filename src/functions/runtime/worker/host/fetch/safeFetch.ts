// The isolate's outbound fetch, run in the sandbox worker: only http(s), every hop (redirects
// included, at most 5) checked against the private-address rules and pinned to the checked address,
// one deadline for the whole request, a response size cap, and cancellation when the execution ends.
import { setMaxListeners } from "node:events";
import type { FetchPolicy } from "../../../types.js";
import type { HostFetchRequest, HostFetchResponse } from "../../../web/host.js";
import { parseAllowList } from "./allowList.js";
import { resolveDestination } from "./resolveDestination.js";
import { sendRequest } from "./sendRequest.js";

export interface HostContext {
  fetchPolicy: FetchPolicy;
  /** Aborted when the execution ends; any request still running is cut off. */
  signal: AbortSignal;
}

export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Set by the connection itself; a function must not smuggle its own. */
const CONNECTION_HEADERS = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
]);
const BODY_HEADERS = new Set(["content-type", "content-encoding", "content-language", "content-location"]);
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

export async function safeFetch(ctx: HostContext, req: HostFetchRequest): Promise<HostFetchResponse> {
  const { timeoutMs, maxResponseBytes } = ctx.fetchPolicy;
  const allow = parseAllowList(ctx.fetchPolicy.allow);
  const mode = req.redirect === "manual" || req.redirect === "error" ? req.redirect : "follow";
  let url = target(String(req.url));
  const shown = url.host;

  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`fetch to ${shown} timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  const onEnd = () => controller.abort(new Error(`fetch to ${shown} aborted: the execution ended`));
  // Every fetch in flight listens to the execution's signal; many at once is normal, not a leak.
  setMaxListeners(0, ctx.signal);
  if (ctx.signal.aborted) onEnd();
  else ctx.signal.addEventListener("abort", onEnd, { once: true });

  try {
    let method = String(req.method || "GET");
    let body = req.body && req.body.byteLength > 0 ? req.body : undefined;
    let headers = outgoingHeaders(req.headers ?? []);
    for (let redirects = 0; ; redirects++) {
      const dest = await abortable(resolveDestination(url, allow), controller.signal);
      const res = await sendRequest(
        { url, dest, method, headers, ...(body ? { body } : {}) },
        {
          signal: controller.signal,
          maxBytes: maxResponseBytes,
          readBody: (status) => !(mode === "follow" && REDIRECT_STATUSES.has(status)),
        },
      );
      const location = res.headers.find(([name]) => name === "location")?.[1];
      if (!REDIRECT_STATUSES.has(res.status) || location === undefined || mode === "manual") {
        return { ...res, url: url.href, redirected: redirects > 0 };
      }
      if (mode === "error") {
        throw new TypeError(
          `fetch to ${url.host} failed: redirected to ${location} while redirect is "error"`,
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new TypeError(`fetch to ${shown} failed: more than ${MAX_REDIRECTS} redirects`);
      }
      const next = target(location, url);
      // As browsers do: 303 (and 301/302 after POST) turn into a GET without a body.
      const upper = method.toUpperCase();
      if (
        (res.status === 303 && upper !== "GET" && upper !== "HEAD") ||
        (res.status <= 302 && upper === "POST")
      ) {
        method = "GET";
        body = undefined;
        headers = headers.filter(([name]) => !BODY_HEADERS.has(name));
      }
      if (next.origin !== url.origin) headers = headers.filter(([name]) => !CREDENTIAL_HEADERS.has(name));
      url = next;
    }
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onEnd);
  }
}

function target(href: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(href, base);
  } catch {
    throw new TypeError(`fetch failed: invalid URL ${JSON.stringify(href)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`fetch to ${url.href} refused: only http: and https: URLs can be fetched`);
  }
  if (url.username || url.password) {
    throw new TypeError(`fetch to ${url.host} refused: URLs with credentials are not supported`);
  }
  return url;
}

function outgoingHeaders(raw: [string, string][]): [string, string][] {
  const headers: [string, string][] = [];
  for (const [name, value] of raw) {
    const lower = String(name).toLowerCase();
    if (!CONNECTION_HEADERS.has(lower)) headers.push([lower, String(value)]);
  }
  // Many APIs (GitHub's among them) refuse requests without a User-Agent.
  if (!headers.some(([name]) => name === "user-agent")) headers.push(["user-agent", "backend-functions"]);
  if (!headers.some(([name]) => name === "accept")) headers.push(["accept", "*/*"]);
  return headers;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
