import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase, forEachStore } from "../../test/harness.js";
import { runBackend, type SpawnedBackend, spawnBackend } from "../../test/spawnBackend.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import { runCli } from "./testing/runCli.js";
import type { DeliveryItem, EventTypeItem, SubscriptionItem, TraceNode } from "./events/shapes.js";
import { formatTrace } from "./events/trace.js";

const ADMIN_KEY = "cli-events-test-admin-key-0123456789";
// Each test runs the CLI five to ten times and waits for deliveries.
const SPAWNS_MANY_CLIS_MS = 90_000;

forEachStore((store) => {
  describe("backend events", { timeout: SPAWNS_MANY_CLIS_MS }, () => {
    let server: SpawnedBackend;
    let dataDir: string;
    let dropDb: (() => Promise<void>) | undefined;
    const env = () => ({ BACKEND_URL: server.url, BACKEND_ADMIN_KEY: ADMIN_KEY });
    // In this process (the bin's own start is tested in start.test.ts); stdin needs the bin.
    const cli = async (...args: string[]) => {
      const { code, output } = await runCli(["events", ...args], env());
      return { code, output };
    };
    const json = async <T>(...args: string[]): Promise<T> => {
      const { code, output } = await cli(...args, "--json");
      expect(code, output).toBe(0);
      return JSON.parse(output) as T;
    };

    async function deploy(name: string, source: string): Promise<void> {
      const res = await fetch(`${server.url}/api/functions/${name}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ files: { "entry.ts": source } }),
      });
      expect(res.status).toBe(200);
    }

    /** Reads the API directly: cheaper than spawning the CLI while waiting for something. */
    async function api<T>(apiPath: string): Promise<T> {
      const res = await fetch(`${server.url}${apiPath}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(res.status).toBe(200);
      return (await res.json()) as T;
    }

    /** Waits until on-order has logged this text. */
    async function logged(text: string): Promise<void> {
      await eventually(async () => {
        const { items } = await api<{ items: { message: string }[] }>(
          "/api/logs?function=on-order&limit=1000",
        );
        expect(items.map((l) => l.message)).toContain(text);
      }, 15_000);
    }

    /** The event's deliveries once none is pending or running any more. */
    async function settled(eventId: string): Promise<DeliveryItem[]> {
      return eventually(async () => {
        const { items } = await api<{ items: DeliveryItem[] }>(`/api/deliveries?event_id=${eventId}`);
        const mine = items.filter((d) => d.eventId === eventId);
        expect(mine.length).toBeGreaterThan(0);
        expect(mine.every((d) => d.status === "done" || d.status === "dead")).toBe(true);
        return mine;
      }, 15_000);
    }

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "backend-cli-events-"));
      let databaseUrl: string | undefined;
      if (store === "postgres") {
        const database = await createPgDatabase();
        databaseUrl = database.url;
        dropDb = database.drop;
      }
      server = await spawnBackend({
        args: ["--port", "0", "--data", dataDir],
        env: { BACKEND_ADMIN_KEY: ADMIN_KEY, DATABASE_URL: databaseUrl },
      });
      await deploy(
        "on-order",
        `export default async function (event, context) {
           console.log("order " + JSON.stringify(event) + " as " + context.event_type);
           return { seen: event };
         }`,
      );
      await deploy("audit", `export default async function () { return null; }`);
    });
    afterAll(async () => {
      server?.child.kill("SIGTERM");
      await server?.exited;
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("list prints the catalogue with aliases, phase and subscribers, or JSON", async () => {
      const { code, output } = await cli("list");
      expect(code, output).toBe(0);
      const lines = output.trim().split("\n");
      expect(lines[0]).toMatch(/^TYPE +ALIASES +PHASE +SUBSCRIBERS +DESCRIPTION$/);
      expect(lines.find((l) => l.startsWith("POST_USER_CREATE "))).toMatch(
        /^POST_USER_CREATE +user_registered +POST +0 +\S/,
      );
      expect(lines.find((l) => l.startsWith("PRE_RECORD_CREATE "))).toMatch(/^PRE_RECORD_CREATE +- +PRE +0/);

      const items = await json<EventTypeItem[]>("list");
      expect(items.find((t) => t.type === "POST_RECORD_CREATE")).toMatchObject({
        aliases: ["doc_created"],
        phase: "POST",
        subscribers: 0,
      });
      expect(items.map((t) => t.type)).toContain("POST_CHANNEL_MESSAGE");
    });

    it("subscribe makes a function a handler, with priority, filter, on-error and inactive", async () => {
      const plain = await cli("subscribe", "order_placed", "on-order");
      expect(plain).toEqual({
        code: 0,
        output: "Subscribed on-order to order_placed (priority 0, active, on error block)\n",
      });
      const sub = await json<SubscriptionItem>(
        "subscribe",
        "doc_created",
        "audit",
        "--priority",
        "5",
        "--inactive",
        "--on-error",
        "allow",
        "--filter",
        '{"collection":"orders"}',
      );
      expect(sub).toMatchObject({
        event: "POST_RECORD_CREATE",
        function: "audit",
        priority: 5,
        active: false,
        onError: "allow",
        filter: { collection: "orders" },
        source: "api",
      });

      const listed = (await json<EventTypeItem[]>("list")).find((t) => t.type === "POST_RECORD_CREATE");
      expect(listed).toMatchObject({ subscribers: 1, activeSubscribers: 0 });
      const table = await cli("list");
      expect(table.output).toMatch(/\nPOST_RECORD_CREATE +doc_created +POST +1 \(1 inactive\) +\S/);
      expect(table.output).toMatch(/\norder_placed +- +custom +1 /);
    });

    it("subscribe explains a duplicate, a missing function and a bad filter or priority", async () => {
      const duplicate = await cli("subscribe", "order_placed", "on-order");
      expect(duplicate.code).toBe(1);
      expect(duplicate.output).toMatch(/^backend: POST \/api\/subscriptions failed \(409\): /);
      const missing = await cli("subscribe", "order_placed", "no-such-function");
      expect(missing.code).toBe(1);
      expect(missing.output).toMatch(/failed \(404\): .*no-such-function/);
      const badFilter = await cli("subscribe", "order_placed", "audit", "--filter", "{collection:orders}");
      expect(badFilter.code).toBe(1);
      expect(badFilter.output).toMatch(/^backend: --filter is not valid JSON \(.*\); e\.g\. --filter '/);
      const badPriority = await cli("subscribe", "order_placed", "audit", "--priority", "first");
      expect(badPriority.code).toBe(1);
      expect(badPriority.output).toContain("--priority must be a whole number such as 10, not 'first'");
      const badOnError = await cli("subscribe", "order_placed", "audit", "--on-error", "ignore");
      expect(badOnError.code).toBe(1);
      expect(badOnError.output).toMatch(/--on-error.*ignore.*block, allow/);
      expect(await json<SubscriptionItem[]>("subscriptions", "--function", "audit")).toHaveLength(1);
    });

    it("subscriptions lists them as a table or JSON, filtered by event and function", async () => {
      const { code, output } = await cli("subscriptions");
      expect(code, output).toBe(0);
      const lines = output.trim().split("\n");
      expect(lines[0]).toMatch(/^EVENT +FUNCTION +PRIORITY +ACTIVE +ON ERROR +SOURCE +FILTER$/);
      expect(lines).toContainEqual(
        expect.stringMatching(/^POST_RECORD_CREATE +audit +5 +no +allow +api +\{"collection":"orders"\}$/),
      );
      expect(lines).toContainEqual(expect.stringMatching(/^order_placed +on-order +0 +yes +block +api +-$/));

      const byEvent = await json<SubscriptionItem[]>("subscriptions", "--event", "doc_created");
      expect(byEvent.map((s) => s.function)).toEqual(["audit"]);
      const byFunction = await json<SubscriptionItem[]>("subscriptions", "--function", "on-order");
      expect(byFunction.map((s) => s.event)).toEqual(["order_placed"]);
    });

    it("publish delivers a custom event to its subscribers, with the data from the argument or a file", async () => {
      const published = await cli("publish", "order_placed", '{"orderId":123}');
      expect(published.code, published.output).toBe(0);
      const [, id] = /^Published order_placed event (\S+) \(1 delivery\)\n$/.exec(published.output) ?? [];
      expect(id).toBeDefined();
      const [delivery] = await settled(id!);
      expect(delivery).toMatchObject({ function: "on-order", status: "done", event: "order_placed" });
      await logged('order {"orderId":123} as order_placed');

      const file = path.join(dataDir, "order.json");
      writeFileSync(file, '{ "orderId": 456 }\n');
      const fromFile = await json<{ id: string; type: string; deliveries: number }>(
        "publish",
        "order_placed",
        "--data-file",
        file,
      );
      expect(fromFile).toMatchObject({ type: "order_placed", deliveries: 1 });
      const fromStdin = await runBackend(
        ["events", "publish", "order_placed", "--data-file", "-"],
        env(),
        '{"orderId":789}',
      );
      expect(fromStdin.output).toMatch(/^Published order_placed event \S+ \(1 delivery\)\n$/);
      await logged('order {"orderId":456} as order_placed');
      await logged('order {"orderId":789} as order_placed');

      const nobody = await cli("publish", "nobody_listens");
      expect(nobody.code).toBe(0);
      expect(nobody.output).toMatch(
        /^Published nobody_listens event \S+ \(0 deliveries\)\nNothing subscribes to nobody_listens\./,
      );
    });

    it("publish refuses bad JSON, data given twice and system event types", async () => {
      const badJson = await cli("publish", "order_placed", "{orderId: 1}");
      expect(badJson.code).toBe(1);
      expect(badJson.output).toMatch(
        /^backend: The data is not valid JSON \(.*\); e\.g\. '\{"orderId":123\}'\n$/,
      );
      const twice = await cli("publish", "order_placed", "{}", "--data-file", "x.json");
      expect(twice.code).toBe(1);
      expect(twice.output).toContain("Give the data as an argument or with --data-file, not both");
      const missingFile = await cli(
        "publish",
        "order_placed",
        "--data-file",
        path.join(dataDir, "nope.json"),
      );
      expect(missingFile.code).toBe(1);
      expect(missingFile.output).toContain("Cannot read --data-file");
      const system = await cli("publish", "POST_USER_CREATE", '{"user":{}}');
      expect(system.code).toBe(1);
      expect(system.output).toMatch(/POST \/api\/events failed \(40[03]\)/);
    });

    it("deliveries lists them newest first as a table or JSON, filtered by status, event and function", async () => {
      const all = await json<DeliveryItem[]>("deliveries");
      expect(all.length).toBeGreaterThanOrEqual(3);
      const times = all.map((d) => Date.parse(d.createdAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const { code, output } = await cli("deliveries", "--function", "on-order", "--status", "done");
      expect(code, output).toBe(0);
      const lines = output.trim().split("\n");
      expect(lines[0]).toMatch(/^ID +EVENT +FUNCTION +STATUS +ATTEMPTS +CREATED +LAST ERROR$/);
      expect(lines.length).toBeGreaterThanOrEqual(4);
      for (const line of lines.slice(1))
        expect(line).toMatch(/^\S+ +order_placed +on-order +done +1\/\d+ +\d+[smhd] ago +-$/);

      const limited = await json<DeliveryItem[]>("deliveries", "--limit", "1");
      expect(limited).toHaveLength(1);
      expect(limited[0]!.id).toBe(all[0]!.id);
      expect(await json<DeliveryItem[]>("deliveries", "--status", "dead")).toEqual([]);
      const none = await cli("deliveries", "--event", "doc_created");
      expect(none.output).toBe("No deliveries.\n");
      const badLimit = await cli("deliveries", "--limit", "lots");
      expect(badLimit.code).toBe(1);
      expect(badLimit.output).toContain("--limit must be a whole number");
    });

    it("replay takes a delivery id or an event id, says which it was, and may edit the data", async () => {
      const [last] = await json<DeliveryItem[]>("deliveries", "--function", "on-order", "--limit", "1");
      const byDelivery = await cli("replay", last!.id, "--data", '{"orderId":1000}');
      expect(byDelivery.code, byDelivery.output).toBe(0);
      expect(byDelivery.output).toMatch(
        new RegExp(
          `^Replayed delivery ${last!.id} with the edited data:\\n {2}delivery \\S+ {2}order_placed -> on-order {2}\\w+\\n$`,
        ),
      );
      await logged('order {"orderId":1000} as order_placed');

      const byEvent = await json<{ replayed: string; id: string; deliveries: DeliveryItem[] }>(
        "replay",
        last!.eventId,
      );
      expect(byEvent.replayed).toBe("event");
      expect(byEvent.deliveries.map((d) => d.function)).toEqual(["on-order"]);
      const asText = await cli("replay", last!.eventId);
      expect(asText.output).toMatch(new RegExp(`^Replayed event ${last!.eventId}:\\n {2}delivery `));

      const replays = await json<DeliveryItem[]>("deliveries", "--function", "on-order");
      expect(replays.find((d) => d.replayOf === last!.id)).toBeDefined();

      const unknown = await cli("replay", "no-such-id");
      expect(unknown.code).toBe(1);
      expect(unknown.output).toContain("No delivery or event has the id no-such-id");
      const badData = await cli("replay", last!.id, "--data", "nope");
      expect(badData.code).toBe(1);
      expect(badData.output).toMatch(/--data is not valid JSON/);
    });

    it("trace prints the chain from an event to its deliveries and executions, indented", async () => {
      const published = await json<{ id: string }>("publish", "order_placed", '{"orderId":7}');
      const [delivery] = await settled(published.id);
      const { code, output } = await cli("trace", delivery!.id);
      expect(code, output).toBe(0);
      const lines = output.trimEnd().split("\n");
      const eventLine = lines.findIndex((l) => /^\s*event /.test(l) && l.includes(published.id));
      expect(eventLine, output).toBeGreaterThanOrEqual(0);
      const indent = (line: string) => /^ */.exec(line)![0].length;
      expect(lines[eventLine]).toContain("order_placed");
      const deliveryLine = lines.findIndex((l) => l.includes(`delivery ${delivery!.id}`));
      expect(deliveryLine).toBeGreaterThan(eventLine);
      expect(indent(lines[deliveryLine]!)).toBe(indent(lines[eventLine]!) + 2);
      expect(lines[deliveryLine]).toMatch(/ order_placed -> on-order {2}done {2}\d{4}-\d\d-\d\dT\S+Z$/);
      const execution = lines[deliveryLine + 1]!;
      expect(execution).toMatch(/^\s*execution \S+/);
      expect(indent(execution)).toBe(indent(lines[deliveryLine]!) + 2);

      const { root: tree } = await json<{ root: TraceNode }>("trace", published.id);
      const find = (node: TraceNode, id: string): TraceNode | undefined =>
        node.id === id ? node : node.children.map((c) => find(c, id)).find(Boolean);
      expect(find(tree, delivery!.id)?.children[0]?.kind).toBe("execution");

      const missing = await cli("trace", "no-such-id");
      expect(missing.code).toBe(1);
      expect(missing.output).toMatch(/GET \/api\/traces\/no-such-id failed \(404\)/);
    });

    it("unsubscribe finds the subscription by event (or alias) and function; a missing one is an error", async () => {
      const removed = await cli("unsubscribe", "doc_created", "audit");
      expect(removed).toEqual({ code: 0, output: "Unsubscribed audit from POST_RECORD_CREATE\n" });
      expect(await json<SubscriptionItem[]>("subscriptions", "--function", "audit")).toEqual([]);
      const again = await cli("unsubscribe", "doc_created", "audit");
      expect(again.code).toBe(1);
      expect(again.output).toBe(
        "backend: audit is not subscribed to doc_created. See the subscriptions with: backend events subscriptions --function audit\n",
      );
      expect(await json<SubscriptionItem[]>("subscriptions", "--function", "on-order")).toHaveLength(1);
    });

    it("every command needs the admin key and says so", async () => {
      const noKey = await runCli(["events", "subscriptions"], {
        BACKEND_URL: server.url,
        BACKEND_ADMIN_KEY: "",
      });
      expect(noKey.code).toBe(1);
      expect(noKey.output).toMatch(/\(401\).*Set BACKEND_ADMIN_KEY or pass --admin-key/);
    });
  });
});

describe("the trace printout", () => {
  it("puts each node on one line under what caused it, with its type, function, status and time", () => {
    const text = formatTrace({
      kind: "request",
      id: "req_1",
      children: [
        {
          kind: "execution",
          id: "exe_1",
          type: "PRE_USER_CREATE",
          phase: "PRE",
          function: "check-email",
          status: "success",
          at: "2030-01-01T09:00:00.000Z",
          durationMs: 6.4,
          children: [],
        },
        {
          kind: "event",
          id: "evt_1",
          type: "POST_USER_CREATE",
          at: "2030-01-01T09:00:00.010Z",
          children: [
            {
              kind: "delivery",
              id: "dlv_1",
              type: "POST_USER_CREATE",
              function: "welcome",
              status: "dead",
              at: "2030-01-01T09:00:00.011Z",
              error: "SMTP refused\n    at send (functions/welcome/entry.ts:3:9)",
              children: [
                { kind: "execution", id: "exe_2", function: "welcome", status: "error", children: [] },
              ],
            },
          ],
        },
      ],
    });
    expect(text).toBe(
      [
        "request req_1",
        "  execution exe_1  PRE_USER_CREATE -> check-email (PRE)  success  2030-01-01T09:00:00.000Z (6 ms)",
        "  event evt_1  POST_USER_CREATE  2030-01-01T09:00:00.010Z",
        "    delivery dlv_1  POST_USER_CREATE -> welcome  dead  2030-01-01T09:00:00.011Z  SMTP refused",
        "      execution exe_2  welcome  error",
        "",
      ].join("\n"),
    );
  });
});
