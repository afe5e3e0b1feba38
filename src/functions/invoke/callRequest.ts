// The HTTP request a function sees. For the http trigger it is the request as it arrived; a
// `Deno.serve` function that is *called* (SDK, CLI, another function) gets one made for it: a POST
// to its own URL with the payload as JSON and the caller's token, as if the app had fetched it.
// The admin key is never handed to function code: it would end up in logs or outbound requests.
import type { HttpRequestData } from "../runtime/types.js";

const encoder = new TextEncoder();

/** The headers without an `authorization` header that carries the admin key. */
export function withoutAdminKey(headers: [string, string][], isAdminKey: boolean): [string, string][] {
  return isAdminKey ? headers.filter(([name]) => name.toLowerCase() !== "authorization") : headers;
}

/**
 * The request for calling a Deno.serve function: `origin` is where the call came in (or the
 * server's own address), `from` the request that made the call, if any, for its token.
 */
export function callRequest(
  name: string,
  origin: string,
  payload: unknown,
  from: HttpRequestData | undefined,
): HttpRequestData {
  const headers: [string, string][] = [["content-type", "application/json"]];
  const authorization = from?.headers.find(([n]) => n.toLowerCase() === "authorization");
  if (authorization) headers.push(["authorization", authorization[1]]);
  return {
    method: "POST",
    url: `${origin}${functionPath(name)}`,
    headers,
    body: encoder.encode(JSON.stringify(payload ?? {})),
  };
}

/** `/functions/email/send`: each part of a nested name encoded on its own. */
export function functionPath(name: string): string {
  return `/functions/${name.split("/").map(encodeURIComponent).join("/")}`;
}

/** `http://host:port` of a request URL. */
export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
