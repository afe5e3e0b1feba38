import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { BlockedError } from "../core/errors.js";
import type { EventData } from "../events/pipeline.js";

interface Seen {
  phase: "pre" | "post";
  type: string;
  data: EventData;
}

forEachStore((store) => {
  describe("records: create, read, update, delete", () => {
    let server: TestServer;
    let token: string;
    let userId: string;
    const clock = new ManualClock(new Date("2030-01-01T00:00:00.000Z"));
    // A stand-in for the events feature: records what the pipeline hands to PRE and POST, and lets
    // a test play a PRE handler.
    let seen: Seen[] = [];
    let preHandler: ((type: string, data: EventData) => EventData) | undefined;

    beforeAll(async () => {
      server = await startServer(store, { clock });
      server.platform.deps.pipeline.setSeams({
        before: async (type, data) => {
          seen.push({ phase: "pre", type, data: structuredClone(data) });
          return preHandler ? preHandler(type, data) : data;
        },
        record: async (_trx, event) => {
          seen.push({ phase: "post", type: event.type, data: structuredClone(event.data) });
          return 0;
        },
        afterCommit: () => {},
      });
      const user = await createUser(server);
      token = user.token;
      userId = user.user.id;
    });
    afterAll(async () => server?.close());
    beforeEach(() => {
      seen = [];
      preHandler = undefined;
    });

    it("creates a record with system fields and returns it as stored", async () => {
      const res = await server.api("POST", "/api/records/notes", {
        token,
        body: { title: "first", tags: ["a", "b"], meta: { pinned: true, score: 1.5 }, empty: null },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
        ownerId: userId,
        createdAt: "2030-01-01T00:00:00.000Z",
        updatedAt: "2030-01-01T00:00:00.000Z",
        title: "first",
        tags: ["a", "b"],
        meta: { pinned: true, score: 1.5 },
        empty: null,
      });
      const read = await server.api("GET", `/api/records/notes/${res.body.id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
      expect(Object.keys(read.body).slice(0, 4)).toEqual(["id", "ownerId", "createdAt", "updatedAt"]);
    });

    it("ignores system fields sent in a body", async () => {
      const res = await server.api("POST", "/api/records/notes", {
        token,
        body: { id: "mine", ownerId: "someone-else", createdAt: "1999-01-01", updatedAt: "x", title: "t" },
      });
      expect(res.status).toBe(201);
      expect(res.body.id).not.toBe("mine");
      expect(res.body.ownerId).toBe(userId);
      expect(res.body.createdAt).toBe(clock.now().toISOString());

      const patched = await server.api("PATCH", `/api/records/notes/${res.body.id}`, {
        token,
        body: { id: "other", ownerId: null, createdAt: "1999-01-01", title: "u" },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: res.body.id, ownerId: userId, createdAt: res.body.createdAt });
      expect(patched.body.title).toBe("u");
    });

    it("merges top-level fields on update, null removes a field, updatedAt moves", async () => {
      const created = await server.api("POST", "/api/records/notes", {
        token,
        body: { title: "a", done: false, note: "x", nested: { a: 1, b: 2 } },
      });
      clock.advance(60_000);
      const res = await server.api("PATCH", `/api/records/notes/${created.body.id}`, {
        token,
        body: { done: true, note: null, nested: { c: 3 }, added: [1] },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: created.body.id,
        ownerId: userId,
        createdAt: created.body.createdAt,
        updatedAt: clock.now().toISOString(),
        title: "a",
        done: true,
        nested: { c: 3 },
        added: [1],
      });
      expect(res.body.updatedAt).not.toBe(created.body.updatedAt);
      const read = await server.api("GET", `/api/records/notes/${created.body.id}`, { token });
      expect(read.body).toEqual(res.body);
      // The stored document is what filters see: the removed field is gone, not null.
      const byMissing = await server.api(
        "GET",
        `/api/records/notes?filter=${encodeURIComponent(
          JSON.stringify({ id: created.body.id, note: { $exists: false } }),
        )}`,
        { token },
      );
      expect(byMissing.body.total).toBe(1);
    });

    it("deletes a record; it is gone for reads, lists, updates and a second delete", async () => {
      const created = await server.api("POST", "/api/records/trash", { token, body: { n: 1 } });
      const del = await server.api("DELETE", `/api/records/trash/${created.body.id}`, { token });
      expect(del.status).toBe(204);
      expect(del.body).toBe("");
      expect((await server.api("GET", `/api/records/trash/${created.body.id}`, { token })).status).toBe(404);
      expect((await server.api("GET", "/api/records/trash", { token })).body.total).toBe(0);
      const again = await server.api("DELETE", `/api/records/trash/${created.body.id}`, { token });
      expect(again.status).toBe(404);
      expect(again.body.error.message).toContain(created.body.id);
      const patch = await server.api("PATCH", `/api/records/trash/${created.body.id}`, {
        token,
        body: { n: 2 },
      });
      expect(patch.status).toBe(404);
    });

    it("a collection appears with its first record, once, with the owner rule", async () => {
      const name = `fresh_${store}`;
      await Promise.all(
        [1, 2, 3, 4].map((n) => server.api("POST", `/api/records/${name}`, { token, body: { n } })),
      );
      const res = await server.api("GET", "/api/collections", { token: server.adminKey });
      expect(res.status).toBe(200);
      const mine = res.body.items.filter((c: { name: string }) => c.name === name);
      expect(mine).toEqual([{ name, read: "owner", createdAt: expect.any(String) }]);
      expect((await server.api("GET", `/api/records/${name}`, { token })).body.total).toBe(4);
    });

    it("lists default to creation order with a total, limit and offset", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await server.api("POST", "/api/records/ordered", { token, body: { i } })).body.id);
      }
      const all = await server.api("GET", "/api/records/ordered", { token });
      expect(all.body.items.map((r: { id: string }) => r.id)).toEqual(ids);
      expect(all.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
      const page = await server.api("GET", "/api/records/ordered?limit=2&offset=3", { token });
      expect(page.body.items.map((r: { i: number }) => r.i)).toEqual([3, 4]);
      expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 3 });
      // The POST query without any body is the plain listing.
      const bare = await server.api("POST", "/api/records/ordered/query", { token });
      expect(bare.status, JSON.stringify(bare.body)).toBe(200);
      expect(bare.body.items.map((r: { id: string }) => r.id)).toEqual(ids);
    });

    it("the admin key creates records with a null owner", async () => {
      const res = await server.api("POST", "/api/records/notes", {
        token: server.adminKey,
        body: { by: "admin" },
      });
      expect(res.status).toBe(201);
      expect(res.body.ownerId).toBeNull();
    });

    it("sends PRE and POST events with the contract's payloads for create, update and delete", async () => {
      const created = await server.api("POST", "/api/records/events", { token, body: { title: "e" } });
      const record = created.body;
      expect(seen).toEqual([
        { phase: "pre", type: "PRE_RECORD_CREATE", data: { collection: "events", record, user_id: userId } },
        {
          phase: "post",
          type: "POST_RECORD_CREATE",
          data: { collection: "events", record, user_id: userId },
        },
      ]);

      seen = [];
      clock.advance(1000);
      const updated = await server.api("PATCH", `/api/records/events/${record.id}`, {
        token,
        body: { title: "f", extra: 1, gone: null },
      });
      const changes = { title: "f", extra: 1, gone: null };
      expect(seen).toEqual([
        {
          phase: "pre",
          type: "PRE_RECORD_UPDATE",
          data: { collection: "events", id: record.id, changes, previous: record, user_id: userId },
        },
        {
          phase: "post",
          type: "POST_RECORD_UPDATE",
          data: { collection: "events", record: updated.body, previous: record, changes, user_id: userId },
        },
      ]);

      seen = [];
      await server.api("DELETE", `/api/records/events/${record.id}`, { token });
      expect(seen).toEqual([
        {
          phase: "pre",
          type: "PRE_RECORD_DELETE",
          data: { collection: "events", record: updated.body, user_id: userId },
        },
        {
          phase: "post",
          type: "POST_RECORD_DELETE",
          data: { collection: "events", record: updated.body, user_id: userId },
        },
      ]);
    });

    it("events carry user_id null when the admin key acts", async () => {
      await server.api("POST", "/api/records/events", { token: server.adminKey, body: { a: 1 } });
      expect(seen.map((s) => s.data.user_id)).toEqual([null, null]);
    });

    it("a PRE handler may rewrite the fields; system fields and the collection stay the server's", async () => {
      preHandler = (type, data) =>
        type === "PRE_RECORD_CREATE"
          ? {
              ...data,
              collection: "elsewhere",
              user_id: "forged",
              record: { ...(data.record as object), title: "rewritten", id: "forged", ownerId: "forged" },
            }
          : data;
      const res = await server.api("POST", "/api/records/rewrite", { token, body: { title: "original" } });
      expect(res.status).toBe(201);
      expect(res.body.title).toBe("rewritten");
      expect(res.body.ownerId).toBe(userId);
      expect(res.body.id).not.toBe("forged");
      expect((await server.api("GET", `/api/records/rewrite/${res.body.id}`, { token })).body.title).toBe(
        "rewritten",
      );
      expect((await server.api("GET", "/api/records/elsewhere", { token: server.adminKey })).body.total).toBe(
        0,
      );
    });

    it("a PRE handler's changes are validated again: an invalid field name is a 400", async () => {
      const created = await server.api("POST", "/api/records/rewrite", { token, body: { title: "x" } });
      preHandler = (type, data) =>
        type === "PRE_RECORD_UPDATE" ? { ...data, changes: { "bad name": 1 } } : data;
      const res = await server.api("PATCH", `/api/records/rewrite/${created.body.id}`, {
        token,
        body: { title: "y" },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/PRE_RECORD_UPDATE handler.*bad name|bad name/);
      const read = await server.api("GET", `/api/records/rewrite/${created.body.id}`, { token });
      expect(read.body.title).toBe("x");
    });

    it("a PRE handler that blocks leaves nothing written and answers with its message", async () => {
      preHandler = (type) => {
        throw new BlockedError("no spam here", type);
      };
      const res = await server.api("POST", "/api/records/blocked", { token, body: { spam: true } });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: "blocked", message: "no spam here" });
      preHandler = undefined;
      expect((await server.api("GET", "/api/records/blocked", { token })).body.total).toBe(0);
    });

    it("a PRE_RECORD_DELETE handler cannot redirect the delete to another record", async () => {
      const keep = await server.api("POST", "/api/records/redirect", { token, body: { keep: true } });
      const drop = await server.api("POST", "/api/records/redirect", { token, body: { keep: false } });
      preHandler = (type, data) =>
        type === "PRE_RECORD_DELETE" ? { ...data, record: keep.body, collection: "redirect" } : data;
      expect((await server.api("DELETE", `/api/records/redirect/${drop.body.id}`, { token })).status).toBe(
        204,
      );
      expect((await server.api("GET", `/api/records/redirect/${keep.body.id}`, { token })).status).toBe(200);
      expect((await server.api("GET", `/api/records/redirect/${drop.body.id}`, { token })).status).toBe(404);
    });

    it("the record and collection routes are in the OpenAPI document with their schemas", async () => {
      const res = await server.api("GET", "/api/openapi.json");
      expect(res.status).toBe(200);
      const paths = res.body.paths;
      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          "/api/records/{collection}",
          "/api/records/{collection}/query",
          "/api/records/{collection}/{id}",
          "/api/collections",
          "/api/collections/{name}",
        ]),
      );
      const list = paths["/api/records/{collection}"].get;
      expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
        expect.arrayContaining(["collection", "filter", "sort", "limit", "offset"]),
      );
      expect(
        paths["/api/records/{collection}"].post.requestBody.content["application/json"].schema.type,
      ).toBe("object");
      expect(
        paths["/api/collections/{name}"].put.requestBody.content["application/json"].schema.properties.read
          .enum,
      ).toEqual(["owner", "users", "public"]);
    });

    it("concurrent updates of different fields of one record both survive", async () => {
      const created = await server.api("POST", "/api/records/race", { token, body: {} });
      const fields = Array.from({ length: 12 }, (_, i) => `f${i}`);
      const answers = await Promise.all(
        fields.map((f) =>
          server.api("PATCH", `/api/records/race/${created.body.id}`, { token, body: { [f]: f } }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(fields.map(() => 200));
      const read = await server.api("GET", `/api/records/race/${created.body.id}`, { token });
      for (const f of fields) expect(read.body[f]).toBe(f);
    });
  });
});
