import { readdirSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { createClient, type FetchLike, type Filter, type Record as StoredRecord } from "./index.js";
import { rejection } from "./testing/rejection.js";

interface Task {
  title: string;
  priority: number;
  dueAt: string;
  done?: boolean;
  note?: string;
}

let emailCounter = 0;
const newEmail = () => `sdk${++emailCounter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const password = "correct horse battery staple";

forEachStore((store) => {
  describe("the SDK against a real server", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
    });
    afterAll(async () => server?.close());

    it("register signs the client in, and me returns that user", async () => {
      const client = createClient({ url: server.url });
      const email = newEmail();
      const session = await client.auth.register({
        email: `  ${email.toUpperCase()} `,
        password,
        full_name: "Ada",
      });
      expect(session.user.email).toBe(email);
      expect(client.token).toBe(session.token);
      const me = await client.auth.me();
      expect(me).toMatchObject({ id: session.user.id, email, full_name: "Ada" });
      expect(me).not.toHaveProperty("password_hash");
    });

    it("login keeps the token; logout forgets it and the old token is rejected with a 401", async () => {
      const email = newEmail();
      await createClient({ url: server.url }).auth.register({ email, password });
      const seen: (string | null)[] = [];
      const client = createClient({ url: server.url, onTokenChange: (t) => seen.push(t) });
      const { token, user } = await client.auth.login({ email, password });
      expect(client.token).toBe(token);
      expect((await client.auth.me()).id).toBe(user.id);

      await client.auth.logout();
      expect(client.token).toBeNull();
      expect(seen).toEqual([token, null]);
      const anonymous = await rejection(client.auth.me());
      expect(anonymous.status).toBe(401);

      const revoked = await rejection(createClient({ url: server.url, token }).auth.me());
      expect(revoked).toMatchObject({ status: 401, code: "unauthorized" });
      expect(revoked.message).toMatch(/token/i);
    });

    it("a wrong password rejects with the server's status, code and message", async () => {
      const email = newEmail();
      await createClient({ url: server.url }).auth.register({ email, password });
      const client = createClient({ url: server.url });
      const error = await rejection(client.auth.login({ email, password: "not the password" }));
      expect(error).toMatchObject({ status: 401, message: "Invalid email or password" });
      expect(client.token).toBeNull();
    });

    it("updateMe changes the name; a password reset with the emailed code signs out old sessions", async () => {
      const client = createClient({ url: server.url });
      const email = newEmail();
      await client.auth.register({ email, password, full_name: "Old" });
      const updated = await client.auth.updateMe({ full_name: "New" });
      expect(updated.full_name).toBe("New");
      expect((await client.auth.me()).full_name).toBe("New");

      await expect(client.auth.requestPasswordReset(newEmail())).resolves.toBeUndefined();
      const bad = await rejection(client.auth.confirmPasswordReset("no-such-token", "another password"));
      expect(bad.status).toBe(400);

      await expect(client.auth.requestPasswordReset(email)).resolves.toBeUndefined();
      // The outbox row is written with the request, so it is there once the request answered.
      const outbox = await server.api("GET", "/api/emails?limit=100", { token: server.adminKey });
      const mail = outbox.body.items.find((m: { to: string }) => m.to === email);
      const code = /reset code: (\S+)/.exec(mail?.text ?? "")?.[1];
      expect(code, `no reset code in ${JSON.stringify(mail)}`).toBeDefined();
      const oldToken = client.token;
      await client.auth.confirmPasswordReset(code!, "a brand new password");
      expect((await rejection(createClient({ url: server.url, token: oldToken }).auth.me())).status).toBe(
        401,
      );
      // The client still holds the revoked token; login must not send it (the server would refuse).
      await client.auth.login({ email, password: "a brand new password" });
      expect(client.token).not.toBe(oldToken);
      expect((await client.auth.me()).email).toBe(email);
    });

    it("creates, reads, lists with a Date filter, queries, updates and deletes records", async () => {
      const client = createClient({ url: server.url });
      await client.auth.register({ email: newEmail(), password });
      const collection = `tasks_${store}`;
      const day = (d: number) => new Date(Date.UTC(2030, 0, d, 12)).toISOString();

      const created: StoredRecord<Task>[] = [];
      for (const [i, priority] of [3, 1, 2, 5, 4].entries()) {
        created.push(
          await client.records.create<Task>(collection, { title: `t${i}`, priority, dueAt: day(i + 1) }),
        );
      }
      const first = created[0]!;
      expect(first).toMatchObject({ title: "t0", priority: 3, dueAt: day(1) });
      expect(first.id).toEqual(expect.any(String));
      expect(first.ownerId).toBe((await client.auth.me()).id);
      expect(Date.parse(first.createdAt)).not.toBeNaN();

      expect(await client.records.get<Task>(collection, first.id)).toEqual(first);

      // dueAt strictly before Jan 3 12:00 UTC: records t0 and t1, whatever the offset is written as.
      const dueBefore: Filter<Task> = { dueAt: { $lt: new Date(Date.UTC(2030, 0, 3, 12)) } };
      const listed = await client.records.list<Task>(collection, { filter: dueBefore, sort: "title" });
      expect(listed.total).toBe(2);
      expect(listed.items.map((r) => r.title)).toEqual(["t0", "t1"]);

      const queried = await client.records.query<Task>(collection, {
        filter: { $or: [{ priority: { $gte: 4 } }, { title: { $in: ["t0", "t2"] } }] },
        sort: ["-priority"],
        limit: 3,
      });
      expect(queried.total).toBe(4);
      expect(queried.limit).toBe(3);
      expect(queried.items.map((r) => r.priority)).toEqual([5, 4, 3]);

      const page2 = await client.records.list<Task>(collection, { sort: "priority", limit: 2, offset: 2 });
      expect(page2.items.map((r) => r.priority)).toEqual([3, 4]);

      const withNote = await client.records.update<Task>(collection, first.id, { done: true, note: "x" });
      expect(withNote).toMatchObject({ title: "t0", done: true, note: "x" });
      const withoutNote = await client.records.update<Task>(collection, first.id, { note: null });
      expect(withoutNote).not.toHaveProperty("note");
      expect(withoutNote.done).toBe(true);

      await client.records.delete(collection, first.id);
      const gone = await rejection(client.records.get(collection, first.id));
      expect(gone).toMatchObject({ status: 404, code: "not_found" });
      expect((await client.records.list(collection)).total).toBe(4);
    });

    it("someone else's record surfaces as a 404, never as the record", async () => {
      const alice = createClient({ url: server.url });
      const bob = createClient({ url: server.url });
      await alice.auth.register({ email: newEmail(), password });
      await bob.auth.register({ email: newEmail(), password });
      const secret = await alice.records.create("diaries", { text: "dear diary" });
      const error = await rejection(bob.records.update("diaries", secret.id, { text: "hacked" }));
      expect(error.status).toBe(404);
      expect((await alice.records.get("diaries", secret.id)).text).toBe("dear diary");
    });

    it("server-side validation errors arrive as BackendError 400", async () => {
      const client = createClient({ url: server.url });
      await client.auth.register({ email: newEmail(), password });
      const badName = await rejection(client.records.create("_reserved", { a: 1 }));
      expect(badName.status).toBe(400);
      const badFilter = await rejection(client.records.list("things", { filter: { $nope: 1 } as Filter }));
      expect(badFilter).toMatchObject({ status: 400, code: "invalid_input" });
    });
  });
});

describe("the SDK without a server", () => {
  const answer =
    (status: number, body: string, contentType = "application/json"): FetchLike =>
    async () => ({
      status,
      statusText: "",
      headers: { get: (name) => (name.toLowerCase() === "content-type" ? contentType : null) },
      text: async () => body,
    });

  it("reports an unreachable server as a network_error with status 0", async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const client = createClient({ url: `http://127.0.0.1:${port}` });
    const error = await rejection(client.auth.me());
    expect(error).toMatchObject({ status: 0, code: "network_error" });
    expect(error.message).toContain(`http://127.0.0.1:${port}/api/auth/me`);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("reports a non-JSON answer (e.g. a proxy's error page) clearly", async () => {
    const client = createClient({
      url: "http://x.test",
      fetch: answer(502, "<html>Bad gateway</html>", "text/html"),
    });
    const error = await rejection(client.records.get("a", "b"));
    expect(error).toMatchObject({ status: 502, code: "invalid_response" });
    expect(error.message).toContain("Bad gateway");

    const okButHtml = createClient({
      url: "http://x.test",
      fetch: answer(200, "<html></html>", "text/html"),
    });
    expect((await rejection(okButHtml.auth.me())).code).toBe("invalid_response");
  });

  it("gives up after timeoutMs with code timeout", async () => {
    const hang: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) =>
        init.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    const client = createClient({ url: "http://x.test", fetch: hang, timeoutMs: 20 });
    expect(await rejection(client.auth.me())).toMatchObject({ status: 0, code: "timeout" });
  });

  it("sends the token, the JSON filter with Dates as ISO strings, and keeps a path prefix", async () => {
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const recorder: FetchLike = async (url, init) => {
      calls.push({ url, headers: init.headers });
      return answer(200, '{"items":[],"total":0,"limit":50,"offset":0}')(url, init);
    };
    const client = createClient({ url: "https://api.example.com/backend/", token: "tok", fetch: recorder });
    await client.records.list<Task>("my tasks", {
      filter: { dueAt: { $gte: new Date("2030-01-01T00:00:00Z") } },
      sort: ["-priority", "title"],
      limit: 10,
    });
    const sent = new URL(calls[0]!.url);
    expect(sent.origin + sent.pathname).toBe("https://api.example.com/backend/api/records/my%20tasks");
    expect(JSON.parse(sent.searchParams.get("filter")!)).toEqual({
      dueAt: { $gte: "2030-01-01T00:00:00.000Z" },
    });
    expect(sent.searchParams.get("sort")).toBe("-priority,title");
    expect(sent.searchParams.get("limit")).toBe("10");
    expect(sent.searchParams.has("offset")).toBe(false);
    expect(calls[0]!.headers.authorization).toBe("Bearer tok");

    client.setToken(null);
    await client.records.list("x");
    expect(calls[1]!.headers).not.toHaveProperty("authorization");
  });

  it("rejects a relative url when the client is created", () => {
    expect(() => createClient({ url: "/api" })).toThrow(/absolute URL/);
  });

  it("the SDK source uses no Node built-ins and imports nothing outside src/sdk", () => {
    const dir = path.dirname(fileURLToPath(import.meta.url));
    // Every source file, in subfolders too (admin/), but not the tests' own helpers (testing/).
    const sources = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith("testing"),
    );
    expect(sources).toContain("index.ts");
    expect(sources).toContain(path.join("admin", "index.ts"));
    for (const file of sources) {
      // Comments may show app code (`import ... from "backend"`); only code counts.
      const text = readFileSync(path.join(dir, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
      for (const specifier of specifiers) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\.?\/[\w./-]+\.js$/);
        const target = path.resolve(dir, path.dirname(file), specifier);
        expect(target.startsWith(dir + path.sep), `${file} imports ${specifier}, outside src/sdk`).toBe(true);
      }
      expect(text, `${file} uses require`).not.toMatch(/\brequire\s*\(/);
      expect(text, `${file} uses Node globals`).not.toMatch(/\b(process|Buffer|__dirname|__filename)\b/);
      expect(text, `${file} names a node: module`).not.toMatch(/["']node:/);
    }
  });

  it("types records and filters from the record type", () => {
    // Compiled by `tsc --noEmit`, never run: each @ts-expect-error line must be a type error.
    const typeChecks = async () => {
      const client = createClient({ url: "http://x.test" });
      const task = await client.records.create<Task>("tasks", {
        title: "a",
        priority: 1,
        dueAt: "2030-01-01",
      });
      const id: string = task.id;
      const owner: string | null = task.ownerId;
      const title: string = task.title;
      // @ts-expect-error priority is a number
      const wrong: string = task.priority;
      // @ts-expect-error a missing required field
      await client.records.create<Task>("tasks", { title: "a", priority: 1 });
      await client.records.list<Task>("tasks", {
        filter: { dueAt: { $lt: new Date() }, priority: { $in: [1, 2] } },
      });
      // @ts-expect-error an unknown field
      await client.records.list<Task>("tasks", { filter: { colour: "red" } });
      // @ts-expect-error a string for a number field
      await client.records.list<Task>("tasks", { filter: { priority: { $gt: "high" } } });
      // @ts-expect-error an unknown operator
      await client.records.list<Task>("tasks", { filter: { priority: { $regex: "x" } } });
      // @ts-expect-error sorting by an unknown field
      await client.records.list<Task>("tasks", { sort: "-colour" });
      await client.records.list<Task>("tasks", {
        sort: ["-createdAt", "title"],
        filter: { createdAt: { $gte: new Date() } },
      });
      await client.records.update<Task>("tasks", id, { note: null });
      return [owner, title, wrong];
    };
    expect(typeof typeChecks).toBe("function");
  });
});
