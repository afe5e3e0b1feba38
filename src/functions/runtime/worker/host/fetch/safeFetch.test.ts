import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FetchPolicy } from "../../../types.js";
import type { HostFetchRequest } from "../../../web/host.js";
import { connectAttempts, installConnectGuard } from "../testing/connectGuard.js";
import { resolveDestination } from "./resolveDestination.js";
import { type HostContext, safeFetch } from "./safeFetch.js";
import { sendRequest } from "./sendRequest.js";

installConnectGuard();

let server: http.Server;
let port: number;
let base: string;
let slowRequestArrived: () => void = () => {};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      switch (url.pathname) {
        case "/hello":
          res.writeHead(201, "Made It", [
            ["content-type", "text/plain"],
            ["set-cookie", "a=1"],
            ["set-cookie", "b=2"],
            ["x-custom", "yes"],
          ]);
          return res.end("hello there");
        case "/echo":
          res.setHeader("content-type", "application/json");
          return res.end(
            JSON.stringify({
              method: req.method,
              headers: req.headers,
              body: Buffer.concat(chunks).toString(),
            }),
          );
        case "/redirect":
          res.writeHead(Number(url.searchParams.get("status") ?? 302), {
            location: url.searchParams.get("to")!,
          });
          return res.end();
        case "/chain": {
          const n = Number(url.searchParams.get("n"));
          if (n === 0) return res.end("end of chain");
          res.writeHead(302, { location: `/chain?n=${n - 1}` });
          return res.end();
        }
        case "/big":
          // No content-length: the cap must hold while streaming, not only from the header.
          res.write("x".repeat(800));
          return res.end("x".repeat(800));
        case "/gzip":
          res.writeHead(200, { "content-encoding": "gzip" });
          return res.end(gzipSync("z".repeat(5000)));
        case "/slow":
          slowRequestArrived();
          res.write("partial"); // then nothing: the client must give up by itself
          return;
        default:
          res.statusCode = 404;
          res.end();
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  vi.restoreAllMocks();
});

function ctx(policy: Partial<FetchPolicy> = {}, signal = new AbortController().signal): HostContext {
  return {
    fetchPolicy: { allow: [`127.0.0.1:${port}`], timeoutMs: 5000, maxResponseBytes: 1_000_000, ...policy },
    signal,
  };
}

function get(url: string, extra: Partial<HostFetchRequest> = {}): HostFetchRequest {
  return { url, method: "GET", headers: [], ...extra };
}

