// URL parsing for the isolate's `URL` class: Node's WHATWG parser does the hard part (IDNA,
// IPv4/IPv6 host forms, percent-encoding), so the isolate keeps only the object model.
import type { UrlParts } from "../../web/host.js";

export function urlParse(href: string, base?: string): UrlParts | null {
  let url: URL;
  try {
    url = base === undefined || base === null ? new URL(String(href)) : new URL(String(href), String(base));
  } catch {
    return null;
  }
  return {
    href: url.href,
    origin: url.origin,
    protocol: url.protocol,
    username: url.username,
    password: url.password,
    host: url.host,
    hostname: url.hostname,
    port: url.port,
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
  };
}
