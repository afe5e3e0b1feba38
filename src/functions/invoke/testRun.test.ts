// POST /api/functions/:name/test: code that is not deployed is built and run once with a payload, its
// result, logs and duration answered, and nothing deployed; the run is recorded as version 0.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { deploy } from "./testing/deploy.js";

forEachStore((store) => {
  describe("test runs", () => {
    let server: TestServer;
    const test = (name: string, body: unknown, token = server.adminKey) =>
      server.api("POST", `/api/functions/${name}/test`, { token, body });

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
    });
    afterAll(async () => server?.close());

    it("runs code that is not deployed, answers its result, logs and duration, and deploys nothing", async () => {
      const res = await test("greeter", {
        files: {
          "entry.ts": `export default function (payload: { name: string }) {
            console.log("greeting", payload.name);
            return { message: \`Hello, \${payload.name}\` };
          }`,
        },
        payload: { name: "Ada" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: "success", result: { message: "Hello, Ada" } });
      expect(res.body.logs.map((l: { message: string }) => l.message)).toContain("greeting Ada");
      expect(res.body.durationMs).toBeGreaterThanOrEqual(0);
      expect((await server.api("GET", "/api/functions/greeter", { token: server.adminKey })).status).toBe(
        404,
      );
      const execution = await server.api("GET", `/api/executions/${res.body.executionId}`, {
        token: server.adminKey,
      });
      expect(execution.body).toMatchObject({ function: "greeter", version: 0, status: "success" });
    });

    it("tries edited code of a deployed function without changing what runs", async () => {
      await deploy(server, "quote", `export default () => "deployed";`);
      const tried = await test("quote", { files: { "entry.ts": `export default () => "edited";` } });
      expect(tried.body.result).toBe("edited");
      const called = await server.api("POST", "/api/functions/quote/invoke", { token: server.adminKey });
      expect(called.body).toBe("deployed");
    });

    it("runs as an event handler when given an event type", async () => {
      const res = await test("on-signup", {
        files: {
          "entry.js": `export default (event, context) => ({ type: context.event_type, email: event.email });`,
        },
        payload: { email: "a@example.com" },
        event: "PRE_USER_CREATE",
      });
      expect(res.body.result).toEqual({ type: "PRE_USER_CREATE", email: "a@example.com" });
    });

    it("answers a thrown error as the run's error, and a Deno.serve Response as the response", async () => {
      const threw = await test("broken", {
        files: { "entry.ts": `export default () => { throw new Error("nope"); };` },
      });
      expect(threw.body).toMatchObject({
        status: "error",
        error: { message: expect.stringContaining("nope") },
      });
      const served = await test("served", {
        files: { "entry.ts": `Deno.serve(() => new Response("hi there", { status: 201 }));` },
      });
      expect(served.body.response).toMatchObject({ status: 201, body: "hi there" });
    });

    it("refuses code that does not build with a 400 that says why, and non-admins", async () => {
      const bad = await test("bad", { files: { "entry.ts": "export default () => {" } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/entry\.ts/);
      const user = await createUser(server);
      expect((await test("x", { files: { "entry.ts": "export default () => 1;" } }, user.token)).status).toBe(
        403,
      );
      expect((await test("x", { files: "nope" })).status).toBe(400);
    });
  });
});
