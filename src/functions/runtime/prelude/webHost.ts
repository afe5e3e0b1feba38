// The WebHost that the Web API installer (web/) is built on: the worker's host functions as seen
// from inside the isolate, plus the runtime's timers.
import type { HostFetchRequest, HostFetchResponse, UrlParts, WebHost } from "../web/host.js";
import { callHostAsync, callHostSync } from "./host.js";
import { timerGlobals } from "./timers.js";

export function makeWebHost(): WebHost {
  return {
    urlParse: (href: string, base?: string) =>
      callHostSync("urlParse", base === undefined ? [href] : [href, base]) as UrlParts | null,
    randomBytes: (n: number) => callHostSync("randomBytes", [n]) as Uint8Array,
    randomUUID: () => callHostSync("randomUUID", []) as string,
    digest: (algorithm: string, data: Uint8Array) =>
      callHostAsync("digest", [algorithm, data]) as Promise<Uint8Array>,
    hmacSign: (hash: string, key: Uint8Array, data: Uint8Array) =>
      callHostAsync("hmacSign", [hash, key, data]) as Promise<Uint8Array>,
    fetch: (req: HostFetchRequest) => callHostAsync("fetch", [req]) as Promise<HostFetchResponse>,
    setTimeout: (fn: () => void, ms: number) => timerGlobals.setTimeout(fn, ms),
    clearTimeout: (id: number) => timerGlobals.clearTimeout(id),
  };
}
