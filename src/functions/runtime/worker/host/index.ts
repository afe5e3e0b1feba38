// The worker-side host functions behind the isolate's Web APIs (src/functions/runtime/web). The
// runtime wires each one into the isolate through an isolated-vm reference; `fetch` additionally
// gets the execution's HostContext bound by the runtime, so function code never chooses its policy.
import type { HostFetchRequest, HostFetchResponse, UrlParts } from "../../web/host.js";
import { type HostContext, safeFetch } from "./fetch/safeFetch.js";
import { digest, hmacSign } from "./hashing.js";
import { randomBytes, randomUUID } from "./random.js";
import { urlParse } from "./urlParse.js";

export type { HostFetchRequest, HostFetchResponse, UrlParts } from "../../web/host.js";
export { parseAllowEntry } from "./fetch/allowList.js";
export type { HostContext } from "./fetch/safeFetch.js";

export interface HostFunctions {
  urlParse(href: string, base?: string): UrlParts | null;
  randomBytes(n: number): Uint8Array;
  randomUUID(): string;
  digest(algorithm: string, data: Uint8Array): Promise<Uint8Array>;
  hmacSign(hash: string, key: Uint8Array, data: Uint8Array): Promise<Uint8Array>;
  fetch(ctx: HostContext, req: HostFetchRequest): Promise<HostFetchResponse>;
}

export const hostFunctions: HostFunctions = {
  urlParse,
  randomBytes,
  randomUUID,
  digest,
  hmacSign,
  fetch: safeFetch,
};
