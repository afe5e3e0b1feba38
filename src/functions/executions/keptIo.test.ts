import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { deploy } from "../invoke/testing/deploy.js";

const SECRET = "sk_live_7f3a9c2e5b1d";

forEachStore((store) => {
  describe("an execution's input and result", () => {
    let server: TestServer;
    let quiet: TestServer;
    let user: Awaited<ReturnType<typeof createUser>>;
    const admin = (s = server) => ({ token: s.adminKey });
    const run = async (id: string | null, s = server) => {
      const res = await s.api("GET", `/api/executions/${id}`, admin(s));
      expect(res.status).toBe(200);
      return res.body;
    };
    const row = (id: string | null) =>
      server.platform.deps.db
        .selectFrom("executions")
        .select(["input", "result"])
        .where("id", "=", id!)
        .executeTakeFirstOrThrow();

    beforeAll(async () => {
      [server, quiet] = await Promise.all([
        startServer(store, { config: { functions: { workers: 1, keepBytes: 2048 } } }),
        startServer(store, { config: { functions: { workers: 1, keepBytes: 0 } } }),
      ]);
      user = await createUser(server);
      expect(
        (await server.api("PUT", "/api/secrets/STRIPE_KEY", { ...admin(), body: { value: SECRET } })).status,
      ).toBeLessThan(300);
      const echo = `export default async function (event) { return { got: event.n, twice: [event.n, event.n] }; }`;
      await Promise.all([
        deploy(server, "echo", echo, { access: "public" }),
        deploy(quiet, "echo", echo, { access: "public" }),
        deploy(server, "big", `export default (event) => ({ text: "z".repeat(event.size) })`, {
          access: "public",
        }),
        deploy(server, "leak", `export default (event) => ({ key: env.STRIPE_KEY, saw: event.card })`, {
          access: "public",
        }),
        deploy(server, "fail", `export default () => { throw new Error("nope"); }`, { access: "public" }),
        deploy(
          server,
          "hook",
          `Deno.serve(async (req) => new Response("got " + (await req.text()), {
             status: 201, headers: { "content-type": "text/plain", "set-cookie": "s=1" } }));`,
          { access: "public" },
        ),
      ]);
    });
    afterAll(async () => {
      await Promise.all([server?.close(), quiet?.close()]);
    });

    it("a call keeps its payload as input and its returned value as result", async () => {
      const res = await server.api("POST", "/api/functions/echo/invoke", {
        token: user.token,
        body: { n: 7 },
      });
      expect(res.status).toBe(200);
      const body = await run(res.headers.get("x-execution-id"));
      expect(body.input).toEqual({ payload: { n: 7 } });
      expect(body.result).toEqual({ value: { got: 7, twice: [7, 7] } });
    });

    it("an HTTP call keeps method, URL, headers and body, without its credentials", async () => {
      const res = await server.api("POST", "/functions/hook?x=1", {
        token: user.token,
        headers: { cookie: "session=abc123", "x-api-key": "k-123456", "content-type": "text/plain" },
        rawBody: "hello there",
      });
      expect(res.status).toBe(201);
      const body = await run(res.headers.get("x-execution-id"));
      expect(body.trigger).toBe("http");
      expect(body.input).toEqual({
        request: {
          method: "POST",
          url: expect.stringMatching(/\/functions\/hook\?x=1$/),
          headers: expect.objectContaining({ "content-type": "text/plain" }),
          bodyBytes: 11,
          body: "hello there",
        },
      });
      const headers = Object.keys(body.input.request.headers);
      for (const name of ["authorization", "cookie", "x-api-key"]) expect(headers).not.toContain(name);
      expect(JSON.stringify(body)).not.toContain(user.token);
      expect(body.result).toEqual({
        response: {
          status: 201,
          headers: { "content-type": "text/plain" },
          bodyBytes: 15,
          body: "got hello there",
        },
      });
    });

    it("an event run keeps the event it ran for and its data", async () => {
      const res = await server.api("POST", "/api/functions/echo/invoke?event=order_placed", {
        ...admin(),
        body: { n: 3 },
      });
      expect(res.status).toBe(200);
      const body = await run(res.headers.get("x-execution-id"));
      expect(body.input).toEqual({
        event: { type: "order_placed", id: expect.any(String) },
        payload: { n: 3 },
      });
    });

    it("a scheduled run keeps the tick it ran for and the schedule's payload", async () => {
      const created = await server.api("POST", "/api/schedules", {
        ...admin(),
        body: { function: "echo", schedule: "0 3 * * *", name: "nightly-echo", payload: { n: 9 } },
      });
      expect(created.status).toBe(201);
      const ran = await server.api("POST", "/api/schedules/nightly-echo/run", admin());
      expect(ran.status).toBe(200);
      const body = await run(ran.body.executionId);
      expect(body.input).toEqual({
        schedule: expect.objectContaining({ name: "nightly-echo", manual: true, tickId: expect.any(String) }),
        payload: { n: 9 },
      });
      expect(body.result).toEqual({ value: { got: 9, twice: [9, 9] } });
    });

    it("what is over functions.keepBytes is kept cut, with the size of the whole", async () => {
      const res = await server.api("POST", "/api/functions/big/invoke", {
        body: { size: 50000, pad: "p".repeat(3000) },
      });
      expect(res.status).toBe(200);
      const body = await run(res.headers.get("x-execution-id"));
      expect(body.input).toEqual({ truncated: true, bytes: expect.any(Number), text: expect.any(String) });
      expect(body.input.bytes).toBe(
        Buffer.byteLength(JSON.stringify({ payload: { size: 50000, pad: "p".repeat(3000) } })),
      );
      expect(body.input.text.startsWith('{"payload":{"size":50000,"pad":"ppp')).toBe(true);
      expect(Buffer.byteLength(body.input.text)).toBe(2048);
      expect(body.result).toEqual({
        truncated: true,
        bytes: Buffer.byteLength(JSON.stringify({ value: { text: "z".repeat(50000) } })),
        text: `{"value":{"text":"${"z".repeat(2048 - 18)}`,
      });
    });

    it("a failed run keeps its input and no result", async () => {
      const res = await server.api("POST", "/api/functions/fail/invoke", { body: { why: "testing" } });
      expect(res.status).toBe(500);
      const body = await run(res.body.error.details.executionId);
      expect(body).toMatchObject({ status: "error", error: "nope", input: { payload: { why: "testing" } } });
      expect(body.result).toBeNull();
    });

    it("secret values are hidden in the stored input and result, as in logs", async () => {
      const res = await server.api("POST", "/api/functions/leak/invoke", {
        body: { card: `pay with ${SECRET}`, quoted: `"${SECRET}"` },
      });
      expect(res.status).toBe(200);
      const id = res.headers.get("x-execution-id");
      const stored = await row(id);
      expect(stored.input).toContain("[secret]");
      expect(stored.result).toContain("[secret]");
      expect(`${stored.input} ${stored.result}`).not.toContain(SECRET);
      const body = await run(id);
      expect(JSON.stringify(body)).not.toContain(SECRET);
      expect(body.result).toEqual({ value: { key: "[secret]", saw: "pay with [secret]" } });
    });

    it("the list of executions carries neither input nor result", async () => {
      await server.api("POST", "/api/functions/echo/invoke", { body: { n: 1 } });
      const list = await server.api("GET", "/api/executions?function=echo", admin());
      expect(list.body.items.length).toBeGreaterThan(0);
      for (const item of list.body.items) {
        expect(item).not.toHaveProperty("input");
        expect(item).not.toHaveProperty("result");
      }
    });

    it("functions.keepBytes 0 keeps nothing", async () => {
      const res = await quiet.api("POST", "/api/functions/echo/invoke", { body: { n: 2 } });
      expect(res.status).toBe(200);
      const body = await run(res.headers.get("x-execution-id"), quiet);
      expect(body).toMatchObject({ status: "success", input: null, result: null });
      const stored = await quiet.platform.deps.db
        .selectFrom("executions")
        .select(["input", "result"])
        .where("id", "=", body.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ input: null, result: null });
    });
  });
});
