import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { createClient } from "../../sdk/index.js";
import { deploy } from "../invoke/testing/deploy.js";

forEachStore((store) => {
  describe("the backend API inside functions", () => {
    let server: TestServer;
    let alice: Awaited<ReturnType<typeof createUser>>;
    let bob: Awaited<ReturnType<typeof createUser>>;
    const call = (name: string, payload: unknown = {}, token?: string) =>
      createClient({ url: server.url, ...(token ? { token } : {}) }).functions.invoke<any>(name, payload);

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      alice = await createUser(server, { full_name: "Alice" });
      bob = await createUser(server, { full_name: "Bob" });
    });
    afterAll(async () => server?.close());

    it("records work synchronously and with await, as the service", async () => {
      await deploy(
        server,
        "notes",
        `export default async function (event) {
           const made = backend.create("notes", { title: event.title, n: 1 });
           const again = await backend.create("notes", { title: event.title + "!", n: 2 });
           const read = backend.get("notes", made.id);
           const updated = await backend.update("notes", made.id, { n: 5 });
           const found = backend.query("notes", { n: { $gte: 2 } }, { sort: "-n" });
           const counted = await backend.count("notes", {});
           const gone = backend.delete("notes", again.id);
           const missing = backend.get("notes", again.id);
           return { made, read, updated: updated.n, found: found.map((r) => r.title), counted, gone, missing,
                    left: backend.count("notes") };
         }`,
        { access: "public" },
      );
      const r = await call("notes", { title: "hi" });
      expect(r.made).toMatchObject({ title: "hi", n: 1, ownerId: null });
      expect(r.read).toEqual(r.made);
      expect(r).toMatchObject({
        updated: 5,
        found: ["hi", "hi!"],
        counted: 2,
        gone: true,
        missing: null,
        left: 1,
      });
    });

    it("a client from the request acts as the caller; asServiceRole as the service", async () => {
      await deploy(
        server,
        "mine",
        `Deno.serve(async (req) => {
           const client = createClientFromRequest(req);
           const me = await client.auth.me();
           const { action, id } = await req.json();
           try {
             if (action === "create") return Response.json(await client.create("diary", { by: me && me.email }));
             if (action === "list") return Response.json((await client.query("diary")).map((r) => r.by));
             if (action === "get") return Response.json({ found: await client.get("diary", id) });
             if (action === "all") return Response.json((await client.asServiceRole.query("diary")).length);
           } catch (error) {
             return Response.json({ error: error.message }, { status: 400 });
           }
         });`,
        { access: "public" },
      );
      await server.api("PUT", "/api/collections/diary", { token: server.adminKey, body: { read: "owner" } });
      const mine = await call("mine", { action: "create" }, alice.token);
      expect(mine).toMatchObject({ by: alice.user.email, ownerId: alice.user.id });
      await call("mine", { action: "create" }, bob.token);
      expect(await call("mine", { action: "list" }, alice.token)).toEqual([alice.user.email]);
      // Bob cannot read Alice's record through his client, whatever id the function passes.
      expect(await call("mine", { action: "get", id: mine.id }, bob.token)).toEqual({ found: null });
      expect(await call("mine", { action: "all" }, bob.token)).toBe(2);
      // Anonymous callers are anonymous inside too.
      const anonymous = await server.api("POST", "/functions/mine", { body: { action: "create" } });
      expect(anonymous.status).toBe(400);
      expect(anonymous.body.error).toMatch(/Sign in/);
    });

    it("the collection users is the users, queried with the same filter language", async () => {
      await server.api("PATCH", `/api/users/${alice.user.id}`, {
        token: server.adminKey,
        body: { plan: "pro", seats: 3 },
      });
      await deploy(
        server,
        "people",
        `export default async function (event, context) {
           const client = createClientFromRequest(context.request);
           const pros = backend.query("users", { plan: "pro", seats: { $gt: 2 } });
           let asCaller;
           try { asCaller = await client.query("users", {}); } catch (e) { asCaller = e.message; }
           return { pros: pros.map((u) => u.email), count: backend.count("users", { plan: "pro" }),
                    one: backend.get("users", pros[0].id).full_name, asCaller,
                    nobody: backend.get("users", "no-such-id") };
         }`,
        { access: "user" },
      );
      const r = await call("people", {}, bob.token);
      expect(r).toMatchObject({ pros: [alice.user.email], count: 1, one: "Alice", nobody: null });
      expect(r.asCaller).toMatch(/admin/);
      expect(JSON.stringify(r)).not.toContain("password");
    });

    it("sendEmail puts text, html or subject-only messages in the outbox", async () => {
      await deploy(
        server,
        "mailer",
        `export default async function () {
           const a = backend.sendEmail("ann@example.com", "Plain", "Hello Ann");
           const b = await backend.sendEmail(["bo@example.com", "cy@example.com"], "Rich",
             { html: "<b>Hi</b>", text: "Hi", replyTo: "help@example.com" });
           const c = backend.sendEmail("dee@example.com", "Subject only");
           let bad; try { backend.sendEmail("not an address", "x"); } catch (e) { bad = e.message; }
           return { ids: [a.id, b.id, c.id], bad };
         }`,
        { access: "admin" },
      );
      const r = await call("mailer", {}, server.adminKey);
      expect(r.ids).toHaveLength(3);
      expect(r.bad).toMatch(/email address/);
      const outbox = await server.api("GET", "/api/emails?limit=10", { token: server.adminKey });
      const byId = new Map(outbox.body.items.map((e: any) => [e.id, e]));
      expect(byId.get(r.ids[0])).toMatchObject({
        to: "ann@example.com",
        subject: "Plain",
        text: "Hello Ann",
      });
      expect(byId.get(r.ids[1])).toMatchObject({
        to: "bo@example.com, cy@example.com",
        html: "<b>Hi</b>",
        replyTo: "help@example.com",
      });
      expect(byId.get(r.ids[2])).toMatchObject({ to: "dee@example.com", subject: "Subject only" });
    });

    it("executeFunction calls another function, traced to the calling execution", async () => {
      await deploy(server, "double", "export default (event) => ({ twice: event.n * 2 })", {
        access: "admin",
      });
      await deploy(
        server,
        "caller",
        `export default async function (event) {
           const direct = await backend.executeFunction("double", { n: event.n });
           const viaAlias = backend.functions.invoke("double", { n: 10 });
           let refused;
           try { await createClientFromRequest().executeFunction("double", { n: 1 }); } catch (e) { refused = e.message; }
           let failed;
           try { backend.executeFunction("nope", {}); } catch (e) { failed = e.message; }
           return { direct, viaAlias, refused, failed };
         }`,
        { access: "user" },
      );
      const res = await server.api("POST", "/api/functions/caller/invoke", {
        token: bob.token,
        body: { n: 21 },
      });
      expect(res.body).toMatchObject({
        direct: { twice: 42 },
        viaAlias: { twice: 20 },
        failed: "No function named nope",
      });
      expect(res.body.refused).toMatch(/admins only/);
      const parent = res.headers.get("x-execution-id")!;
      const children = await server.api("GET", `/api/executions?cause=${parent}`, { token: server.adminKey });
      expect(children.body.items.map((e: any) => [e.function, e.trigger, e.caller, e.cause.kind])).toEqual([
        ["double", "call", "admin", "execution"],
        ["double", "call", "admin", "execution"],
      ]);
    });

    it("calls between functions stop at the depth limit with a clear error", async () => {
      await deploy(
        server,
        "again",
        `export default async function (event) {
           if (event.n >= 20) return event.n;
           return backend.executeFunction("again", { n: event.n + 1 });
         }`,
        { access: "public" },
      );
      const res = await server.api("POST", "/api/functions/again/invoke", { body: { n: 0 } });
      expect(res.status).toBe(500);
      expect(res.body.error.message).toMatch(/nest calls between functions 9 deep; the limit is 8/);
    });
  });
});
