// fetch: builds a Request, hands it to the host (which enforces the outbound rules: no private
// addresses, timeout, size cap) and wraps the answer in a Response. An aborted signal rejects at
// once with its reason; the host request itself ends with its own timeout or with the execution.
import { peekBody } from "./body.js";
import { Headers } from "./headers.js";
import type { WebHost } from "./host.js";
import { Request, type RequestInit } from "./request.js";
import { createResponse, isNullBodyStatus, type Response } from "./response.js";
import type { URL } from "./url.js";

export function createFetch(
  host: WebHost,
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async function fetch(input, init) {
    const request = new Request(input, init);
    const { signal } = request;
    signal.throwIfAborted();
    const body = peekBody(request);
    const pending = host.fetch({
      url: request.url,
      method: request.method,
      headers: [...request.headers],
      ...(body ? { body } : {}),
      redirect: request.redirect,
    });

    let result: Awaited<typeof pending>;
    try {
      result = await new Promise<Awaited<typeof pending>>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener("abort", onAbort, { once: true });
        pending.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      // Network failures are TypeErrors in fetch; keep the host's message, which says what happened.
      throw new TypeError(err instanceof Error ? err.message : String(err), { cause: err });
    }

    const headers = new Headers();
    for (const [name, value] of result.headers) headers.append(name, value);
    const empty = isNullBodyStatus(result.status) || request.method === "HEAD";
    return createResponse({
      status: result.status,
      statusText: result.statusText,
      headers,
      body: empty ? null : result.body,
      type: "basic",
      url: result.url,
      redirected: result.redirected,
    });
  };
}
