// The address ranges that outbound fetch refuses unless functions.fetch.allow names them: anything
// that reaches the server itself, its private network or cloud metadata (169.254.169.254).
import { type Cidr, embeddedIPv4, type IpAddress, inCidr, parseCidr, parseIp } from "./ipAddress.js";

const RANGES: [kind: string, cidr: string][] = [
  ["unspecified", "0.0.0.0/8"], // "this network": 0.0.0.0 connects to the local host
  ["loopback", "127.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["private", "172.16.0.0/12"],
  ["private", "192.168.0.0/16"],
  ["carrier-grade NAT", "100.64.0.0/10"],
  ["link-local", "169.254.0.0/16"],
  ["multicast", "224.0.0.0/4"],
  ["broadcast", "255.255.255.255/32"],
  ["reserved", "240.0.0.0/4"],
  ["unspecified", "::/128"],
  ["loopback", "::1/128"],
  ["private", "fc00::/7"],
  ["private", "fec0::/10"], // deprecated site-local, still routed privately by some networks
  ["link-local", "fe80::/10"],
  ["multicast", "ff00::/8"],
];

const PARSED: [string, Cidr][] = RANGES.map(([kind, text]) => [kind, parseCidr(text)!]);

/** The kind of a refused address ("loopback", "private", ...), or null when it is public. */
export function blockedKind(address: string | IpAddress): string | null {
  const ip = typeof address === "string" ? parseIp(address) : address;
  if (!ip) return "invalid";
  const inner = embeddedIPv4(ip);
  if (inner) return blockedKind(inner);
  for (const [kind, cidr] of PARSED) if (inCidr(ip, cidr)) return kind;
  return null;
}
