// Events end to end on a real server: the seeds' handlers as written, PRE blocking and rewriting,
// priority, active flags, fail-closed PRE, POST retries, dead letters and replay, the loop guard.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { createClient } from "../sdk/index.js";

type Delivery = {
  id: string;
  status: string;
  attempts: number;
  function: string;
  executionId: string | null;
};

forEachStore((store) => {
  describe("events", () => {
    let server: TestServer;
    const admin = () => server.adminKey;

    beforeAll(async () => {
      // Quick retries, so the retry tests take milliseconds rather than seconds.
      server = await startServer(store, {
        config: { events: { retryBaseMs: 20, retryMaxMs: 100, maxAttempts: 3 } },
      });
    });
    afterAll(async () => server?.close());
    // Each test's functions (and so their subscriptions) go, even when the test failed half-way.
    afterEach(async () => {
      const fns = await server.api("GET", "/api/functions", { token: admin() });
      for (const fn of fns.body.items as { name: string }[]) {
        await server.api("DELETE", `/api/functions/${fn.name}`, { token: admin() });
      }
    });

    const emailsTo = async (to: string) => {
      const res = await server.api("GET", "/api/emails?limit=100", { token: admin() });
      return (res.body.items as { to: string; subject: string }[]).filter((e) => e.to === to);
    };
    const deliveriesOf = async (fn: string): Promise<Delivery[]> =>
      (await server.api("GET", `/api/deliveries?function=${fn}`, { token: admin() })).body.items;
    const executionsOf = async (fn: string) =>
      (await server.api("GET", `/api/executions?function=${fn}`, { token: admin() })).body.items as {
        id: string;
        status: string;
        error: string | null;
        cause: { kind: string; id: string } | null;
      }[];
    const unsubscribeAll = async (fn: string) => {
      const subs = await server.api("GET", `/api/subscriptions?function=${fn}`, { token: admin() });
      for (const s of subs.body.items)
        await server.api("DELETE", `/api/subscriptions/${s.id}`, { token: admin() });
    };

    it("seed 000: onUserRegistered sends a welcome email to event.user.email on sign-up", async () => {
      await deploy(
        server,
        "on-user-registered",
        `// Runs when a user registers
function onUserRegistered(event) {
  // Send welcome email
  backend.sendEmail(event.user.email, 'Welcome!');
}`,
        { triggers: { events: ["user_registered"] } },
        "entry.js",
      );
      const { user } = await createUser(server);
      const emails = await eventually(async () => {
        const found = await emailsTo(user.email);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(emails[0]!.subject).toBe("Welcome!");
      // The handler's effect is visible a moment before its delivery is settled.
      await eventually(async () => {
        const [delivery] = await deliveriesOf("on-user-registered");
        expect(delivery).toMatchObject({ status: "done", attempts: 1 });
      });
      await server.api("DELETE", "/api/functions/on-user-registered", { token: admin() });
    });

    it("seed 000: onDocumentCreated runs when a record is created, with the collection and the record", async () => {
      await deploy(
        server,
        "on-document-created",
        `// Runs when data is created
function onDocumentCreated(event) {
  // Log activity, notify team, etc.
  console.log("created", event.collection, event.record.title);
}`,
        { triggers: { events: ["doc_created"] } },
        "entry.js",
      );
      const { token } = await createUser(server);
      const created = await server.api("POST", "/api/records/notes", { token, body: { title: "hello" } });
      expect(created.status).toBe(201);
      const [execution] = await eventually(async () => {
        const runs = await executionsOf("on-document-created");
        expect(runs.map((r) => r.status)).toEqual(["success"]);
        return runs;
      });
      const detail = await server.api("GET", `/api/executions/${execution!.id}`, { token: admin() });
      expect(detail.body.logs.map((l: { message: string }) => l.message)).toEqual(["created notes hello"]);
      await server.api("DELETE", "/api/functions/on-document-created", { token: admin() });
    });

    it("seed 000: backend.publishEvent('order_placed', { orderId: 123 }) from the SDK reaches onOrderPlaced", async () => {
      await deploy(
        server,
        "on-order-placed",
        `// Handle in a server function
function onOrderPlaced(event) {
  // Process order, send confirmation, update inventory
  backend.create('orders_seen', { orderId: event.orderId });
}`,
        { triggers: { events: ["order_placed"] } },
        "entry.js",
      );
      const { token, user } = await createUser(server);
      const backend = createClient({ url: server.url, token });
      // Publish from your app
      await backend.publishEvent("order_placed", { orderId: 123 });
      const seen = await eventually(async () => {
        const res = await server.api("GET", "/api/records/orders_seen", { token: admin() });
        expect(res.body.items).toHaveLength(1);
        return res.body.items[0];
      });
      expect(seen.orderId).toBe(123);
      const events = await server.api("GET", "/api/events?type=order_placed", { token: admin() });
      expect(events.body.items[0]).toMatchObject({
        type: "order_placed",
        source: "custom",
        actor: { id: user.id },
      });
      await server.api("DELETE", "/api/functions/on-order-placed", { token: admin() });
    });

    it("seed 002: a PRE_USER_CREATE handler blocks an invalid email with its message and allows a valid one", async () => {
      await deploy(
        server,
        "validate-email",
        `function is_valid_email(email) {
  return typeof email === "string" && !email.endsWith("@invalid.test");
}
export function handler(request, context) {
  const event_data = context.event_data;
  // Validate user data before creation
  if (!is_valid_email(event_data["email"])) {
    return { allow: false, message: "Invalid email address" };
  }
  // Allow the action to proceed
  return { allow: true };
}`,
        { triggers: { events: ["PRE_USER_CREATE"] } },
      );
      const refused = await server.api("POST", "/api/auth/register", {
        body: { email: "someone@invalid.test", password: "correct horse battery staple" },
      });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body.error.message).toBe("Invalid email address");
      const users = await server.api(
        "GET",
        `/api/users?filter=${encodeURIComponent('{"email":"someone@invalid.test"}')}`,
        {
          token: admin(),
        },
      );
      expect(users.body.items).toEqual([]);
      await createUser(server, { email: "someone@valid.test" });
      await server.api("DELETE", "/api/functions/validate-email", { token: admin() });
    });

    it("seed 002: a POST_USER_CREATE handler in the seed's shape sends the welcome email", async () => {
      await deploy(
        server,
        "welcome",
        `function send_welcome_email(email) {
  backend.sendEmail(email, "Welcome aboard", "Glad you are here");
}
export function handler(request, context) {
  const event_type = context.event_type;
  const event_data = context.event_data;
  const user_id = event_data["user_id"];
  if (event_type === "POST_USER_CREATE") {
    send_welcome_email(event_data["email"]);
  }
  return { status: "ok", user_id };
}`,
        { triggers: { events: ["POST_USER_CREATE"] } },
      );
      const { user } = await createUser(server);
      const emails = await eventually(async () => {
        const found = await emailsTo(user.email);
        expect(found).toHaveLength(1);
        return found;
      });
      expect(emails[0]!.subject).toBe("Welcome aboard");
      await server.api("DELETE", "/api/functions/welcome", { token: admin() });
    });

    it("runs PRE handlers in priority order, each seeing the payload the previous one returned", async () => {
      const appender = (tag: string) => `export default function (event) {
  return { ...event, record: { ...event.record, trail: [...(event.record.trail ?? []), "${tag}"] } };
}`;
      // Deployed in an order unlike their priorities.
      await deploy(server, "append-c", appender("c"), {
        triggers: { events: [{ event: "PRE_RECORD_CREATE", priority: 30 }] },
      });
      await deploy(server, "append-a", appender("a"), {
        triggers: { events: [{ event: "PRE_RECORD_CREATE", priority: 10 }] },
      });
      await deploy(server, "append-b", appender("b"), {
        triggers: { events: [{ event: "PRE_RECORD_CREATE", priority: 20 }] },
      });
      const { token } = await createUser(server);
      const created = await server.api("POST", "/api/records/trails", { token, body: { title: "x" } });
      expect(created.status).toBe(201);
      expect(created.body.trail).toEqual(["a", "b", "c"]);
      for (const name of ["append-a", "append-b", "append-c"]) {
        await server.api("DELETE", `/api/functions/${name}`, { token: admin() });
      }
    });

    it("does not run an inactive subscription, and runs it again once it is active", async () => {
      await deploy(
        server,
        "stamp",
        `export default function (event) { return { ...event, record: { ...event.record, stamped: true } }; }`,
        {
          triggers: { events: [{ event: "PRE_RECORD_CREATE", active: false }] },
        },
      );
      const { token } = await createUser(server);
      const first = await server.api("POST", "/api/records/stamps", { token, body: { n: 1 } });
      expect(first.body.stamped).toBeUndefined();
      expect(await executionsOf("stamp")).toEqual([]);
      const [sub] = (await server.api("GET", "/api/subscriptions?function=stamp", { token: admin() })).body
        .items;
      const patched = await server.api("PATCH", `/api/subscriptions/${sub.id}`, {
        token: admin(),
        body: { active: true },
      });
      expect(patched.body.active).toBe(true);
      const second = await server.api("POST", "/api/records/stamps", { token, body: { n: 2 } });
      expect(second.body.stamped).toBe(true);
      await server.api("DELETE", "/api/functions/stamp", { token: admin() });
    });

    it("a throwing PRE handler blocks the record create, unless its subscription says on_error: allow", async () => {
      await deploy(
        server,
        "broken-check",
        `export default function () { throw new Error("database of bad words is down"); }`,
        {
          triggers: { events: ["PRE_RECORD_CREATE"] },
        },
      );
      const { token } = await createUser(server);
      const blocked = await server.api("POST", "/api/records/posts", { token, body: { text: "hi" } });
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.message).toContain("database of bad words is down");
      const listed = await server.api("GET", "/api/records/posts", { token });
      expect(listed.body.items).toEqual([]);

      const [sub] = (await server.api("GET", "/api/subscriptions?function=broken-check", { token: admin() }))
        .body.items;
      await server.api("PATCH", `/api/subscriptions/${sub.id}`, {
        token: admin(),
        body: { on_error: "allow" },
      });
      const allowed = await server.api("POST", "/api/records/posts", { token, body: { text: "hi" } });
      expect(allowed.status).toBe(201);
      await server.api("DELETE", "/api/functions/broken-check", { token: admin() });
    });

    it("PRE handlers also guard writes made from inside a function, and user updates and deletes", async () => {
      await deploy(
        server,
        "no-spam",
        `export default function (event, context) {
  if (context.event_type === "PRE_RECORD_CREATE" && event.record.text === "spam") return { allow: false, message: "No spam" };
  if (context.event_type === "PRE_USER_UPDATE" && event.changes.full_name === "Mallory") return { allow: false, message: "Not that name" };
  if (context.event_type === "PRE_USER_DELETE" && event.user.email.startsWith("keep")) return { allow: false, message: "Kept" };
}`,
        { triggers: { events: ["PRE_RECORD_CREATE", "PRE_USER_UPDATE", "PRE_USER_DELETE"] } },
      );
      await deploy(
        server,
        "writer",
        `export default async function () {
  try { await backend.create("inbox", { text: "spam" }); return "written"; } catch (e) { return "refused: " + e.message; }
}`,
        { access: "admin" },
      );
      const call = await server.api("POST", "/api/functions/writer/invoke", { token: admin(), body: {} });
      expect(call.body).toBe("refused: No spam");
      const { user } = await createUser(server, { email: "keep-me@example.com" });
      const rename = await server.api("PATCH", `/api/users/${user.id}`, {
        token: admin(),
        body: { full_name: "Mallory" },
      });
      expect(rename.status).toBe(403);
      expect(rename.body.error.message).toBe("Not that name");
      const removal = await server.api("DELETE", `/api/users/${user.id}`, { token: admin() });
      expect(removal.status).toBe(403);
      expect((await server.api("GET", `/api/users/${user.id}`, { token: admin() })).body.full_name).not.toBe(
        "Mallory",
      );
      await server.api("DELETE", "/api/functions/no-spam", { token: admin() });
    });

    it("a Deno.serve handler learns the event's type, id and delivery from the request headers", async () => {
      await deploy(
        server,
        "deno-handler",
        `Deno.serve(async (req) => {
  const event = await req.json();
  await backend.create("deno_seen", {
    type: req.headers.get("x-backend-event-type"),
    eventId: req.headers.get("x-backend-event-id"),
    deliveryId: req.headers.get("x-backend-delivery-id"),
    sku: event.sku,
  });
  return Response.json({ ok: true });
});`,
        { triggers: { events: ["stock_low"] } },
      );
      const published = await server.api("POST", "/api/events", {
        token: admin(),
        body: { type: "stock_low", data: { sku: "A1" } },
      });
      const seen = await eventually(async () => {
        const res = await server.api("GET", "/api/records/deno_seen", { token: admin() });
        expect(res.body.items).toHaveLength(1);
        return res.body.items[0];
      });
      const [delivery] = await deliveriesOf("deno-handler");
      expect(seen).toMatchObject({
        type: "stock_low",
        eventId: published.body.id,
        deliveryId: delivery!.id,
        sku: "A1",
      });
    });

    it("retries a POST handler that fails twice, runs it three times and marks the delivery done", async () => {
      await deploy(
        server,
        "flaky",
        `export default async function (event, context) {
  if (context.attempt < 3) throw new Error("try again (attempt " + context.attempt + ")");
  backend.create("flaky_done", { delivery: context.delivery_id });
}`,
        { triggers: { events: ["flaky_event"] } },
      );
      await server.api("POST", "/api/events", {
        token: admin(),
        body: { type: "flaky_event", data: { n: 1 } },
      });
      const [delivery] = await eventually(async () => {
        const found = await deliveriesOf("flaky");
        expect(found.map((d) => d.status)).toEqual(["done"]);
        return found;
      });
      expect(delivery!.attempts).toBe(3);
      const runs = await executionsOf("flaky");
      expect(runs.map((r) => r.status).sort()).toEqual(["error", "error", "success"]);
      expect(runs.every((r) => r.cause?.kind === "delivery" && r.cause.id === delivery!.id)).toBe(true);
      const done = await server.api("GET", "/api/records/flaky_done", { token: admin() });
      expect(done.body.items.map((r: { delivery: string }) => r.delivery)).toEqual([delivery!.id]);
    });

    it("dead-letters a POST handler that always fails, and a replay succeeds once the function is fixed", async () => {
      await deploy(server, "always-fails", `export default function () { throw new Error("not yet"); }`, {
        triggers: { events: ["doomed"] },
      });
      await server.api("POST", "/api/events", { token: admin(), body: { type: "doomed", data: { n: 7 } } });
      const [dead] = await eventually(async () => {
        const found = await deliveriesOf("always-fails");
        expect(found.map((d) => d.status)).toEqual(["dead"]);
        return found;
      });
      expect(dead!.attempts).toBe(3);
      const deadList = await server.api("GET", "/api/deliveries?status=dead&function=always-fails", {
        token: admin(),
      });
      expect(deadList.body.items.map((d: Delivery) => d.id)).toEqual([dead!.id]);

      await deploy(
        server,
        "always-fails",
        `export default function (event) { backend.create("fixed", { n: event.n }); }`,
        {
          triggers: { events: ["doomed"] },
        },
      );
      const replay = await server.api("POST", `/api/deliveries/${dead!.id}/replay`, {
        token: admin(),
        body: { data: { n: 8 } },
      });
      expect(replay.status).toBe(201);
      expect(replay.body.replayOf).toBe(dead!.id);
      await eventually(async () => {
        const res = await server.api("GET", `/api/deliveries/${replay.body.id}`, { token: admin() });
        expect(res.body.status).toBe("done");
      });
      const fixed = await server.api("GET", "/api/records/fixed", { token: admin() });
      expect(fixed.body.items.map((r: { n: number }) => r.n)).toEqual([8]);
    });

    it("stops a function that publishes the event it handles at the configured depth", async () => {
      await deploy(
        server,
        "echo",
        `export default async function (event) {
  await backend.publishEvent("echo", { hop: event.hop + 1 });
}`,
        { triggers: { events: ["echo"] } },
      );
      await server.api("POST", "/api/events", { token: admin(), body: { type: "echo", data: { hop: 1 } } });
      const runs = await eventually(async () => {
        const found = await executionsOf("echo");
        expect(found.filter((r) => r.status !== "running")).toHaveLength(8);
        return found;
      });
      const failed = runs.filter((r) => r.status === "error");
      expect(failed).toHaveLength(1);
      expect(failed[0]!.error).toContain("Event loop stopped");
      const events = await server.api("GET", "/api/events?type=echo&limit=100", { token: admin() });
      expect(events.body.items).toHaveLength(8);
      // The loop is recorded: the last one's delivery is dead at once, with the reason.
      const dead = await eventually(async () => {
        const found = (await deliveriesOf("echo")).filter((d) => d.status === "dead");
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(dead.attempts).toBe(1);
      await unsubscribeAll("echo");
    });

    it("traces a request through the write, its POST event, the delivery and the handler's own event", async () => {
      await deploy(
        server,
        "trace-step",
        `export default async function (event) { await backend.publishEvent("trace_next", { from: event.record.id }); }`,
        { triggers: { events: ["POST_RECORD_CREATE"] } },
      );
      const { token } = await createUser(server);
      const created = await server.api("POST", "/api/records/traced", { token, body: { n: 1 } });
      const delivery = await eventually(async () => {
        const found = await deliveriesOf("trace-step");
        expect(found.map((d) => d.status)).toEqual(["done"]);
        return found[0]!;
      });
      const trace = await eventually(async () => {
        const res = await server.api("GET", `/api/traces/${delivery.executionId}`, { token: admin() });
        expect(res.status).toBe(200);
        const execution = res.body.root.children[0].children[0].children[0];
        expect(execution.children.map((c: { kind: string }) => c.kind)).toEqual(["event"]);
        return res.body.root;
      });
      expect(trace).toMatchObject({ kind: "request", id: created.headers.get("x-request-id") });
      const event = trace.children[0];
      expect(event).toMatchObject({ kind: "event", type: "POST_RECORD_CREATE" });
      expect(event.children[0]).toMatchObject({ kind: "delivery", id: delivery.id, function: "trace-step" });
      expect(event.children[0].children[0].children[0]).toMatchObject({ kind: "event", type: "trace_next" });
      expect(created.status).toBe(201);
      await server.api("DELETE", "/api/functions/trace-step", { token: admin() });
    });
  });
});
