import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import { createClient, type FetchLike, type PublishedEvent } from "./index.js";
import { rejection } from "./testing/rejection.js";

// An app declares its events' data once (here for the test only: the name is unlike any real one).
declare module "./events.js" {
  interface Events {
    "typing-test.order_placed": { orderId: number };
  }
}

const password = "correct horse battery staple";
const newEmail = () => `events-${Math.random().toString(36).slice(2, 10)}@example.com`;

forEachStore((store) => {
  describe("publishing events with the SDK", () => {
    let server: TestServer;
    const admin = (method: string, path: string, body?: unknown) =>
      server.api(method, path, { token: server.adminKey, body });

    beforeAll(async () => {
      server = await startServer(store);
      const deployed = await admin("PUT", "/api/functions/on-order", {
        files: {
          "entry.ts": `export default async function (event, context) {
            await backend.create("seen_orders", { orderId: event.orderId, by: context.user?.email ?? null });
          }`,
        },
      });
      expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
      const subscribed = await admin("POST", "/api/subscriptions", {
        event: "order_placed",
        function: "on-order",
      });
      expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
    });
    afterAll(async () => server?.close());

    it("a signed-in user publishes a custom event that reaches its handler, under both names", async () => {
      const client = createClient({ url: server.url });
      const { user } = await client.auth.register({ email: newEmail(), password });

      const published = await client.events.publish("order_placed", { orderId: 123 });
      expect(published).toEqual({ id: expect.any(String), type: "order_placed", deliveries: 1 });
      const alias = await client.publishEvent("order_placed", { orderId: 456 });
      expect(alias).toMatchObject({ type: "order_placed", deliveries: 1 });
      expect(alias.id).not.toBe(published.id);

      await eventually(async () => {
        const seen = await admin("GET", "/api/records/seen_orders?sort=orderId");
        expect(seen.body.items.map((r: { orderId: number; by: string }) => [r.orderId, r.by])).toEqual([
          [123, user.email],
          [456, user.email],
        ]);
      }, 15_000);
    });

    it("an event nobody subscribes to is stored with no deliveries", async () => {
      const client = createClient({ url: server.url, token: server.adminKey });
      expect(await client.publishEvent("nobody_listens")).toMatchObject({
        type: "nobody_listens",
        deliveries: 0,
      });
    });

    it("publishing needs a signed-in user and a custom type", async () => {
      const anonymous = await rejection(createClient({ url: server.url }).publishEvent("order_placed", {}));
      expect(anonymous).toMatchObject({ status: 401, code: "unauthorized" });

      const client = createClient({ url: server.url });
      await client.auth.register({ email: newEmail(), password });
      const system = await rejection(client.events.publish("POST_USER_CREATE", { user: {} }));
      expect([400, 403]).toContain(system.status);
      const alias = await rejection(client.events.publish("user_registered", { user: {} }));
      expect([400, 403]).toContain(alias.status);
      const badName = await rejection(client.events.publish("not a name!", {}));
      expect(badName.status).toBe(400);
    });

    it("data over 1 MB is refused with a 413", async () => {
      const client = createClient({ url: server.url, token: server.adminKey });
      const error = await rejection(client.events.publish("order_placed", { blob: "x".repeat(1_100_000) }));
      expect(error.status).toBe(413);
    });
  });
});

describe("events.publish without a server", () => {
  it("POSTs the type and the data to /api/events with the token", async () => {
    const calls: { url: string; method: string; body?: string; headers: Record<string, string> }[] = [];
    const recorder: FetchLike = async (url, init) => {
      calls.push({ url, ...init });
      return {
        status: 202,
        statusText: "Accepted",
        headers: { get: () => "application/json" },
        text: async () => '{"id":"evt_1","type":"order_placed","deliveries":2}',
      };
    };
    const client = createClient({ url: "https://api.example.com/backend", token: "tok", fetch: recorder });
    expect(await client.publishEvent("order_placed", { orderId: 123 })).toEqual({
      id: "evt_1",
      type: "order_placed",
      deliveries: 2,
    });
    expect(calls[0]).toMatchObject({
      url: "https://api.example.com/backend/api/events",
      method: "POST",
      headers: { authorization: "Bearer tok", "content-type": "application/json" },
    });
    expect(JSON.parse(calls[0]!.body!)).toEqual({ type: "order_placed", data: { orderId: 123 } });

    await client.events.publish("ping");
    expect(JSON.parse(calls[1]!.body!)).toEqual({ type: "ping" });
  });

  it("a declared event's data is typed; other events take any object", () => {
    const client = createClient({ url: "http://localhost:1" });
    // Types only: these calls are never awaited against a server.
    const typed = () => client.events.publish("typing-test.order_placed", { orderId: 1 });
    expectTypeOf(typed).returns.resolves.toEqualTypeOf<PublishedEvent>();
    // @ts-expect-error orderId is a number
    const wrong = () => client.publishEvent("typing-test.order_placed", { orderId: "one" });
    expectTypeOf(wrong).toBeFunction();
    const untyped = () => client.publishEvent("anything", { list: [1, "two"] });
    expectTypeOf(untyped).returns.resolves.toEqualTypeOf<PublishedEvent>();
    // @ts-expect-error the data is an object, not an array
    const array = () => client.publishEvent("anything", [1, "two"]);
    expectTypeOf(array).toBeFunction();
  });
});
