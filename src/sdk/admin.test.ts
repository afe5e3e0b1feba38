// client.admin against a real server on both stores: each area's calls as the dashboard and scripts
// make them (functions, executions, logs, traces, events, subscriptions, deliveries, emails,
// secrets, users, collections, records, channels), a refusal for anyone but an admin, and the types
// checked against the server's own.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import WebSocket from "ws";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import type { ChannelMember as ServerChannelMember } from "../channels/listChannels.js";
import type { ChannelSummary as ServerChannelSummary } from "../channels/presence.js";
import type { EventItem, DeliveryItem } from "../events/eventItems.js";
import type { EventTypeItem } from "../events/eventTypes.js";
import type { SubscriptionItem } from "../events/subscriptions/subscription.js";
import type { TraceNode as ServerTraceNode } from "../events/trace.js";
import type { ExecutionItem, LogItem } from "../functions/executions/execution.js";
import type { ExecutionWithLogs as ServerExecutionWithLogs } from "../functions/executions/getExecution.js";
import type { FunctionDetail as ServerFunctionDetail } from "../functions/catalog/getFunction.js";
import type { VersionItem as ServerVersionItem } from "../functions/catalog/listVersions.js";
import type { RollbackResult as ServerRollback } from "../functions/catalog/rollbackFunction.js";
import type { DeployResult as ServerDeploy } from "../functions/deploy/deployFunction.js";
import type { SecretItem as ServerSecret } from "../functions/secrets/listSecrets.js";
import type { Collection as ServerCollection } from "../records/collection.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import {
  type ChannelMember,
  type ChannelMessage,
  type ChannelSummary,
  type Collection,
  createClient,
  type Delivery,
  type DeployResult,
  type EventType,
  type Execution,
  type ExecutionWithLogs,
  type LogLine,
  type RollbackResult,
  type SecretItem,
  type StoredEvent,
  type Subscription,
  type TraceNode,
  type VersionItem,
} from "./index.js";
import { rejection } from "./testing/rejection.js";

const GREET = `export default async function (payload) {
  console.log("greeting", payload.name);
  return { hello: payload.name };
}`;
const GREET_V2 = GREET.replace("hello", "hi");
const ON_ORDER = `export default async function (event) {
  return { seen: event.orderId };
}`;

/** Whether `id` is somewhere in the tree. */
function holds(node: TraceNode, id: string): boolean {
  return node.id === id || node.children.some((child) => holds(child, id));
}

