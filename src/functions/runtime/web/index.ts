// The Web platform of a function: installWebApis puts fetch, Request/Response/Headers, URL,
// URLSearchParams, TextEncoder/TextDecoder, atob/btoa, crypto, structuredClone,
// AbortController/AbortSignal, Event/EventTarget and DOMException on the isolate's global object.
// This code runs inside the isolate (bundled into the runtime's prelude); everything it needs from
// outside comes through `host`.
import { AbortController, AbortSignal, useTimers } from "./abort.js";
import { atob, btoa } from "./base64.js";
import { createCrypto } from "./crypto.js";
import { DOMException } from "./domException.js";
import { TextDecoder, TextEncoder } from "./encoding.js";
import { Event, EventTarget } from "./events.js";
import { createFetch } from "./fetch.js";
import { Headers } from "./headers.js";
import type { WebHost } from "./host.js";
import { Request } from "./request.js";
import { Response } from "./response.js";
import { structuredClone } from "./structuredClone.js";
import { CryptoKey } from "./subtle.js";
import { URL, useUrlParser } from "./url.js";
import { URLSearchParams } from "./urlSearchParams.js";

export type { UrlParts, WebHost } from "./host.js";

export function installWebApis(g: typeof globalThis, host: WebHost): void {
  useUrlParser((href, base) => host.urlParse(href, base));
  useTimers(host);
  const apis: Record<string, unknown> = {
    fetch: createFetch(host),
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    crypto: createCrypto(host),
    CryptoKey,
    structuredClone,
    AbortController,
    AbortSignal,
    Event,
    EventTarget,
    DOMException,
  };
  // Like the built-ins: writable and configurable, but not enumerable.
  for (const [name, value] of Object.entries(apis)) {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
