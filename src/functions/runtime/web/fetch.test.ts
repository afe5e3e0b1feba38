import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAttempts, installConnectGuard } from "../worker/host/testing/connectGuard.js";
import { createWebIsolate, type WebIsolate } from "./testing/webIsolate.js";

// Headers, Request and Response are run as the same script in the isolate and against Node's own
// (undici) classes, and must give the same answers; fetch runs against a local server.
installConnectGuard();

const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

let web: WebIsolate;
let server: http.Server;
let base: string;
const execution = new AbortController();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/json") {
        res.writeHead(200, "Fine", [
          ["content-type", "application/json"],
          ["set-cookie", "a=1; Path=/"],
          ["set-cookie", "b=2"],
        ]);
        return res.end(JSON.stringify({ hello: "world", x: url.searchParams.get("x") }));
      }
      if (url.pathname === "/echo") {
        res.setHeader("content-type", "application/json");
        const body = Buffer.concat(chunks).toString();
        return res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
      }
      if (url.pathname === "/redirect") {
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/json?x=moved" });
        return res.end();
      }
      if (url.pathname === "/slow") return res.write("..."); // and never ends
      res.statusCode = 404;
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;
  web = await createWebIsolate({
    fetchPolicy: { allow: [`127.0.0.1:${port}`], timeoutMs: 2000, maxResponseBytes: 10_000 },
    signal: execution.signal,
  });
});

afterAll(() => {
  execution.abort();
  web.dispose();
  server.closeAllConnections();
  server.close();
});

async function sameAsNode(script: string): Promise<unknown> {
  const ours = await web.run(script);
  const node = await new AsyncFunction(script)();
  expect(ours).toEqual(node);
  return ours;
}

const COLLECT_ERRORS = `
  const errorsOf = (makers) => makers.map((make) => {
    try { make(); return "none"; } catch (e) { return e.constructor.name; }
  });`;

describe("Headers", () => {
  it("are case-insensitive, iterate sorted and combined, and keep set-cookie apart (as Node's)", async () => {
    const out = await sameAsNode(`${COLLECT_ERRORS}
      const h = new Headers({ "Content-Type": "text/plain", "X-A": "1" });
      h.append("x-a", "2");
      h.append("Set-Cookie", "a=1");
      h.append("set-cookie", "b=2");
      h.set("X-B", "  padded\\t");
      const out = {
        get: h.get("CONTENT-TYPE"), combined: h.get("x-a"), has: [h.has("X-B"), h.has("nope")],
        padded: h.get("x-b"), cookies: h.getSetCookie(), entries: [...h], keys: [...h.keys()],
        values: [...h.values()], missing: h.get("missing"),
      };
      h.delete("X-A");
      out.afterDelete = [...h];
      const each = [];
      h.forEach((v, k) => each.push(k + "=" + v));
      out.each = each;
      out.fromPairs = [...new Headers([["b", "2"], ["a", "1"]])];
      out.fromHeaders = [...new Headers(h)];
      out.errors = errorsOf([() => new Headers([["bad name", "v"]]), () => new Headers([["ok", "a\\nb"]]),
        () => new Headers([["only-one"]])]);
      return out;`);
    expect(out).toMatchObject({
      combined: "1, 2",
      cookies: ["a=1", "b=2"],
      errors: ["TypeError", "TypeError", "TypeError"],
    });
  });
});