forEachStore((store) => {
  describe("client.admin", () => {
    let server: TestServer;
    const admin = () => createClient({ url: server.url, token: server.adminKey }).admin;

    beforeAll(async () => {
      server = await startServer(store);
    });
    afterAll(async () => server?.close());

    it("deploys, lists, reads, versions, test-runs, rolls back and deletes a function", async () => {
      const { functions } = admin();
      const first = await functions.deploy("greet", { files: { "entry.ts": GREET } });
      expect(first).toMatchObject({ name: "greet", version: 1, status: "deployed", form: "default" });
      expect(await functions.deploy("greet", { files: { "entry.ts": GREET } })).toMatchObject({
        version: 1,
        status: "unchanged",
      });
      expect((await functions.deploy("greet", { files: { "entry.ts": GREET_V2 } })).version).toBe(2);

      expect((await functions.list()).map((f) => [f.name, f.version])).toContainEqual(["greet", 2]);
      const active = await functions.get("greet");
      expect(active).toMatchObject({ name: "greet", version: 2, shownVersion: 2 });
      expect(active.files["entry.ts"]).toBe(GREET_V2);
      expect((await functions.get("greet", { version: 1 })).files["entry.ts"]).toBe(GREET);
      const versions = await functions.versions("greet");
      expect(versions.activeVersion).toBe(2);
      expect(versions.items.map((v) => [v.version, v.active])).toEqual([
        [2, true],
        [1, false],
      ]);

      const run = await functions.test("greet", { files: { "entry.ts": GREET }, payload: { name: "Ada" } });
      expect(run).toMatchObject({ status: "success", result: { hello: "Ada" } });
      expect(run.logs.map((l) => l.message)).toEqual(["greeting Ada"]);

      expect(await functions.rollback("greet", 1)).toMatchObject({ version: 1, previousVersion: 2 });
      expect((await functions.get("greet")).version).toBe(1);

      await functions.deploy("short-lived", { files: { "entry.ts": GREET } });
      await functions.delete("short-lived");
      expect(await rejection(functions.get("short-lived"))).toMatchObject({ status: 404 });
    });

    it("lists and reads executions with their logs and traces, and follows new log lines", async () => {
      const client = createClient({ url: server.url, token: server.adminKey });
      await client.admin.functions.deploy("echo", { files: { "entry.ts": GREET } });
      const before = new Date();
      await client.functions.invoke("echo", { name: "Grace" });

      const page = await client.admin.executions.list({ function: "echo", since: before });
      expect(page.total).toBe(1);
      const [run] = page.items;
      expect(run).toMatchObject({ function: "echo", status: "success", trigger: "call" });
      expect((await client.admin.executions.list({ function: "echo", status: "error" })).total).toBe(0);

      const detail = await client.admin.executions.get(run!.id);
      expect(detail.logs.map((l) => [l.level, l.message])).toEqual([["info", "greeting Grace"]]);
      expect(detail.input).toEqual({ payload: { name: "Grace" } });
      expect(detail.result).toEqual({ value: { hello: "Grace" } });
      const lines = await client.admin.logs.list({ execution: run!.id });
      expect(lines.map((l) => [l.executionId, l.function, l.message])).toEqual([
        [run!.id, "echo", "greeting Grace"],
      ]);
      expect(holds((await client.admin.traces.get(run!.id)).root, run!.id)).toBe(true);

      const controller = new AbortController();
      const heard: LogLine[] = [];
      let opened!: () => void;
      const open = new Promise<void>((resolve) => (opened = resolve));
      const following = client.admin.logs.follow({
        function: "echo",
        signal: controller.signal,
        onOpen: opened,
        onLine: (line) => heard.push(line),
      });
      await open;
      await client.functions.invoke("echo", { name: "Linus" });
      await eventually(() => expect(heard.map((l) => l.message)).toEqual(["greeting Linus"]));
      controller.abort();
      await expect(following).resolves.toBeUndefined();
    });

    it("subscribes a function, sees its deliveries and replays them and the event", async () => {
      const client = createClient({ url: server.url, token: server.adminKey });
      const { admin: a } = client;
      await a.functions.deploy("on-order", { files: { "entry.ts": ON_ORDER } });
      const subscription = await a.subscriptions.create({ event: "order_placed", function: "on-order" });
      expect(subscription).toMatchObject({ event: "order_placed", function: "on-order", active: true });
      expect(await a.subscriptions.update(subscription.id, { priority: 5 })).toMatchObject({ priority: 5 });
      expect((await a.subscriptions.list({ event: "order_placed" })).map((s) => s.id)).toEqual([
        subscription.id,
      ]);
      expect((await a.events.types()).find((t) => t.type === "order_placed")).toMatchObject({
        phase: "custom",
        subscribers: 1,
      });

      const published = await client.events.publish("order_placed", { orderId: 7 });
      const done = await eventually(async () => {
        const { items } = await a.deliveries.list({ eventId: published.id });
        expect(items.map((d) => d.status)).toEqual(["done"]);
        return items[0]!;
      });
      expect((await a.deliveries.list({ eventId: published.id, status: "dead" })).items).toEqual([]);
      expect(await a.deliveries.get(done.id)).toMatchObject({ function: "on-order", data: { orderId: 7 } });
      const runs = await a.executions.list({ cause: done.id });
      expect(runs.items.map((r) => r.status)).toEqual(["success"]);

      const replay = await a.deliveries.replay(done.id, { orderId: 8 });
      expect(replay).toMatchObject({ replayOf: done.id, edited: true, eventId: published.id });
      expect((await a.deliveries.get(replay.id)).data).toEqual({ orderId: 8 });

      const stored = await a.events.get(published.id);
      expect(stored).toMatchObject({ type: "order_placed", source: "custom", data: { orderId: 7 } });
      expect(stored.deliveries.map((d) => d.id)).toContain(done.id);
      expect((await a.events.list({ type: "order_placed" })).map((e) => e.id)).toContain(published.id);
      const again = await a.events.replay(published.id);
      expect(again.map((d) => d.function)).toEqual(["on-order"]);

      await a.subscriptions.delete(subscription.id);
      expect(await a.subscriptions.list({ event: "order_placed" })).toEqual([]);
    });

    it("reads the email outbox", async () => {
      const { user } = await createUser(server);
      await createClient({ url: server.url }).auth.requestPasswordReset(user.email);
      const page = await admin().emails.list({ limit: 1000 });
      const mail = page.items.find((e) => e.to === user.email);
      expect(mail).toBeDefined();
      expect(page.total).toBeGreaterThanOrEqual(1);
      const byStatus = await admin().emails.list({ status: mail!.status, limit: 1000 });
      expect(byStatus.items.every((e) => e.status === mail!.status)).toBe(true);
    });

    it("sets, lists and deletes secrets, never reading a value", async () => {
      const { secrets } = admin();
      expect(await secrets.set("API_TOKEN", "s3cret")).toMatchObject({ name: "API_TOKEN", created: true });
      expect(await secrets.set("API_TOKEN", "other")).toMatchObject({ created: false });
      const listed = await secrets.list();
      expect(listed.map((s) => s.name)).toContain("API_TOKEN");
      expect(JSON.stringify(listed)).not.toContain("other");
      await secrets.delete("API_TOKEN");
      expect((await secrets.list()).map((s) => s.name)).not.toContain("API_TOKEN");
    });

    it("creates, finds, changes and deletes users", async () => {
      const { users } = admin();
      const created = await users.create({
        email: "grace@example.com",
        password: "a long password",
        isPaid: true,
      });
      expect(created).toMatchObject({ email: "grace@example.com", role: "user", isPaid: true });
      const found = await users.list({ filter: { email: "grace@example.com" } });
      expect(found.items.map((u) => u.id)).toEqual([created.id]);
      expect(found.total).toBe(1);
      expect((await users.list({ filter: { role: "admin" } })).items.map((u) => u.id)).not.toContain(
        created.id,
      );
      expect(await users.update(created.id, { role: "admin", isPaid: null })).toMatchObject({
        role: "admin",
      });
      expect((await users.get(created.id)).isPaid).toBeUndefined();
      await users.delete(created.id);
      expect(await rejection(users.get(created.id))).toMatchObject({ status: 404 });
    });

    it("lists collections, sets a read rule and reads records with a filter written as text", async () => {
      const { token } = await createUser(server);
      const user = createClient({ url: server.url, token });
      for (const n of [1, 2, 3]) await user.records.create("notes", { n });
      const { collections, records } = admin();
      expect((await collections.list()).find((c) => c.name === "notes")).toMatchObject({ read: "owner" });
      expect(await collections.setRule("notes", "users")).toMatchObject({ name: "notes", read: "users" });
      expect((await collections.list()).find((c) => c.name === "notes")?.read).toBe("users");

      const page = await records.list("notes", { filter: '{"n":{"$gte":2}}', sort: "-n" });
      expect(page.items.map((r) => r.n)).toEqual([3, 2]);
      expect(page.total).toBe(2);
      expect((await records.list("notes", { filter: " ", limit: 1 })).total).toBe(3);
      expect(await rejection(records.list("notes", { filter: '{"n": oops}' }))).toMatchObject({
        status: 400,
      });
    });

    it("lists channels and their members, and sends into one as the admin", async () => {
      const { token, user } = await createUser(server);
      const member = createClient({ url: server.url, token, WebSocket });
      const heard: ChannelMessage<{ text: string }>[] = [];
      await member.channels.join<{ text: string }>("chat:admin-test", (m) => heard.push(m));
      try {
        const { channels } = admin();
        expect((await channels.list()).find((c) => c.channel === "chat:admin-test")).toMatchObject({
          connections: 1,
          users: 1,
        });
        const [only] = await channels.members("chat:admin-test");
        expect(only).toMatchObject({ id: user.id, email: user.email, connections: 1 });
        expect(only!.nodes).toHaveLength(1);
        const sent = await channels.send("chat:admin-test", { text: "from the admin" });
        expect(sent).toMatchObject({ channel: "chat:admin-test", user: null });
        await eventually(() =>
          expect(heard.map((m) => [m.id, m.message.text])).toEqual([[sent.id, "from the admin"]]),
        );
      } finally {
        member.realtime.disconnect();
      }
    });

    it("refuses anyone but an admin: a user gets 403, no token 401", async () => {
      const { token } = await createUser(server);
      const user = createClient({ url: server.url, token }).admin;
      expect(await rejection(user.functions.list())).toMatchObject({ status: 403, code: "forbidden" });
      expect(await rejection(user.users.list())).toMatchObject({ status: 403 });
      const anonymous = createClient({ url: server.url }).admin;
      expect(await rejection(anonymous.executions.list())).toMatchObject({
        status: 401,
        code: "unauthorized",
      });
      const logs = anonymous.logs.follow({ signal: new AbortController().signal, onLine: () => {} });
      expect(await rejection(logs)).toMatchObject({ status: 401 });
    });
  });
});

