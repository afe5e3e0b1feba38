// docs/events.md is true: its catalogue and payload tables say what src/events/catalogue.ts and the
// actions really fire, and its marked examples (```js example=NAME, with their ```jsonc example=NAME
// function.jsonc) deploy and behave as the page says, on both stores.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { createClient } from "../sdk/index.js";
import { SYSTEM_EVENTS } from "./catalogue.js";

const page = readFileSync(new URL("../../docs/events.md", import.meta.url), "utf8");

interface Example {
  file?: string;
  source?: string;
  config?: Record<string, unknown>;
}
const examples = new Map<string, Example>();
for (const m of page.matchAll(/```(js|ts|jsonc) example=([\w-]+)\n([\s\S]*?)\n```/g)) {
  const [, lang, name, text] = m as unknown as [string, string, string, string];
  const example = examples.get(name) ?? {};
  if (lang === "jsonc") example.config = parse(text) as Record<string, unknown>;
  else Object.assign(example, { file: `entry.${lang}`, source: text });
  examples.set(name, example);
}

/** The text of a `## heading` section, up to the next `## `. */
function section(heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`docs/events.md has no '## ${heading}' section`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** The rows of the section's tables whose first cell is a `code` name: name -> the other cells. */
function rows(heading: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const line of section(heading).split("\n")) {
    const m = /^\| `([^`]+)`\s*\|(.*)\|$/.exec(line);
    if (m)
      found.set(
        m[1]!,
        m[2]!.split("|").map((c) => c.trim()),
      );
  }
  return found;
}

/** `{ user_id, email, user }` -> the field names, without `?` marks and `...extra`. */
function fieldsOf(cell: string): string[] {
  const inside = /`\{([^}]*)\}`/.exec(cell)?.[1] ?? "";
  return inside
    .split(",")
    .map((f) => f.trim().replace(/\?$/, ""))
    .filter((f) => f !== "" && !f.startsWith("..."))
    .sort();
}

function example(name: string): Required<Example> {
  const found = examples.get(name);
  if (!found?.source || !found.config) throw new Error(`docs/events.md has no complete example '${name}'`);
  return found as Required<Example>;
}

describe("docs/events.md tables", () => {
  it("lists every type of the catalogue with its aliases and phase, and nothing else", () => {
    const catalogue = rows("The catalogue");
    expect([...catalogue.keys()].sort()).toEqual(SYSTEM_EVENTS.map((e) => e.type).sort());
    for (const event of SYSTEM_EVENTS) {
      const [aliases, phase] = catalogue.get(event.type)!;
      expect(
        [...aliases!.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
        event.type,
      ).toEqual(event.aliases);
      expect(phase, event.type).toBe(event.phase);
    }
  });

  it("gives every type's payload with exactly the fields of the catalogue", () => {
    const payloads = rows("Payloads");
    for (const event of SYSTEM_EVENTS) {
      const cells = payloads.get(event.type);
      expect(cells, `no payload row for ${event.type}`).toBeDefined();
      const documented = fieldsOf(cells![0]!);
      const declared = Object.keys(event.payload)
        .filter((k) => k !== "...")
        .sort();
      expect(documented, event.type).toEqual(declared);
    }
  });

  it("has the examples this test runs", () => {
    expect([...examples.keys()].sort()).toEqual(
      ["grant-points", "no-shouting", "on-order-placed", "start-trial", "validate-signup", "welcome"].sort(),
    );
  });
});

forEachStore((store) => {
  describe("docs/events.md examples", () => {
    let server: TestServer;
    let crm: Server;
    let crmCalls = 0;
    const admin = () => server.adminKey;

    beforeAll(async () => {
      // The CRM of the idempotency example: down on the first call, up after.
      crm = createServer((req, res) => {
        crmCalls += 1;
        req.resume();
        res.writeHead(crmCalls === 1 ? 503 : 200).end();
      });
      await new Promise<void>((resolve) => crm.listen(0, "127.0.0.1", resolve));
      server = await startServer(store, {
        config: {
          events: { retryBaseMs: 20, retryMaxMs: 100 },
          functions: { fetch: { allow: ["127.0.0.1"] } },
        },
      });
    });
    afterAll(async () => {
      await server?.close();
      await new Promise((resolve) => crm?.close(resolve));
    });

    const deployExample = async (name: string) => {
      const { file, source, config } = example(name);
      await deploy(server, name, source, config, file);
    };
    const remove = (name: string) => server.api("DELETE", `/api/functions/${name}`, { token: admin() });
    const records = async (collection: string) =>
      (await server.api("GET", `/api/records/${collection}?limit=100`, { token: admin() })).body.items;

    it("the payload table matches the events the actions really fire", async () => {
      // A PRE handler on every PRE type that prints the payload's fields (and allows the action).
      const pre = SYSTEM_EVENTS.filter((e) => e.phase === "PRE" && !e.type.includes("CHANNEL"));
      await deploy(
        server,
        "print-fields",
        `export default function (event, context) {
  console.log(context.event_type + " " + JSON.stringify(Object.keys(event).sort()));
}`,
        { triggers: { events: pre.map((e) => e.type) } },
      );
      const { token, user, password } = await createUser(server);
      const created = await server.api("POST", "/api/records/notes", { token, body: { title: "a" } });
      await server.api("PATCH", `/api/records/notes/${created.body.id}`, { token, body: { title: "b" } });
      await server.api("DELETE", `/api/records/notes/${created.body.id}`, { token });
      await server.api("PATCH", `/api/users/${user.id}`, { token: admin(), body: { full_name: "Ada" } });
      const login = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      await server.api("POST", "/api/auth/logout", { token: login.body.token });
      await server.api("DELETE", `/api/users/${user.id}`, { token: admin() });

      const seen = new Map<string, string[]>();
      const runs = (
        await server.api("GET", "/api/executions?function=print-fields&limit=100", { token: admin() })
      ).body.items as { id: string }[];
      for (const run of runs) {
        const detail = await server.api("GET", `/api/executions/${run.id}`, { token: admin() });
        for (const { message } of detail.body.logs as { message: string }[]) {
          const [type, keys] = message.split(" ");
          seen.set(type!, JSON.parse(keys!));
        }
      }
      for (const type of [
        "POST_USER_CREATE",
        "POST_USER_UPDATE",
        "POST_USER_DELETE",
        "POST_LOGIN",
        "POST_LOGOUT",
      ].concat(["POST_RECORD_CREATE", "POST_RECORD_UPDATE", "POST_RECORD_DELETE"])) {
        const res = await server.api("GET", `/api/events?type=${type}&limit=1`, { token: admin() });
        expect(res.body.items, type).toHaveLength(1);
        seen.set(type, Object.keys(res.body.items[0].data).sort());
      }
      expect([...seen.keys()].sort()).toEqual(
        [...pre.map((e) => e.type), "POST_USER_CREATE", "POST_USER_UPDATE", "POST_USER_DELETE"]
          .concat([
            "POST_LOGIN",
            "POST_LOGOUT",
            "POST_RECORD_CREATE",
            "POST_RECORD_UPDATE",
            "POST_RECORD_DELETE",
          ])
          .sort(),
      );
      const payloads = rows("Payloads");
      for (const [type, keys] of seen) {
        // A sign-up's PRE_USER_CREATE has no role and no extra fields: the rest are all there.
        const documented = fieldsOf(payloads.get(type)![0]!).filter(
          (f) => !(type === "PRE_USER_CREATE" && f === "role"),
        );
        expect(keys, type).toEqual(documented);
      }
      await remove("print-fields");
    });

    it("welcome: seed 000's onUserRegistered sends a welcome email to event.user.email", async () => {
      await deployExample("welcome");
      const { user } = await createUser(server);
      const email = await eventually(async () => {
        const res = await server.api("GET", "/api/emails?limit=100", { token: admin() });
        const found = (res.body.items as { to: string; subject: string }[]).filter(
          (e) => e.to === user.email,
        );
        expect(found).toHaveLength(1);
        return found[0]!;
      });
      expect(email.subject).toBe("Welcome!");
      await remove("welcome");
    });

    it("validate-signup: a PRE handler blocks an invalid email with its message and allows a valid one", async () => {
      await deployExample("validate-signup");
      const refused = await server.api("POST", "/api/auth/register", {
        body: { email: "ada@example.invalid", password: "correct horse battery staple" },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatchObject({ code: "blocked", message: "Invalid email address" });
      expect(refused.body.error.details).toMatchObject({
        eventType: "PRE_USER_CREATE",
        function: "validate-signup",
      });
      const accepted = await server.api("POST", "/api/auth/register", {
        body: { email: "ada@example.com", password: "correct horse battery staple" },
      });
      expect(accepted.status).toBe(201);
      await remove("validate-signup");
    });

    it("start-trial: a PRE handler's modified payload becomes the new user's fields", async () => {
      await deployExample("start-trial");
      const { user } = await createUser(server);
      const stored = await server.api("GET", `/api/users/${user.id}`, { token: admin() });
      expect(stored.body.isPaid).toBe(false);
      const days = (Date.parse(stored.body.trialEndsAt) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(13.9);
      expect(days).toBeLessThanOrEqual(14);
      await remove("start-trial");
    });

    it("no-shouting: a filtered Deno.serve PRE handler blocks capitals in comments only", async () => {
      await deployExample("no-shouting");
      const { token } = await createUser(server);
      const shouted = await server.api("POST", "/api/records/comments", {
        token,
        body: { text: "HELLO ALL" },
      });
      expect(shouted.status).toBe(403);
      expect(shouted.body.error.message).toBe("Please don't shout");
      const calm = await server.api("POST", "/api/records/comments", { token, body: { text: "hello all" } });
      expect(calm.status).toBe(201);
      const elsewhere = await server.api("POST", "/api/records/posts", {
        token,
        body: { text: "HELLO ALL" },
      });
      expect(elsewhere.status).toBe(201);
      await remove("no-shouting");
    });

    it("grant-points: a retried delivery keeps its delivery_id, and the points are granted once", async () => {
      const crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}/contacts`;
      await server.api("PUT", "/api/secrets/CRM_URL", { token: admin(), body: { value: crmUrl } });
      await deployExample("grant-points");
      const { user } = await createUser(server);
      const delivery = await eventually(async () => {
        const res = await server.api("GET", "/api/deliveries?function=grant-points", { token: admin() });
        expect(res.body.items.map((d: { status: string }) => d.status)).toEqual(["done"]);
        return res.body.items[0] as { id: string; attempts: number };
      });
      expect(delivery.attempts).toBe(2);
      expect(crmCalls).toBe(2);
      const points = await records("points");
      expect(points).toHaveLength(1);
      expect(points[0]).toMatchObject({ delivery_id: delivery.id, user_id: user.id, amount: 100 });
      await remove("grant-points");
    });

    it("on-order-placed: an event published from the SDK reaches its handler", async () => {
      await deployExample("on-order-placed");
      const { token } = await createUser(server);
      const backend = createClient({ url: server.url, token });
      const published = await backend.publishEvent("order_placed", { orderId: 123 });
      expect(published).toMatchObject({ type: "order_placed", deliveries: 1 });
      const log = await eventually(async () => {
        const found = await records("order_log");
        expect(found).toHaveLength(1);
        return found;
      });
      expect(log[0].orderId).toBe(123);
      await remove("on-order-placed");
    });

    it("custom events: system names are reserved (403) and data over 1 MB is a 413", async () => {
      const { token } = await createUser(server);
      for (const type of ["POST_USER_CREATE", "user_registered", "post_login"]) {
        const res = await server.api("POST", "/api/events", { token, body: { type, data: {} } });
        expect(res.status, type).toBe(403);
      }
      const big = await server.api("POST", "/api/events", {
        token,
        body: { type: "big_one", data: { blob: "x".repeat(1024 * 1024) } },
      });
      expect(big.status).toBe(413);
      const anonymous = await server.api("POST", "/api/events", { body: { type: "order_placed" } });
      expect(anonymous.status).toBe(401);
    });
  });
});
