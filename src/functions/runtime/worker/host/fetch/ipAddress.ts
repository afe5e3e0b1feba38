// IP addresses as bytes, and CIDR membership: the one representation that the range checks and
// the allow-list share, so "::ffff:127.0.0.1", "::1" and "127.0.0.1/8" are compared the same way.
import { isIPv4, isIPv6 } from "node:net";

export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export interface Cidr {
  address: IpAddress;
  prefix: number;
}

/** Parses a canonical IPv4 or IPv6 address (brackets and an IPv6 zone id are accepted). */
export function parseIp(text: string): IpAddress | null {
  let value = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = value.indexOf("%");
  if (zone >= 0) value = value.slice(0, zone);
  if (isIPv4(value)) return { family: 4, bytes: Uint8Array.from(value.split(".").map(Number)) };
  if (!isIPv6(value)) return null;
  return { family: 6, bytes: parseIPv6(value) };
}

function parseIPv6(value: string): Uint8Array {
  const groups = (part: string): number[] => {
    if (part === "") return [];
    const out: number[] = [];
    for (const piece of part.split(":")) {
      if (piece.includes(".")) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split(".").map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const gap = value.indexOf("::");
  const head = groups(gap >= 0 ? value.slice(0, gap) : value);
  const tail = gap >= 0 ? groups(value.slice(gap + 2)) : [];
  const all = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Parses "10.0.0.0/8" or "fc00::/7"; null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.lastIndexOf("/");
  if (slash < 0) return null;
  const address = parseIp(text.slice(0, slash));
  const bits = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(bits)) return null;
  const prefix = Number(bits);
  if (prefix > address.bytes.length * 8) return null;
  return { address, prefix };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.address.family) return false;
  let bits = cidr.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((cidr.address.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((byte, i) => byte === b.bytes[i]);
}

/**
 * The IPv4 address carried inside an IPv6 one (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible
 * ::a.b.c.d, NAT64 64:ff9b::a.b.c.d), which reaches that IPv4 host; null for any other address.
 */
export function embeddedIPv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const b = ip.bytes;
  const zeros = (from: number, to: number) => b.subarray(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeros(0, 12) && !zeros(12, 15); // not :: or ::1, which are their own kinds
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || compatible || nat64 ? { family: 4, bytes: b.slice(12, 16) } : null;
}
