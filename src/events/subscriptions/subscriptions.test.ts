// Subscriptions through the API and function.jsonc, the catalogue's counts, and who may publish what.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { deploy, eventually } from "../../functions/invoke/testing/deploy.js";

forEachStore((store) => {
  describe("subscriptions and publishing", () => {
    let server: TestServer;
    const admin = () => server.adminKey;
    const subs = async (query = "") =>
      (await server.api("GET", `/api/subscriptions${query}`, { token: admin() })).body.items as {
        id: string;
        event: string;
        function: string;
        priority: number;
        active: boolean;
        source: string;
        filter: unknown;
      }[];
    const noop = "export default function () {}";

    beforeAll(async () => {
      server = await startServer(store, {
        config: { events: { maxSubscriptionsPerEvent: 2, payloadBytes: 2048 } },
      });
    });
    afterAll(async () => server?.close());

    it("accepts seed 000's aliases and stores the canonical type, from the config and from the API", async () => {
      await deploy(server, "on-login", noop, { triggers: { events: ["user_login"] } });
      await deploy(server, "on-chat", noop);
      const created = await server.api("POST", "/api/subscriptions", {
        token: admin(),
        body: { event: "chan_in", function: "on-chat", priority: 5 },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        event: "POST_CHANNEL_MESSAGE",
        function: "on-chat",
        priority: 5,
        source: "api",
      });
      expect((await subs("?event=user_login")).map((s) => [s.function, s.event, s.source])).toEqual([
        ["on-login", "POST_LOGIN", "config"],
      ]);
      const again = await server.api("POST", "/api/subscriptions", {
        token: admin(),
        body: { event: "POST_CHANNEL_MESSAGE", function: "on-chat" },
      });
      expect(again.status).toBe(409);
    });

    it("refuses a subscription past the per-type limit, and one for a function that does not exist", async () => {
      for (const name of ["limit-a", "limit-b", "limit-c"]) await deploy(server, name, noop);
      for (const name of ["limit-a", "limit-b"]) {
        const ok = await server.api("POST", "/api/subscriptions", {
          token: admin(),
          body: { event: "limited", function: name },
        });
        expect(ok.status).toBe(201);
      }
      const third = await server.api("POST", "/api/subscriptions", {
        token: admin(),
        body: { event: "limited", function: "limit-c" },
      });
      expect(third.status).toBe(409);
      expect(third.body.error.message).toContain("maxSubscriptionsPerEvent");
      const byConfig = await server.api("PUT", "/api/functions/limit-c", {
        token: admin(),
        body: { files: { "entry.ts": noop }, config: { triggers: { events: ["limited"] } } },
      });
      expect(byConfig.status).toBe(409);
      const missing = await server.api("POST", "/api/subscriptions", {
        token: admin(),
        body: { event: "x", function: "nope" },
      });
      expect(missing.status).toBe(404);
    });

    it("follows function.jsonc on redeploy and goes away with the function", async () => {
      await deploy(server, "follower", noop, {
        triggers: {
          events: ["a_event", { event: "b_event", priority: 3, active: false, filter: { kind: "x" } }],
        },
      });
      expect((await subs("?function=follower")).map((s) => [s.event, s.priority, s.active])).toEqual([
        ["a_event", 0, true],
        ["b_event", 3, false],
      ]);
      await deploy(server, "follower", noop + "\n", {
        triggers: { events: [{ event: "b_event", priority: 1 }] },
      });
      expect(
        (await subs("?function=follower")).map((s) => [s.event, s.priority, s.active, s.filter]),
      ).toEqual([["b_event", 1, true, null]]);
      const bad = await server.api("PUT", "/api/functions/follower", {
        token: admin(),
        body: {
          files: { "entry.ts": noop },
          config: { triggers: { events: [{ event: "c_event", filter: { $nope: 1 } }] } },
        },
      });
      expect(bad.status).toBe(400);
      await server.api("DELETE", "/api/functions/follower", { token: admin() });
      expect(await subs("?function=follower")).toEqual([]);
    });

    it("lists every event type with its description and subscriber counts", async () => {
      const res = await server.api("GET", "/api/events/types", { token: admin() });
      const byType = new Map((res.body.items as { type: string }[]).map((t) => [t.type, t]));
      expect(byType.get("POST_USER_CREATE")).toMatchObject({ aliases: ["user_registered"], phase: "POST" });
      expect(byType.get("PRE_RECORD_CREATE")).toMatchObject({ phase: "PRE", subscribers: 0 });
      expect(byType.get("POST_LOGIN")).toMatchObject({ subscribers: 1, activeSubscribers: 1 });
      expect(byType.get("limited")).toMatchObject({ phase: "custom", subscribers: 2 });
      const user = await createUser(server);
      expect((await server.api("GET", "/api/events/types", { token: user.token })).status).toBe(403);
    });

    it("lets signed-in users publish custom events, never system ones, within the payload limit", async () => {
      const { token } = await createUser(server);
      const ok = await server.api("POST", "/api/events", {
        token,
        body: { type: "signed_up_for_beta", data: { plan: "pro" } },
      });
      expect(ok.status).toBe(202);
      expect(ok.body).toMatchObject({ type: "signed_up_for_beta", deliveries: 0 });
      const anonymous = await server.api("POST", "/api/events", { body: { type: "x_event" } });
      expect(anonymous.status).toBe(401);
      for (const type of ["POST_USER_CREATE", "user_registered", "pre_record_create"]) {
        const refused = await server.api("POST", "/api/events", { token, body: { type, data: {} } });
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toContain("system event");
      }
      const badName = await server.api("POST", "/api/events", { token, body: { type: "has space" } });
      expect(badName.status).toBe(400);
      const big = await server.api("POST", "/api/events", {
        token,
        body: { type: "big", data: { blob: "x".repeat(3000) } },
      });
      expect(big.status).toBe(413);
    });

    it("delivers only to subscriptions whose filter matches the payload", async () => {
      await deploy(
        server,
        "orders-only",
        "export default function (event) { backend.create('filtered', { c: event.collection }); }",
        {
          triggers: { events: [{ event: "doc_created", filter: { collection: "orders" } }] },
        },
      );
      const { token } = await createUser(server);
      await server.api("POST", "/api/records/notes", { token, body: { n: 1 } });
      await server.api("POST", "/api/records/orders", { token, body: { n: 2 } });
      await eventually(async () => {
        const deliveries = await server.api("GET", "/api/deliveries?function=orders-only", {
          token: admin(),
        });
        expect(deliveries.body.items.map((d: { status: string }) => d.status)).toEqual(["done"]);
      });
      const seen = await server.api("GET", "/api/records/filtered", { token: admin() });
      expect(seen.body.items.map((r: { c: string }) => r.c)).toEqual(["orders"]);
    });
  });
});
