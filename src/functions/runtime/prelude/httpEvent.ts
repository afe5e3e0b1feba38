// The `event` a default/handler/classic function gets for an HTTP request:
// `{ method, path, query, headers, body, rawBody }`, body parsed as JSON when the content type
// says so, else text.
import type { HttpRequestData } from "../types.js";
import { parse } from "./intrinsics.js";
import { utf8Decode } from "./utf8.js";

export interface HttpEvent {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: unknown;
  rawBody: string;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** Path and query of an absolute or origin-relative URL, without a URL parser. */
export function splitUrl(url: string): { path: string; search: string } {
  let rest = url;
  const scheme = rest.indexOf("://");
  if (scheme >= 0) {
    const slash = rest.indexOf("/", scheme + 3);
    rest = slash >= 0 ? rest.slice(slash) : "/";
  }
  const hash = rest.indexOf("#");
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf("?");
  return q >= 0 ? { path: rest.slice(0, q), search: rest.slice(q + 1) } : { path: rest, search: "" };
}

export function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (!search) return query;
  for (const part of search.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const key = decode(eq >= 0 ? part.slice(0, eq) : part);
    const value = decode(eq >= 0 ? part.slice(eq + 1) : "");
    const prev = query[key];
    if (prev === undefined) query[key] = value;
    else if (typeof prev === "string") query[key] = [prev, value];
    else prev.push(value);
  }
  return query;
}

export function httpEvent(req: HttpRequestData): HttpEvent {
  const { path, search } = splitUrl(req.url);
  const headers: Record<string, string> = {};
  for (const [name, value] of req.headers) {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  }
  const rawBody = req.body && req.body.byteLength > 0 ? utf8Decode(req.body) : "";
  let body: unknown = rawBody === "" ? null : rawBody;
  if (rawBody !== "" && /\bjson\b/i.test(headers["content-type"] ?? "")) {
    try {
      body = parse(rawBody);
    } catch {
      body = rawBody;
    }
  }
  return { method: req.method.toUpperCase(), path, query: parseQuery(search), headers, body, rawBody };
}