describe("Request", () => {
  it("carries method, URL, headers and a body read once (as Node's)", async () => {
    const out = await sameAsNode(`${COLLECT_ERRORS}
      const req = new Request("https://example.com/hook?x=42&y=a%20b", {
        method: "post",
        headers: { "Content-Type": "application/json", "X-Signature": "abc" },
        body: JSON.stringify({ hello: "world" }),
      });
      const url = new URL(req.url);
      const out = {
        method: req.method, url: req.url, x: url.searchParams.get("x"), y: url.searchParams.get("y"),
        sig: req.headers.get("x-signature"), redirect: req.redirect, aborted: req.signal.aborted,
      };
      const copy = req.clone();
      out.json = await req.json();
      out.used = req.bodyUsed;
      out.readTwice = await req.text().then(() => "read", (e) => e.constructor.name);
      out.cloneText = await copy.text();
      out.deleteUpper = new Request("https://e.com", { method: "delete" }).method;
      out.formType = new Request("https://e.com", { method: "POST", body: new URLSearchParams({ a: "1 2" }) })
        .headers.get("content-type");
      out.formBody = await new Request("https://e.com", { method: "POST", body: new URLSearchParams({ a: "1 2" }) }).text();
      out.textType = new Request("https://e.com", { method: "POST", body: "hi" }).headers.get("content-type");
      out.bytes = [...new Uint8Array(await new Request("https://e.com", { method: "PUT", body: new Uint8Array([1, 2, 255]) }).arrayBuffer())];
      out.bufferType = new Request("https://e.com", { method: "PUT", body: new Uint8Array([1]).buffer }).headers.get("content-type");
      out.fromRequest = new Request(new Request("https://e.com/a", { method: "PUT", body: "z" }), { headers: { a: "b" } }).method;
      out.emptyText = await new Request("https://e.com").text();
      out.errors = errorsOf([
        () => new Request("/relative"),
        () => new Request("https://e.com", { method: "GET", body: "x" }),
        () => new Request("https://e.com", { method: "CONNECT" }),
        () => new Request("https://u:p@e.com/"),
      ]);
      return out;`);
    expect(out).toMatchObject({ method: "POST", x: "42", y: "a b", json: { hello: "world" } });
  });

  it("upper-cases only the standard methods, as the Fetch spec says", async () => {
    const methods = await web.run(
      `return ["patch", "get", "Delete", "custom"].map((m) => new Request("https://e.com", { method: m }).method)`,
    );
    expect(methods).toEqual(["patch", "GET", "DELETE", "custom"]);
  });
});

describe("Response", () => {
  it("builds JSON, text and byte responses, clones and reads once (as Node's)", async () => {
    const out = await sameAsNode(`${COLLECT_ERRORS}
      const unauthorized = Response.json({ error: "Unauthorized" }, { status: 401, headers: { "x-extra": "1" } });
      const out = {
        status: unauthorized.status, ok: unauthorized.ok, type: unauthorized.headers.get("content-type"),
        extra: unauthorized.headers.get("x-extra"), body: await unauthorized.json(),
      };
      const r = new Response("héllo", { status: 201, statusText: "Created" });
      out.r = [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, r.bodyUsed, r.headers.get("content-type")];
      const c = r.clone();
      out.text = await r.text();
      out.usedAfter = r.bodyUsed;
      out.again = await r.text().then(() => "read", (e) => e.constructor.name);
      out.cloneBytes = [...(await c.bytes())];
      out.arrayBuffer = [...new Uint8Array(await new Response(new Uint8Array([9, 8])).arrayBuffer())];
      out.empty = [await new Response().text(), new Response(null, { status: 204 }).status, new Response().bodyUsed];
      const redirect = Response.redirect("https://example.com/next", 301);
      out.redirect = [redirect.status, redirect.headers.get("location")];
      const error = Response.error();
      out.error = [error.type, error.status, error.ok];
      out.badJson = await new Response("{nope").json().then(() => "parsed", (e) => e.constructor.name);
      out.jsonDefaults = [Response.json([1]).status, Response.json(null).headers.get("content-type")];
      out.customType = Response.json({}, { headers: { "content-type": "application/vnd.api+json" } })
        .headers.get("content-type");
      out.number = await new Response(42).text();
      out.bom = await new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])).text();
      const upstream = new Response("proxied", { status: 202, statusText: "Accepted", headers: { "x-up": "1" } });
      const proxied = new Response(upstream.body, upstream);
      out.proxy = [proxied.status, proxied.statusText, proxied.headers.get("x-up"), await proxied.text(), upstream.bodyUsed];
      const streamed = new Response("abc");
      const chunks = [];
      for await (const chunk of streamed.body) chunks.push(...chunk);
      out.iterated = [chunks, streamed.bodyUsed];
      const reader = new Response("xy").body.getReader();
      const first = await reader.read();
      const second = await reader.read();
      out.reader = [first.done, [...first.value], second.done, second.value];
      out.nullBody = [new Response().body, new Response(null, { status: 204 }).body];
      const locked = new Response("z");
      locked.body.getReader();
      out.lockedText = await locked.text().then(() => "read", (e) => e.constructor.name);
      out.lockedClone = (() => { try { locked.clone(); return "cloned"; } catch (e) { return e.constructor.name; } })();
      out.errors = errorsOf([
        () => new Response("x", { status: 204 }),
        () => new Response("", { status: 99 }),
        () => new Response("", { status: 600 }),
        () => Response.redirect("https://e.com", 200),
        () => Response.json(undefined),
      ]);
      return out;`);
    expect(out).toMatchObject({
      status: 401,
      ok: false,
      body: { error: "Unauthorized" },
      type: "application/json",
    });
  });
});

