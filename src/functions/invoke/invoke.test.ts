import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { createClient } from "../../sdk/index.js";
import { deploy } from "./testing/deploy.js";
import { rejection } from "../../sdk/testing/rejection.js";

forEachStore((store) => {
  describe("calling functions", () => {
    let server: TestServer;
    let user: Awaited<ReturnType<typeof createUser>>;

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1, payloadBytes: 10_000 } } });
      user = await createUser(server, { full_name: "Ada" });
      await Promise.all([
        deploy(
          server,
          "greet",
          `export default async function (event, context) {
             return { hello: event.name, trigger: context.trigger, caller: context.user && context.user.email };
           }`,
        ),
        deploy(server, "open", "export default () => ({ open: true })", { access: "public" }),
        deploy(server, "members", "export default () => ({ members: true })", { access: "user" }),
        deploy(server, "staff", "export default () => ({ staff: true })", { access: "admin" }),
        deploy(
          server,
          "echo",
          `export default async function (event) {
             return { method: event.method, path: event.path, query: event.query,
                      type: event.headers["content-type"], body: event.body, raw: event.rawBody };
           }`,
          { access: "public" },
        ),
        deploy(
          server,
          "made",
          `export default async function () {
             return new Response("made here", { status: 201, headers: { "x-made-by": "made", "content-type": "text/plain" } });
           }`,
          { access: "public" },
        ),
        deploy(
          server,
          "boom",
          `export default async function () { throw new Error("boom: the widget broke"); }`,
          {
            access: "public",
          },
        ),
        deploy(server, "stuck", "export default () => new Promise(() => {})", {
          access: "public",
          timeout: 300,
        }),
        deploy(server, "email/send", "export default (event) => ({ nested: true, to: event.to })", {
          access: "public",
        }),
      ]);
    });
    afterAll(async () => server?.close());

    it("a function called through the SDK answers its result, with the caller in its context", async () => {
      const client = createClient({ url: server.url, token: user.token });
      const result = await client.functions.invoke<{ hello: string; trigger: string; caller: string }>(
        "greet",
        {
          name: "Grace",
        },
      );
      expect(result).toEqual({ hello: "Grace", trigger: "call", caller: user.user.email });
      expect(await client.executeFunction("greet", { name: "Linus" })).toMatchObject({ hello: "Linus" });
    });

    it("over HTTP the function gets the method, path, query, headers and the body as sent", async () => {
      const res = await server.api("PUT", "/functions/echo/items/7?color=red&tag=a&tag=b", {
        rawBody: "plain words, not JSON",
        headers: { "content-type": "text/plain" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        method: "PUT",
        path: "/functions/echo/items/7",
        query: { color: "red", tag: ["a", "b"] },
        type: "text/plain",
        body: "plain words, not JSON",
        raw: "plain words, not JSON",
      });
      const json = await server.api("POST", "/functions/echo", { body: { a: [1, 2] } });
      expect(json.body).toMatchObject({ method: "POST", body: { a: [1, 2] }, raw: '{"a":[1,2]}' });
      const get = await server.api("GET", "/functions/echo");
      expect(get.body).toMatchObject({ method: "GET", body: null, raw: "" });
    });

    it("a Response the function returns is passed through with its status, headers and body", async () => {
      for (const path of ["/functions/made", "/api/functions/made/invoke"]) {
        const res = await server.api("POST", path, { body: {} });
        expect(res.status).toBe(201);
        expect(res.headers.get("x-made-by")).toBe("made");
        expect(res.headers.get("content-type")).toBe("text/plain");
        expect(res.body).toBe("made here");
        expect(res.headers.get("x-execution-id")).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it("access public lets anyone call; user needs a signed-in caller; admin needs an admin", async () => {
      const admin = await createUser(server, { full_name: "Root" });
      await server.api("PATCH", `/api/users/${admin.user.id}`, {
        token: server.adminKey,
        body: { role: "admin" },
      });
      const as = (token?: string) => createClient({ url: server.url, ...(token ? { token } : {}) });

      expect(await as().functions.invoke("open")).toEqual({ open: true });

      const anonymous = await rejection(as().functions.invoke("members"));
      expect(anonymous).toMatchObject({ status: 401, code: "unauthorized" });
      expect(anonymous.message).toContain("members");
      expect(await as(user.token).functions.invoke("members")).toEqual({ members: true });
      expect(await as(server.adminKey).functions.invoke("members")).toEqual({ members: true });

      expect(await rejection(as().functions.invoke("staff"))).toMatchObject({ status: 401 });
      const forbidden = await rejection(as(user.token).functions.invoke("staff"));
      expect(forbidden).toMatchObject({ status: 403, code: "forbidden" });
      expect(await as(server.adminKey).functions.invoke("staff")).toEqual({ staff: true });
      expect(await as(admin.token).functions.invoke("staff")).toEqual({ staff: true });

      // The same rules on the HTTP trigger, and nothing ran for the refused calls.
      expect((await server.api("GET", "/functions/staff")).status).toBe(401);
      expect((await server.api("GET", "/functions/staff", { token: user.token })).status).toBe(403);
      const runs = await server.api("GET", "/api/executions?function=staff", { token: server.adminKey });
      expect(runs.body.items.map((e: any) => e.caller).sort()).toEqual(["admin", admin.user.id].sort());
    });

    it("an unknown function is a 404 on every path, and nothing is recorded", async () => {
      const sdk = await rejection(
        createClient({ url: server.url, token: user.token }).functions.invoke("nope"),
      );
      expect(sdk).toMatchObject({ status: 404, code: "not_found", message: "No function named nope" });
      const http = await server.api("POST", "/functions/nope/deeper", { body: {} });
      expect(http.status).toBe(404);
      expect(http.body.error.message).toBe("No function named nope/deeper");
      const runs = await server.api("GET", "/api/executions?function=nope", { token: server.adminKey });
      expect(runs.body.total).toBe(0);
    });

    it("a thrown error reaches the caller as a JSON error with code function_error", async () => {
      const res = await server.api("POST", "/functions/boom", { body: {} });
      expect(res.status).toBe(500);
      expect(res.body.error).toMatchObject({ code: "function_error", message: "boom: the widget broke" });
      const error = await rejection(createClient({ url: server.url }).functions.invoke("boom"));
      expect(error).toMatchObject({ status: 500, code: "function_error", message: "boom: the widget broke" });
      const executionId = (error.details as { executionId: string }).executionId;
      const run = await server.api("GET", `/api/executions/${executionId}`, { token: server.adminKey });
      expect(run.body).toMatchObject({ function: "boom", status: "error", error: "boom: the widget broke" });
    });

    it("a function that never finishes ends at its timeout with a 504 function_timeout", async () => {
      const started = Date.now();
      const res = await server.api("POST", "/api/functions/stuck/invoke", { body: {} });
      expect(res.status).toBe(504);
      expect(res.body.error.code).toBe("function_timeout");
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it("a payload over functions.payloadBytes is refused with a 413 before anything runs", async () => {
      const big = { text: "x".repeat(20_000) };
      const call = await server.api("POST", "/api/functions/open/invoke", { body: big });
      expect(call.status).toBe(413);
      const http = await server.api("POST", "/functions/open", { body: big });
      expect(http.status).toBe(413);
      const bad = await server.api("POST", "/api/functions/open/invoke", { rawBody: "{not json" });
      expect(bad.status).toBe(400);
    });

    it("a nested name is reached plainly or URL-encoded, over the SDK and HTTP", async () => {
      const client = createClient({ url: server.url });
      expect(await client.functions.invoke("email/send", { to: "a@b.c" })).toEqual({
        nested: true,
        to: "a@b.c",
      });
      const encoded = await server.api("POST", "/api/functions/email%2Fsend/invoke", {
        body: { to: "x@y.z" },
      });
      expect(encoded.body).toEqual({ nested: true, to: "x@y.z" });
      const http = await server.api("POST", "/functions/email/send", { body: {} });
      expect(http.body).toEqual({ nested: true });
    });

    it("the event option is for admins: it runs the function as an event handler", async () => {
      await deploy(
        server,
        "on-signup",
        `export function handler(request, context) {
           return { type: context.event_type, data: context.event_data, trigger: context.trigger };
         }`,
      );
      const client = createClient({ url: server.url, token: server.adminKey });
      const result = await client.functions.invoke(
        "on-signup",
        { email: "a@b.c" },
        { event: "POST_USER_CREATE" },
      );
      expect(result).toEqual({ type: "POST_USER_CREATE", data: { email: "a@b.c" }, trigger: "event" });
      const refused = await rejection(
        createClient({ url: server.url, token: user.token }).functions.invoke(
          "on-signup",
          {},
          { event: "X" },
        ),
      );
      expect(refused.status).toBe(403);
    });
  });
});
