import { describe, expect, it } from "vitest";
import { isAllowed, parseAllowEntry, parseAllowList } from "./allowList.js";
import { blockedKind } from "./blockedRanges.js";
import { parseIp } from "./ipAddress.js";

describe("blocked address ranges", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.0.1", "private"],
    ["fd12:3456::1", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["224.0.0.251", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
  ])("%s is %s", (address, kind) => {
    expect(blockedKind(address)).toBe(kind);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "1.1.1.1"])(
    "%s is public",
    (address) => {
      expect(blockedKind(address)).toBeNull();
    },
  );
});

describe("functions.fetch.allow entries", () => {
  const dest = (hostname: string, port: number, address: string) => ({
    hostname,
    port,
    address: parseIp(address)!,
  });

  it("match by host name, wildcard, IP, IP:port, [IPv6]:port and CIDR", () => {
    const cases: [entry: string, hostname: string, port: number, address: string, allowed: boolean][] = [
      ["internal.example.com", "internal.example.com", 443, "10.0.0.5", true],
      ["internal.example.com", "other.example.com", 443, "10.0.0.5", false],
      ["Internal.Example.com:8080", "internal.example.com", 8080, "10.0.0.5", true],
      ["internal.example.com:8080", "internal.example.com", 80, "10.0.0.5", false],
      ["*.corp.example", "api.corp.example", 80, "10.0.0.5", true],
      ["*.corp.example", "corp.example", 80, "10.0.0.5", false],
      ["10.0.0.5", "anything.example", 80, "10.0.0.5", true],
      ["10.0.0.5", "10.0.0.6", 80, "10.0.0.6", false],
      ["127.0.0.1:5000", "127.0.0.1", 5000, "127.0.0.1", true],
      ["127.0.0.1:5000", "127.0.0.1", 5001, "127.0.0.1", false],
      ["::1", "::1", 80, "::1", true],
      ["[::1]:8080", "::1", 8080, "::1", true],
      ["[::1]:8080", "::1", 8081, "::1", false],
      ["10.0.0.0/8", "x", 1, "10.200.0.1", true],
      ["10.0.0.0/8", "x", 1, "11.0.0.1", false],
      ["fd00::/8", "x", 1, "fd00::1", true],
      ["172.16.0.0/12", "x", 1, "172.31.0.1", true],
      ["172.16.0.0/12", "x", 1, "172.32.0.1", false],
    ];
    for (const [entry, hostname, port, address, allowed] of cases) {
      expect([
        entry,
        hostname,
        port,
        isAllowed(parseAllowList([entry]), dest(hostname, port, address)),
      ]).toEqual([entry, hostname, port, allowed]);
    }
  });

  it("ignores malformed entries", () => {
    for (const bad of ["", "10.0.0.0/33", "host:99999", "a b", "http://x/", "10.0.0.0/x"]) {
      expect(parseAllowEntry(bad)).toBeNull();
    }
  });
});