describe("fetch", () => {
  it("reads status, headers and body from an allowed server", async () => {
    const out = await web.run(`
      const res = await fetch("${base}/json?x=1", { headers: { "X-Test": "yes" } });
      return {
        status: res.status, ok: res.ok, statusText: res.statusText, type: res.type, url: res.url,
        redirected: res.redirected, contentType: res.headers.get("content-type"),
        cookies: res.headers.getSetCookie(), body: await res.json(),
      };`);
    expect(out).toEqual({
      status: 200,
      ok: true,
      statusText: "Fine",
      type: "basic",
      url: `${base}/json?x=1`,
      redirected: false,
      contentType: "application/json",
      cookies: ["a=1; Path=/", "b=2"],
      body: { hello: "world", x: "1" },
    });
  });

  it("sends JSON, form, byte and Request bodies", async () => {
    const out = await web.run<
      Record<string, { method: string; headers: Record<string, string>; body: string }>
    >(`
      const echo = async (input, init) => (await fetch(input, init)).json();
      return {
        json: await echo("${base}/echo", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: 1 }) }),
        form: await echo("${base}/echo", { method: "POST", body: new URLSearchParams({ q: "a b" }) }),
        bytes: await echo("${base}/echo", { method: "PUT", body: new Uint8Array([104, 105]) }),
        request: await echo(new Request("${base}/echo", { method: "PATCH", body: "p", headers: { authorization: "Bearer t" } })),
      };`);
    expect(out.json).toMatchObject({
      method: "POST",
      body: '{"a":1}',
      headers: { "content-type": "application/json" },
    });
    expect(out.form).toMatchObject({
      body: "q=a+b",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    });
    expect(out.bytes).toMatchObject({ method: "PUT", body: "hi", headers: { "content-length": "2" } });
    expect(out.request).toMatchObject({ method: "PATCH", body: "p", headers: { authorization: "Bearer t" } });
  });

  it("follows a redirect and answers HEAD without a body", async () => {
    const out = await web.run(`
      const moved = await fetch("${base}/redirect");
      const head = await fetch("${base}/json", { method: "HEAD" });
      return [moved.url, moved.redirected, (await moved.json()).x, head.status, await head.text()];`);
    expect(out).toEqual([`${base}/json?x=moved`, true, "moved", 200, ""]);
  });

  it("rejects with a TypeError naming the rule for private addresses, also behind a redirect", async () => {
    connectAttempts.length = 0;
    const out = await web.run<[string, string][]>(`
      const results = [];
      for (const url of [
        "http://127.0.0.2/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "${base}/redirect?to=" + encodeURIComponent("http://169.254.169.254/latest/meta-data/"),
        "${base}/redirect?to=" + encodeURIComponent("http://10.0.0.1/"),
      ]) {
        try { await fetch(url); results.push(["fetched", url]); }
        catch (e) { results.push([e.constructor.name, e.message]); }
      }
      return results;`);
    const refusal = (host: string, kind: string) => [
      "TypeError",
      `fetch to ${host} refused: ${kind} addresses are not allowed (allow them with functions.fetch.allow)`,
    ];
    expect(out).toEqual([
      refusal("127.0.0.2", "loopback"),
      refusal("169.254.169.254", "link-local"),
      refusal("10.0.0.1", "private"),
      refusal("169.254.169.254", "link-local"),
      refusal("10.0.0.1", "private"),
    ]);
    expect(connectAttempts).toEqual(["127.0.0.1", "127.0.0.1"]); // the two first hops, nothing else
  });

  it("rejects with the signal's reason when aborted or timed out", async () => {
    const out = await web.run(`
      const reasonOf = (p) => p.then(() => "resolved", (e) => [e.name, e instanceof DOMException]);
      const pre = await reasonOf(fetch("${base}/json", { signal: AbortSignal.abort() }));
      const timedOut = await reasonOf(fetch("${base}/slow", { signal: AbortSignal.timeout(30) }));
      const controller = new AbortController();
      const pending = reasonOf(fetch("${base}/slow", { signal: controller.signal }));
      controller.abort(new Error("changed my mind"));
      const custom = await pending.then((r) => r, (e) => e.message);
      const mine = await fetch("${base}/slow", { signal: controller.signal }).catch((e) => e.message);
      return { pre, timedOut, custom, mine };`);
    expect(out).toEqual({
      pre: ["AbortError", true],
      timedOut: ["TimeoutError", true],
      custom: ["Error", false],
      mine: "changed my mind",
    });
  });
});
