// One hop of an outbound fetch over node:http/node:https, connected to the already checked address
// (the `lookup` below answers with it, whatever the name resolves to now). Reads the whole body up
// to the size cap, decoding gzip/deflate/br as fetch does, and stops at once when `signal` aborts.
import http, { type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import type { CheckedDestination } from "./resolveDestination.js";

export interface Hop {
  url: URL;
  dest: CheckedDestination;
  method: string;
  headers: [string, string][];
  body?: Uint8Array;
}

export interface HopResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Uint8Array;
}

export interface HopOptions {
  signal: AbortSignal;
  maxBytes: number;
  /** False for responses whose body is not wanted (a redirect about to be followed). */
  readBody(status: number): boolean;
}

const METHODS_WITH_EMPTY_LENGTH = new Set(["POST", "PUT", "PATCH"]);

export function sendRequest(hop: Hop, options: HopOptions): Promise<HopResponse> {
  const { url, dest, method, body } = hop;
  const { signal, maxBytes } = options;
  return new Promise<HopResponse>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);

    const pinned: LookupFunction = (_name, lookupOptions, callback) => {
      const first = dest.addresses[0]!;
      if (lookupOptions.all) callback(null, dest.addresses);
      else callback(null, first.address, first.family);
    };
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of hop.headers) {
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    if (body) headers["content-length"] = String(body.byteLength);
    else if (METHODS_WITH_EMPTY_LENGTH.has(method.toUpperCase())) headers["content-length"] = "0";

    const transport = url.protocol === "https:" ? https : http;
    let req: http.ClientRequest;
    try {
      req = transport.request({
        hostname: dest.hostname,
        port: dest.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        lookup: pinned,
        agent: false, // no pooled sockets: each hop connects to its own checked address
      });
    } catch (err) {
      // Node validates the method and header values here (no CR/LF smuggling).
      return reject(new TypeError(`fetch to ${url.host} failed: ${(err as Error).message}`));
    }
    let res: IncomingMessage | undefined;
    let decoded: Readable | undefined;
    let done = false;

    const finish = (error: unknown, value?: HopResponse) => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      if (error) {
        decoded?.destroy();
        res?.destroy();
        req.destroy();
        reject(error);
      } else {
        resolve(value!);
      }
    };
    const onAbort = () => finish(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });

    req.on("error", (err) => finish(new Error(`fetch to ${url.host} failed: ${err.message}`)));
    req.on("response", (response) => {
      res = response;
      const status = response.statusCode ?? 0;
      const head = {
        status,
        statusText: response.statusMessage ?? "",
        headers: headerPairs(response.rawHeaders),
      };
      if (method.toUpperCase() === "HEAD" || !options.readBody(status)) {
        response.destroy();
        return finish(null, { ...head, body: new Uint8Array(0) });
      }
      const tooLarge = () => new Error(`Response body larger than ${maxBytes} bytes`);
      if (Number(response.headers["content-length"]) > maxBytes) return finish(tooLarge());

      const stream = decode(response);
      decoded = stream === response ? undefined : stream;
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on("data", (chunk: Buffer) => {
        total += chunk.byteLength;
        if (total > maxBytes) return finish(tooLarge());
        chunks.push(chunk);
      });
      stream.on("end", () => finish(null, { ...head, body: new Uint8Array(Buffer.concat(chunks, total)) }));
      stream.on("error", (err) => finish(new Error(`fetch to ${url.host} failed: ${err.message}`)));
      response.on("aborted", () => finish(new Error(`fetch to ${url.host} failed: connection closed early`)));
    });
    req.end(body);
  });
}

/** The body stream, decompressed when the server compressed it (sizes count decoded bytes). */
function decode(response: IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  response.on("error", (err) => decoder.destroy(err));
  return response.pipe(decoder);
}

function headerPairs(raw: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return pairs;
}
