// Decides where one hop of an outbound fetch may connect: resolves the URL's host (every address),
// refuses private/loopback/link-local ones that the allow-list does not name, and returns the
// checked address that the connection is then pinned to, so a second DNS answer cannot swap it.
import { lookup } from "node:dns/promises";
import { type AllowEntry, isAllowed } from "./allowList.js";
import { blockedKind } from "./blockedRanges.js";
import { parseIp } from "./ipAddress.js";

export interface CheckedDestination {
  /** The URL's host name without IPv6 brackets (TLS server name and Host header come from the URL). */
  hostname: string;
  port: number;
  /** Every address the host resolved to, all checked; the connection may use any of them. */
  addresses: { address: string; family: 4 | 6 }[];
}

export class FetchRefusedError extends Error {
  override name = "FetchRefusedError";
}

export function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
}

export async function resolveDestination(
  url: URL,
  allow: readonly AllowEntry[],
): Promise<CheckedDestination> {
  // WHATWG parsing has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = defaultPort(url);
  const literal = parseIp(hostname);
  const addresses = literal ? [hostname] : await lookupAll(url, hostname);

  for (const address of addresses) {
    const ip = parseIp(address);
    if (!ip) throw new FetchRefusedError(`fetch to ${url.host} refused: unusable address ${address}`);
    const kind = blockedKind(ip);
    if (kind && !isAllowed(allow, { hostname, port, address: ip })) {
      const shown = literal ? url.host : `${url.host} (${address})`;
      throw new FetchRefusedError(
        `fetch to ${shown} refused: ${kind} addresses are not allowed (allow them with functions.fetch.allow)`,
      );
    }
  }
  return {
    hostname,
    port,
    addresses: addresses.map((address) => ({ address, family: parseIp(address)!.family })),
  };
}

async function lookupAll(url: URL, hostname: string): Promise<string[]> {
  try {
    const found = await lookup(hostname, { all: true, verbatim: true });
    if (found.length > 0) return found.map((entry) => entry.address);
  } catch {
    // reported below
  }
  throw new Error(`fetch to ${url.host} failed: could not resolve host ${hostname}`);
}