describe("safe fetch against an allowed local server", () => {
  it("returns status, status text, headers (set-cookie kept apart) and body", async () => {
    const res = await safeFetch(ctx(), get(`${base}/hello`));
    expect(res.status).toBe(201);
    expect(res.statusText).toBe("Made It");
    expect(res.headers.filter(([n]) => n === "set-cookie").map(([, v]) => v)).toEqual(["a=1", "b=2"]);
    expect(res.headers).toContainEqual(["x-custom", "yes"]);
    expect(Buffer.from(res.body).toString()).toBe("hello there");
    expect(res).toMatchObject({ url: `${base}/hello`, redirected: false });
  });

  it("sends the method, headers and body of a POST", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ a: 1 }));
    const res = await safeFetch(
      ctx(),
      get(`${base}/echo`, { method: "POST", headers: [["content-type", "application/json"]], body }),
    );
    const echoed = JSON.parse(Buffer.from(res.body).toString());
    expect(echoed).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(echoed.headers).toMatchObject({
      "content-type": "application/json",
      "content-length": String(body.byteLength),
      host: `127.0.0.1:${port}`,
      "user-agent": "backend-functions",
    });
  });

  it("sets Host and Content-Length itself and refuses header injection", async () => {
    const res = await safeFetch(
      ctx(),
      get(`${base}/echo`, {
        method: "POST",
        headers: [
          ["Host", "evil.example"],
          ["content-length", "999"],
          ["user-agent", "mine"],
        ],
        body: new TextEncoder().encode("abc"),
      }),
    );
    const echoed = JSON.parse(Buffer.from(res.body).toString());
    expect(echoed.headers).toMatchObject({
      host: `127.0.0.1:${port}`,
      "content-length": "3",
      "user-agent": "mine",
    });
    await expect(
      safeFetch(ctx(), get(`${base}/echo`, { headers: [["x-a", "1\r\nx-injected: 1"]] })),
    ).rejects.toThrow(/^fetch to 127\.0\.0\.1:\d+ failed: Invalid character in header content/);
  });

  it("allows a server by CIDR or by host name", async () => {
    const byCidr = await safeFetch(ctx({ allow: ["127.0.0.0/8"] }), get(`${base}/hello`));
    expect(byCidr.status).toBe(201);
    const byName = await safeFetch(ctx({ allow: ["localhost"] }), get(`http://localhost:${port}/hello`));
    expect(byName.status).toBe(201);
  });

  it("decodes a gzip body", async () => {
    const res = await safeFetch(ctx(), get(`${base}/gzip`));
    expect(Buffer.from(res.body).toString()).toBe("z".repeat(5000));
  });

  it("follows up to 5 redirects and reports the final URL", async () => {
    const res = await safeFetch(ctx(), get(`${base}/chain?n=5`));
    expect(Buffer.from(res.body).toString()).toBe("end of chain");
    expect(res).toMatchObject({ url: `${base}/chain?n=0`, redirected: true });
    await expect(safeFetch(ctx(), get(`${base}/chain?n=6`))).rejects.toThrow(/more than 5 redirects/);
  });

  it("returns the redirect itself with redirect: manual and rejects with redirect: error", async () => {
    const manual = await safeFetch(ctx(), get(`${base}/chain?n=1`, { redirect: "manual" }));
    expect(manual.status).toBe(302);
    expect(manual.headers).toContainEqual(["location", "/chain?n=0"]);
    await expect(safeFetch(ctx(), get(`${base}/chain?n=1`, { redirect: "error" }))).rejects.toThrow(
      /redirect is "error"/,
    );
  });

  it("turns a POST into a GET without body on a 303", async () => {
    const to = encodeURIComponent(`${base}/echo`);
    const res = await safeFetch(
      ctx(),
      get(`${base}/redirect?status=303&to=${to}`, {
        method: "POST",
        headers: [["content-type", "text/plain"]],
        body: new TextEncoder().encode("payload"),
      }),
    );
    const echoed = JSON.parse(Buffer.from(res.body).toString());
    expect(echoed).toMatchObject({ method: "GET", body: "" });
    expect(echoed.headers["content-type"]).toBeUndefined();
  });

  it("connects to the checked address, not to a fresh DNS answer for the name", async () => {
    // "rebinding.invalid" resolves to nothing: the hop can only succeed through the pinned address.
    const url = new URL(`http://rebinding.invalid:${port}/hello`);
    const res = await sendRequest(
      {
        url,
        dest: { hostname: url.hostname, port, addresses: [{ address: "127.0.0.1", family: 4 }] },
        method: "GET",
        headers: [],
      },
      { signal: new AbortController().signal, maxBytes: 1000, readBody: () => true },
    );
    expect(Buffer.from(res.body).toString()).toBe("hello there");
  });
});