describe("client.admin types", () => {
  it("are the server's answers, written out for apps (the SDK imports no server code)", () => {
    expectTypeOf<Execution>().toEqualTypeOf<ExecutionItem>();
    expectTypeOf<ExecutionWithLogs>().toEqualTypeOf<ServerExecutionWithLogs>();
    expectTypeOf<LogLine>().toEqualTypeOf<LogItem>();
    expectTypeOf<TraceNode>().toEqualTypeOf<ServerTraceNode>();
    expectTypeOf<Delivery>().toEqualTypeOf<DeliveryItem>();
    expectTypeOf<StoredEvent>().toEqualTypeOf<EventItem>();
    expectTypeOf<EventType>().toEqualTypeOf<EventTypeItem>();
    expectTypeOf<Subscription>().toEqualTypeOf<SubscriptionItem>();
    expectTypeOf<DeployResult>().toEqualTypeOf<ServerDeploy>();
    expectTypeOf<RollbackResult>().toEqualTypeOf<ServerRollback>();
    expectTypeOf<VersionItem>().toEqualTypeOf<ServerVersionItem>();
    expectTypeOf<Omit<import("./index.js").FunctionDetail, "config" | "triggers">>().toEqualTypeOf<
      Omit<ServerFunctionDetail, "config" | "triggers">
    >();
    expectTypeOf<SecretItem>().toEqualTypeOf<ServerSecret>();
    expectTypeOf<Collection>().toEqualTypeOf<ServerCollection>();
    expectTypeOf<ChannelSummary>().toEqualTypeOf<ServerChannelSummary>();
    expectTypeOf<ChannelMember>().toEqualTypeOf<ServerChannelMember>();
  });
});
