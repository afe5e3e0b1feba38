// The function forms of SPEC §3 and what a function sees inside its isolate: event and context,
// the `backend` API (synchronous and awaited), secrets, console, timers and Web Request/Response.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import {
  defaultExport,
  makeJob,
  moduleBundle,
  noBridge,
  recordingBridge,
  startRuntime,
} from "./testing/runtimeFixtures.js";

const decode = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString("utf8");

describe("function runtime: forms and the API inside a function", () => {
  let runtime: FunctionRuntime;
  beforeAll(() => {
    runtime = startRuntime();
  });
  afterAll(async () => runtime?.close());

  it("runs an `export default async function (event, context)` with the call's payload and context", async () => {
    const code = defaultExport(`async function (event, context) {
      return { sum: event.a + event.b, trigger: context.trigger, user: context.user,
               id: context.executionId, name: context.functionName };
    }`);
    const job = makeJob(code, {
      name: "add",
      input: { trigger: "call", payload: { a: 2, b: 3 }, caller: { id: "u1", email: "a@b.c", role: "user" } },
    });
    const outcome = await runtime.execute(job, noBridge);
    expect(outcome.status).toBe("success");
    expect(outcome.result).toEqual({
      sum: 5,
      trigger: "call",
      user: { id: "u1", email: "a@b.c", role: "user" },
      id: job.executionId,
      name: "add",
    });
    expect(outcome.resultSize).toBe(Buffer.byteLength(JSON.stringify(outcome.result)));
  });

  it("runs a classic script whose top-level function is the handler (seed 000), exported as default by deploy", async () => {
    const bridge = recordingBridge({
      "records.query": () => [
        { id: "1", email: "ann@example.com" },
        { id: "2", email: "bob@example.com" },
      ],
      "email.send": () => ({ id: "m" }),
    });
    const code = moduleBundle(`
      // This function runs every day at 9 AM
      function handleTrialExpiration() {
        // Find users whose trial ended
        const users = backend.query('users', {
          trialEndsAt: { $lte: new Date() },
          isPaid: false
        });
        users.forEach(user => {
          backend.sendEmail(user.email, 'Your trial is ending');
        });
        return users.length;
      }
      return { default: handleTrialExpiration };`);
    const outcome = await runtime.execute(makeJob(code, { form: "classic" }), bridge);
    expect(outcome.status).toBe("success");
    expect(outcome.result).toBe(2);
    expect(bridge.calls.map((c) => c.op)).toEqual(["records.query", "email.send", "email.send"]);
    const [collection, filter] = bridge.calls[0]!.args as [string, { trialEndsAt: { $lte: string } }];
    expect(collection).toBe("users");
    // A Date argument reaches the server as an ISO string.
    expect(filter.trialEndsAt.$lte).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(bridge.calls[1]).toEqual({
      op: "email.send",
      args: ["ann@example.com", "Your trial is ending"],
      as: "service",
    });
  });

  it("runs `handler(request, context)` (seed 002): a PRE handler blocks a bad email with allow: false", async () => {
    const code = moduleBundle(`
      function isValidEmail(email) { return /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(email); }
      function handler(request, context) {
        const event_data = context.event_data;
        if (!isValidEmail(event_data["email"])) {
          return { allow: false, message: 'Invalid email address' };
        }
        return { allow: true, type: context.event_type, same: request === event_data };
      }
      return { handler };`);
    const event = (email: string) => ({ id: "ev1", type: "PRE_USER_CREATE", data: { email } });
    const bad = await runtime.execute(
      makeJob(code, { form: "handler", input: { trigger: "event", event: event("not-an-email") } }),
      noBridge,
    );
    expect(bad.status).toBe("success");
    expect(bad.result).toEqual({ allow: false, message: "Invalid email address" });
    const good = await runtime.execute(
      makeJob(code, { form: "handler", input: { trigger: "event", event: event("ann@example.com") } }),
      noBridge,
    );
    expect(good.result).toEqual({ allow: true, type: "PRE_USER_CREATE", same: true });
  });

  it("runs a Deno.serve function with a Web Request and passes its Response through (seed 001)", async () => {
    const code = `
      Deno.serve(async (req) => {
        try {
          const base44 = createClientFromRequest(req);
          const user = await base44.auth.me();
          if (!user) {
            return Response.json({ error: "Unauthorized" }, { status: 401 });
          }
          const { name } = await req.json();
          return Response.json({ message: \`Hello, \${name || user.full_name}!\` });
        } catch (error) {
          return Response.json({ error: error.message }, { status: 500 });
        }
      });`;
    const request = {
      method: "POST",
      url: "http://localhost:8787/functions/hello",
      headers: [["content-type", "application/json"]] as [string, string][],
      body: new TextEncoder().encode(JSON.stringify({ name: "" })),
    };
    const anonymous = recordingBridge({ "auth.me": () => null });
    const denied = await runtime.execute(
      makeJob(code, { form: "deno", input: { trigger: "http", request } }),
      anonymous,
    );
    expect(denied.status).toBe("error");
    expect(denied.response?.status).toBe(401);
    expect(JSON.parse(decode(denied.response?.body))).toEqual({ error: "Unauthorized" });
    expect(anonymous.calls).toEqual([{ op: "auth.me", args: [], as: "caller" }]);

    const signedIn = recordingBridge({ "auth.me": () => ({ id: "u1", full_name: "Ann Lee" }) });
    const ok = await runtime.execute(
      makeJob(code, { form: "deno", input: { trigger: "http", request } }),
      signedIn,
    );
    expect(ok.status).toBe("success");
    expect(ok.response?.status).toBe(200);
    expect(ok.response?.headers).toContainEqual(["content-type", "application/json"]);
    expect(JSON.parse(decode(ok.response?.body))).toEqual({ message: "Hello, Ann Lee!" });

    // Invoked as a call: the payload arrives as the Request's JSON body.
    const called = await runtime.execute(
      makeJob(code, { form: "deno", input: { trigger: "call", payload: { name: "Bob" } } }),
      signedIn,
    );
    expect(JSON.parse(decode(called.response?.body))).toEqual({ message: "Hello, Bob!" });
  });

  it("gives an HTTP-triggered default function method, path, query, headers, parsed body and raw body", async () => {
    const code = defaultExport(`async (event, context) => ({
      event, isRequest: context.request instanceof Request, text: await context.request.text() })`);
    const raw = JSON.stringify({ order: 7 });
    const outcome = await runtime.execute(
      makeJob(code, {
        input: {
          trigger: "http",
          request: {
            method: "post",
            url: "http://localhost/functions/hook?x=1&tag=a&tag=b&q=hello+world",
            headers: [
              ["Content-Type", "application/json"],
              ["X-Signature", "abc"],
            ],
            body: new TextEncoder().encode(raw),
          },
        },
      }),
      noBridge,
    );
    expect(outcome.status).toBe("success");
    expect(outcome.result).toEqual({
      event: {
        method: "POST",
        path: "/functions/hook",
        query: { x: "1", tag: ["a", "b"], q: "hello world" },
        headers: { "content-type": "application/json", "x-signature": "abc" },
        body: { order: 7 },
        rawBody: raw,
      },
      isRequest: true,
      text: raw,
    });
  });

  it("hands the function a binary request body and passes its binary Response body back, byte for byte", async () => {
    const code = defaultExport(`async (event, context) => {
      const bytes = new Uint8Array(await context.request.arrayBuffer());
      return new Response(bytes.map((b) => 255 - b), { headers: { "content-type": "application/octet-stream" } });
    }`);
    const everyByte = new Uint8Array(Array.from({ length: 256 }, (_, i) => i));
    const outcome = await runtime.execute(
      makeJob(code, {
        input: {
          trigger: "http",
          request: { method: "POST", url: "http://localhost/functions/bytes", headers: [], body: everyByte },
        },
      }),
      noBridge,
    );
    expect(outcome.status, JSON.stringify(outcome.error)).toBe("success");
    expect(outcome.response?.body).toEqual(everyByte.map((b) => 255 - b));
  });

  it("passes a Response returned by a default function through as the HTTP answer", async () => {
    const code = defaultExport(
      `() => new Response("<p>hi</p>", { status: 201, headers: { "content-type": "text/html", "x-a": "1" } })`,
    );
    const outcome = await runtime.execute(makeJob(code), noBridge);
    expect(outcome.status).toBe("success");
    expect(outcome.response?.status).toBe(201);
    expect(outcome.response?.headers).toEqual(expect.arrayContaining([["x-a", "1"]]));
    expect(decode(outcome.response?.body)).toBe("<p>hi</p>");
  });

  it("returns the same array from a synchronous and an awaited backend.query", async () => {
    const docs = [
      { id: "1", title: "a" },
      { id: "2", title: "b" },
    ];
    const bridge = recordingBridge({ "records.query": () => docs });
    const code = defaultExport(`async () => {
      const direct = backend.query("notes", { done: false });
      const awaited = await backend.query("notes", { done: false });
      const titles = [];
      direct.forEach((d) => titles.push(d.title));
      return { direct, awaited, titles };
    }`);
    const outcome = await runtime.execute(makeJob(code), bridge);
    expect(outcome.result).toEqual({ direct: docs, awaited: docs, titles: ["a", "b"] });
    expect(bridge.calls).toHaveLength(2);
  });

  it("maps every backend op to the bridge, as the service or as the caller", async () => {
    const bridge = recordingBridge({
      "records.get": ([, id]) => ({ id }),
      "records.create": ([, data]) => ({ id: "n1", ...(data as object) }),
      "records.update": ([, id, changes]) => ({ id, ...(changes as object) }),
      "records.delete": () => true,
      "records.count": () => 3,
      "records.query": () => [],
      "functions.invoke": ([name, payload]) => ({ name, payload }),
      "auth.me": () => ({ id: "u1" }),
    });
    const code = defaultExport(`async (event, context) => {
      const client = createClientFromRequest(context.request);
      return [
        backend.get("notes", "a"),
        backend.create("notes", { t: 1 }),
        backend.update("notes", "a", { t: 2 }),
        backend.delete("notes", "a"),
        backend.count("notes"),
        await backend.executeFunction("other", { x: 1 }),
        await backend.functions.invoke("other", { x: 2 }),
        await client.auth.me(),
        client.query("notes", { mine: true }),
        client.asServiceRole.count("notes", {}),
        await client.entities.Task.filter({ done: true }, "-createdAt", 5),
      ];
    }`);
    const outcome = await runtime.execute(makeJob(code), bridge);
    expect(outcome.status).toBe("success");
    expect(bridge.calls).toEqual([
      { op: "records.get", args: ["notes", "a"], as: "service" },
      { op: "records.create", args: ["notes", { t: 1 }], as: "service" },
      { op: "records.update", args: ["notes", "a", { t: 2 }], as: "service" },
      { op: "records.delete", args: ["notes", "a"], as: "service" },
      { op: "records.count", args: ["notes"], as: "service" },
      { op: "functions.invoke", args: ["other", { x: 1 }], as: "service" },
      { op: "functions.invoke", args: ["other", { x: 2 }], as: "service" },
      { op: "auth.me", args: [], as: "caller" },
      { op: "records.query", args: ["notes", { mine: true }], as: "caller" },
      { op: "records.count", args: ["notes", {}], as: "service" },
      { op: "records.query", args: ["Task", { done: true }, { sort: "-createdAt", limit: 5 }], as: "caller" },
    ]);
    expect((outcome.result as unknown[])[5]).toEqual({ name: "other", payload: { x: 1 } });
  });

  it("surfaces a bridge error as an exception inside the function, with the server's message", async () => {
    const bridge = recordingBridge({
      "records.create": () => {
        throw Object.assign(new Error("Collection name must be lowercase"), { code: "invalid_input" });
      },
    });
    const caught = defaultExport(`() => {
      try { backend.create("Bad", {}); return "no error"; }
      catch (e) { return { message: e.message, code: e.code, isError: e instanceof Error }; }
    }`);
    const outcome = await runtime.execute(makeJob(caught), bridge);
    expect(outcome.result).toEqual({
      message: "Collection name must be lowercase",
      code: "invalid_input",
      isError: true,
    });

    const uncaught = defaultExport(`async () => { await backend.create("Bad", {}); }`);
    const failed = await runtime.execute(makeJob(uncaught), bridge);
    expect(failed.status).toBe("error");
    expect(failed.error?.message).toBe("Collection name must be lowercase");
    expect(failed.error?.stack).toContain("file:///functions/fn.js");
  });

  it("reads secrets through env and Deno.env, which the function cannot change", async () => {
    const code = defaultExport(`() => {
      let setError = null;
      try { Deno.env.set("API_KEY", "x"); } catch (e) { setError = e.message; }
      try { env.API_KEY = "changed"; } catch {}
      const assigned = env.API_KEY === "changed";
      return { a: env.API_KEY, b: Deno.env.get("API_KEY"), missing: Deno.env.get("NOPE") ?? null,
               all: Deno.env.toObject(), has: Deno.env.has("API_KEY"), setError: !!setError, assigned };
    }`);
    const outcome = await runtime.execute(makeJob(code, { env: { API_KEY: "k-123" } }), noBridge);
    expect(outcome.result).toEqual({
      a: "k-123",
      b: "k-123",
      missing: null,
      all: { API_KEY: "k-123" },
      has: true,
      setError: true,
      assigned: false,
    });
  });

  it("captures console output as log lines with level and time", async () => {
    const code = defaultExport(`() => {
      console.log("hello", { a: 1, b: [1, 2] }, 3);
      console.info("%s is %d years", "Ann", 42);
      console.warn("careful");
      console.error(new Error("bad thing"));
      console.debug("details");
      return null;
    }`);
    const outcome = await runtime.execute(makeJob(code), noBridge);
    expect(outcome.logs.map((l) => [l.level, l.message.split("\n")[0]])).toEqual([
      ["info", "hello { a: 1, b: [ 1, 2 ] } 3"],
      ["info", "Ann is 42 years"],
      ["warn", "careful"],
      ["error", "Error: bad thing"],
      ["debug", "details"],
    ]);
    for (const line of outcome.logs) expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    expect(outcome.logsTruncated).toBe(false);
  });

  it("runs timers: setTimeout, setInterval with clearInterval, queueMicrotask", async () => {
    const code = defaultExport(`() => new Promise((resolve) => {
      const order = [];
      queueMicrotask(() => order.push("micro"));
      let ticks = 0;
      const id = setInterval(() => { ticks++; if (ticks === 3) { clearInterval(id); order.push("interval"); } }, 5);
      const cancelled = setTimeout(() => order.push("never"), 10);
      clearTimeout(cancelled);
      setTimeout((x) => { order.push("timeout:" + x); resolve({ order, ticks }); }, 40, "arg");
    })`);
    const outcome = await runtime.execute(makeJob(code), noBridge);
    expect(outcome.result).toEqual({ order: ["micro", "interval", "timeout:arg"], ticks: 3 });
  });

  it("has the Web APIs of the platform: crypto.subtle HMAC, randomUUID, URL, TextEncoder, atob", async () => {
    const code = defaultExport(`async () => {
      const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"),
        { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
      const body = new TextEncoder().encode('{"id":1}');
      const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, body));
      const hex = [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
      const ok = await crypto.subtle.verify("HMAC", key, sig, body);
      const tampered = await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode('{"id":2}'));
      return { hex, ok, tampered, uuid: /^[0-9a-f-]{36}$/.test(crypto.randomUUID()),
               host: new URL("/x?y=1", "https://example.com").host, b64: atob(btoa("hi")) };
    }`);
    const outcome = await runtime.execute(makeJob(code), noBridge);
    const { createHmac } = await import("node:crypto");
    expect(outcome.result).toEqual({
      hex: createHmac("sha256", "secret").update('{"id":1}').digest("hex"),
      ok: true,
      tampered: false,
      uuid: true,
      host: "example.com",
      b64: "hi",
    });
  });

  it("maps stack positions in errors and logs back to the developer's TypeScript with the source map", async () => {
    const { transform } = await import("esbuild");
    const source = [
      "interface Order { total: number }",
      "export default async function (event: Order) {",
      '  console.log(new Error("logged").stack);',
      '  if (event.total < 0) throw new RangeError("negative total");',
      "  return event.total;",
      "}",
    ].join("\n");
    const bundle = await transform(source, {
      loader: "ts",
      format: "iife",
      globalName: "__backendModule",
      sourcemap: "external",
      sourcefile: "functions/orders/entry.ts",
    });
    const job = makeJob(bundle.code, { name: "orders", input: { trigger: "call", payload: { total: -1 } } });
    job.fn.sourceMap = bundle.map;
    const outcome = await runtime.execute(job, noBridge);
    expect(outcome.error?.message).toBe("RangeError: negative total");
    expect(outcome.error?.stack).toContain("functions/orders/entry.ts:4:");
    expect(outcome.error?.stack).not.toContain("file:///functions/orders.js");
    expect(outcome.logs[0]?.message).toContain("functions/orders/entry.ts:3:");
  });

  it("reports a thrown error with its message and stack, and a missing handler clearly", async () => {
    const thrown = await runtime.execute(
      makeJob(defaultExport(`() => { throw new TypeError("amount must be positive"); }`)),
      noBridge,
    );
    expect(thrown.status).toBe("error");
    expect(thrown.error?.message).toBe("TypeError: amount must be positive");
    expect(thrown.error?.stack).toMatch(/TypeError: amount must be positive\n\s+at /);

    const none = await runtime.execute(makeJob(moduleBundle("return {};")), noBridge);
    expect(none.status).toBe("error");
    expect(none.error?.message).toMatch(/no default export/);

    const notServed = await runtime.execute(makeJob("var __backendModule = {};", { form: "deno" }), noBridge);
    expect(notServed.error?.message).toMatch(/did not call Deno\.serve/);

    const topLevel = await runtime.execute(makeJob(`throw new Error("broken at load");`), noBridge);
    expect(topLevel.status).toBe("error");
    expect(topLevel.error?.message).toBe("broken at load");
    expect(topLevel.error?.stack ?? "").not.toMatch(/isolated-vm|node:internal|dist\//);
  });
});