describe("safe fetch limits", () => {
  it("fails a response slower than timeoutMs", async () => {
    const started = Date.now();
    await expect(safeFetch(ctx({ timeoutMs: 300 }), get(`${base}/slow`))).rejects.toThrow(
      `fetch to 127.0.0.1:${port} timed out after 300 ms`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("fails a body larger than maxResponseBytes, with or without content-length", async () => {
    await expect(safeFetch(ctx({ maxResponseBytes: 1000 }), get(`${base}/big`))).rejects.toThrow(
      "Response body larger than 1000 bytes",
    );
    await expect(safeFetch(ctx({ maxResponseBytes: 1000 }), get(`${base}/gzip`))).rejects.toThrow(
      "Response body larger than 1000 bytes",
    );
    const declared = await safeFetch(ctx({ maxResponseBytes: 1000 }), get(`${base}/echo`)).catch((e) => e);
    expect(declared).not.toBeInstanceOf(Error); // a small body still passes
  });

  it("ends a request in flight when the execution's signal aborts", async () => {
    const execution = new AbortController();
    const arrived = new Promise<void>((resolve) => {
      slowRequestArrived = resolve;
    });
    const pending = safeFetch(ctx({}, execution.signal), get(`${base}/slow`));
    await arrived;
    execution.abort();
    await expect(pending).rejects.toThrow(`fetch to 127.0.0.1:${port} aborted: the execution ended`);
  });
});

describe("safe fetch refusals", () => {
  const refused: [url: string, message: string][] = [
    ["http://127.0.0.1/", "fetch to 127.0.0.1 refused: loopback addresses are not allowed"],
    ["http://[::1]:8080/", "fetch to [::1]:8080 refused: loopback addresses are not allowed"],
    ["http://169.254.169.254/latest/meta-data/", "fetch to 169.254.169.254 refused: link-local addresses"],
    ["http://10.0.0.1/", "fetch to 10.0.0.1 refused: private addresses"],
    ["http://0.0.0.0/", "fetch to 0.0.0.0 refused: unspecified addresses"],
    ["http://[::]/", "fetch to [::] refused: unspecified addresses"],
    ["http://2130706433/", "fetch to 127.0.0.1 refused: loopback"],
    ["http://0x7f.1/", "fetch to 127.0.0.1 refused: loopback"],
    ["http://0177.0.0.1/", "fetch to 127.0.0.1 refused: loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[::ffff:a9fe:a9fe]/", "link-local"],
    ["http://172.16.0.1/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://[fd00::1]/", "private"],
    ["http://[fe80::1]/", "link-local"],
    ["http://100.64.0.1/", "carrier-grade NAT"],
    ["http://224.0.0.1/", "multicast"],
    ["http://255.255.255.255/", "broadcast"],
  ];

  it.each(refused)("refuses %s before any connection", async (url, message) => {
    connectAttempts.length = 0;
    await expect(safeFetch(ctx({ allow: [] }), get(url))).rejects.toThrow(message);
    expect(connectAttempts).toEqual([]);
  });

  it("the allow-list lets a private address through to a connection (stopped here by the test guard)", async () => {
    // Proves the "no connection" assertions above are not vacuous.
    connectAttempts.length = 0;
    await expect(safeFetch(ctx({ allow: ["10.0.0.0/8"] }), get("http://10.0.0.1/"))).rejects.toThrow(
      "test guard: no connection to 10.0.0.1",
    );
    expect(connectAttempts).toEqual(["10.0.0.1"]);
  });

  it("says how to allow a refused address", async () => {
    await expect(safeFetch(ctx({ allow: [] }), get("http://127.0.0.1/"))).rejects.toThrow(
      "fetch to 127.0.0.1 refused: loopback addresses are not allowed (allow them with functions.fetch.allow)",
    );
  });

  it("refuses localhost after resolving it", async () => {
    connectAttempts.length = 0;
    await expect(safeFetch(ctx({ allow: [] }), get(`http://localhost:${port}/hello`))).rejects.toThrow(
      /fetch to localhost:\d+ \((127\.0\.0\.1|::1)\) refused: loopback addresses are not allowed/,
    );
    expect(connectAttempts).toEqual([]);
  });

  it("an allow entry with a port admits only that server", async () => {
    await expect(safeFetch(ctx(), get(`http://127.0.0.1:${port + 1}/`))).rejects.toThrow(/refused: loopback/);
    await expect(safeFetch(ctx(), get(`http://127.0.0.2:${port}/`))).rejects.toThrow(/refused: loopback/);
  });

  it.each([
    ["127.0.0.1 on another port", () => `http://127.0.0.1:${port + 1}/`, "loopback"],
    ["127.0.0.2", () => `http://127.0.0.2:${port}/`, "loopback"],
    ["a name resolving to loopback", () => `http://localhost:${port + 1}/`, "loopback"],
    ["169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", "link-local"],
    ["10.0.0.1", () => "http://10.0.0.1/", "private"],
  ])("a redirect from the allowed server into %s is refused before connecting", async (_, to, kind) => {
    connectAttempts.length = 0;
    const url = `${base}/redirect?to=${encodeURIComponent(to())}`;
    await expect(safeFetch(ctx(), get(url))).rejects.toThrow(`refused: ${kind} addresses are not allowed`);
    expect(connectAttempts).toEqual(["127.0.0.1"]); // only the first hop, to the allowed server
  });

  it("refuses schemes other than http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.com/", "data:text/plain,hi"]) {
      await expect(safeFetch(ctx(), get(url))).rejects.toThrow("only http: and https: URLs can be fetched");
    }
    const to = encodeURIComponent("file:///etc/passwd");
    await expect(safeFetch(ctx(), get(`${base}/redirect?to=${to}`))).rejects.toThrow(
      "only http: and https: URLs can be fetched",
    );
  });

  it("refuses a name when any of its addresses is private", async () => {
    // localhost resolves to loopback only; the check runs over every address the name has.
    await expect(resolveDestination(new URL("http://localhost/"), [])).rejects.toThrow(/refused: loopback/);
  });
});
