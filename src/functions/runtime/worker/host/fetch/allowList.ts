// functions.fetch.allow: the destinations an admin lets functions reach although their addresses
// are private. Entry forms (port optional on all but CIDRs; without a port every port matches):
//   "internal.example.com", "*.corp.example", "localhost:8080"   -> by host name in the URL
//   "10.1.2.3", "10.1.2.3:9000", "::1", "[::1]:8080"            -> by resolved address
//   "10.0.0.0/8", "fd00::/8"                                     -> by resolved address range
// A name entry trusts every address that name resolves to; address entries trust only themselves.
import { type Cidr, type IpAddress, inCidr, parseCidr, parseIp, sameIp } from "./ipAddress.js";

export type AllowEntry =
  | { kind: "host"; host: string; wildcard: boolean; port?: number }
  | { kind: "ip"; ip: IpAddress; port?: number }
  | { kind: "cidr"; cidr: Cidr };

/** Parses one entry; null when it is malformed (it then matches nothing). */
export function parseAllowEntry(raw: string): AllowEntry | null {
  const text = raw.trim().toLowerCase();
  if (text === "") return null;
  if (text.includes("/")) {
    const cidr = parseCidr(text);
    return cidr ? { kind: "cidr", cidr } : null;
  }
  const bare = parseIp(text);
  if (bare) return { kind: "ip", ip: bare };
  const withPort = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(text);
  const host = withPort ? withPort[1]! : text;
  const port = withPort ? Number(withPort[2]) : undefined;
  if (port !== undefined && port > 65535) return null;
  const ip = parseIp(host);
  if (ip) return port === undefined ? { kind: "ip", ip } : { kind: "ip", ip, port };
  if (!/^(\*\.)?[a-z0-9_.-]+$/.test(host)) return null;
  const wildcard = host.startsWith("*.");
  const name = trimDot(wildcard ? host.slice(2) : host);
  return port === undefined
    ? { kind: "host", host: name, wildcard }
    : { kind: "host", host: name, wildcard, port };
}

function trimDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

export interface Destination {
  /** The URL's host name (lower case, no brackets). */
  hostname: string;
  port: number;
  /** The address that would be connected to. */
  address: IpAddress;
}

export function isAllowed(entries: readonly AllowEntry[], dest: Destination): boolean {
  const hostname = trimDot(dest.hostname.toLowerCase());
  return entries.some((entry) => {
    if (entry.kind === "cidr") return inCidr(dest.address, entry.cidr);
    if (entry.port !== undefined && entry.port !== dest.port) return false;
    if (entry.kind === "ip") return sameIp(entry.ip, dest.address);
    return entry.wildcard ? hostname.endsWith(`.${entry.host}`) : hostname === entry.host;
  });
}

export function parseAllowList(raw: readonly string[]): AllowEntry[] {
  return raw.map(parseAllowEntry).filter((entry): entry is AllowEntry => entry !== null);
}
