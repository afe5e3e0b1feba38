import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

type User = Awaited<ReturnType<typeof createUser>>;

forEachStore((store) => {
  describe("who may read and change which records", () => {
    let server: TestServer;
    let alice: User;
    let bob: User;
    let admin: User;

    const post = (token: string | undefined, collection: string, body: unknown) =>
      server.api("POST", `/api/records/${collection}`, { token, body });
    const setRule = (collection: string, read: string, token = server.adminKey) =>
      server.api("PUT", `/api/collections/${collection}`, { token, body: { read } });

    beforeAll(async () => {
      server = await startServer(store);
      [alice, bob, admin] = [await createUser(server), await createUser(server), await createUser(server)];
      // An admin user: a user whose role is admin (promoted the way an operator would, in the store).
      await server.platform.deps.db
        .updateTable("users")
        .set({ role: "admin" })
        .where("id", "=", admin.user.id)
        .execute();
    });
    afterAll(async () => server?.close());

    describe("in a collection with the default owner rule", () => {
      let aliceNote: { id: string };
      beforeAll(async () => {
        aliceNote = (await post(alice.token, "diary", { text: "alice's secret" })).body;
        await post(bob.token, "diary", { text: "bob's" });
      });

      it("the owner reads their record", async () => {
        const res = await server.api("GET", `/api/records/diary/${aliceNote.id}`, { token: alice.token });
        expect(res.status).toBe(200);
        expect(res.body.text).toBe("alice's secret");
      });

      it("another user gets 404 for get, update and delete, and the record is unchanged", async () => {
        const get = await server.api("GET", `/api/records/diary/${aliceNote.id}`, { token: bob.token });
        expect(get.status).toBe(404);
        expect(get.body.error.code).toBe("not_found");
        expect(JSON.stringify(get.body)).not.toContain("secret");
        const missing = await server.api("GET", "/api/records/diary/no-such-id", { token: bob.token });
        // Not yours and missing look the same.
        expect(get.body.error.message.replace(aliceNote.id, "X")).toBe(
          missing.body.error.message.replace("no-such-id", "X"),
        );

        const patch = await server.api("PATCH", `/api/records/diary/${aliceNote.id}`, {
          token: bob.token,
          body: { text: "hacked" },
        });
        expect(patch.status).toBe(404);
        const del = await server.api("DELETE", `/api/records/diary/${aliceNote.id}`, { token: bob.token });
        expect(del.status).toBe(404);
        const still = await server.api("GET", `/api/records/diary/${aliceNote.id}`, { token: alice.token });
        expect(still.body.text).toBe("alice's secret");
      });

      it("lists show each user only their own records, whatever the filter says", async () => {
        const bobs = await server.api("GET", "/api/records/diary", { token: bob.token });
        expect(bobs.body.items.map((r: { text: string }) => r.text)).toEqual(["bob's"]);
        expect(bobs.body.total).toBe(1);
        for (const filter of [
          { ownerId: alice.user.id },
          { $or: [{ text: "alice's secret" }, { text: "bob's" }] },
        ]) {
          const q = encodeURIComponent(JSON.stringify(filter));
          const listed = await server.api("GET", `/api/records/diary?filter=${q}`, { token: bob.token });
          expect(listed.body.items.every((r: { ownerId: string }) => r.ownerId === bob.user.id)).toBe(true);
          const queried = await server.api("POST", "/api/records/diary/query", {
            token: bob.token,
            body: { filter },
          });
          expect(queried.body.items.every((r: { ownerId: string }) => r.ownerId === bob.user.id)).toBe(true);
        }
      });

      it("admins (the key and admin users) read, list, change and delete everyone's records", async () => {
        for (const token of [server.adminKey, admin.token]) {
          expect((await server.api("GET", "/api/records/diary", { token })).body.total).toBe(2);
          const get = await server.api("GET", `/api/records/diary/${aliceNote.id}`, { token });
          expect(get.status).toBe(200);
          const patch = await server.api("PATCH", `/api/records/diary/${aliceNote.id}`, {
            token,
            body: { seen: true },
          });
          expect(patch.status).toBe(200);
          // The owner stays the owner when an admin edits.
          expect(patch.body.ownerId).toBe(alice.user.id);
        }
        const extra = (await post(alice.token, "diary", { text: "to delete" })).body;
        expect(
          (await server.api("DELETE", `/api/records/diary/${extra.id}`, { token: admin.token })).status,
        ).toBe(204);
      });

      it("anonymous callers get 401 for reads of a non-public collection", async () => {
        const list = await server.api("GET", "/api/records/diary");
        expect(list.status).toBe(401);
        expect(list.body.error.message).toMatch(/Sign in/);
        expect((await server.api("GET", `/api/records/diary/${aliceNote.id}`)).status).toBe(401);
        expect((await server.api("POST", "/api/records/diary/query", { body: {} })).status).toBe(401);
      });
    });

    describe("anonymous writes", () => {
      it("an anonymous create is a 401, even with a malformed body, and stores nothing", async () => {
        const res = await post(undefined, "open", { a: 1 });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe("unauthorized");
        expect((await post(undefined, "open", [1, 2])).status).toBe(401);
        const listed = await server.api("GET", "/api/records/open", { token: server.adminKey });
        expect(listed.body.total).toBe(0);
      });

      it("anonymous update and delete are 401", async () => {
        await setRule("board", "public");
        const note = (await post(alice.token, "board", { text: "hello" })).body;
        expect(
          (await server.api("PATCH", `/api/records/board/${note.id}`, { body: { text: "x" } })).status,
        ).toBe(401);
        expect((await server.api("DELETE", `/api/records/board/${note.id}`)).status).toBe(401);
      });
    });

    describe("collection read rules", () => {
      it("a public collection is readable anonymously; only the owner changes its records", async () => {
        expect((await setRule("news", "public")).body).toMatchObject({ name: "news", read: "public" });
        const item = (await post(alice.token, "news", { title: "launch" })).body;
        await post(bob.token, "news", { title: "bob's news" });

        const anon = await server.api("GET", "/api/records/news");
        expect(anon.status).toBe(200);
        expect(anon.body.total).toBe(2);
        expect((await server.api("GET", `/api/records/news/${item.id}`)).body.title).toBe("launch");
        const filtered = await server.api("POST", "/api/records/news/query", {
          body: { filter: { title: "launch" } },
        });
        expect(filtered.body.total).toBe(1);

        expect((await server.api("GET", `/api/records/news/${item.id}`, { token: bob.token })).status).toBe(
          200,
        );
        const patch = await server.api("PATCH", `/api/records/news/${item.id}`, {
          token: bob.token,
          body: { title: "x" },
        });
        expect(patch.status).toBe(404);
        expect(
          (await server.api("DELETE", `/api/records/news/${item.id}`, { token: bob.token })).status,
        ).toBe(404);
        expect((await server.api("GET", `/api/records/news/${item.id}`)).body.title).toBe("launch");
        expect(
          (
            await server.api("PATCH", `/api/records/news/${item.id}`, {
              token: alice.token,
              body: { title: "v2" },
            })
          ).status,
        ).toBe(200);
      });

      it("a users collection is readable by any signed-in user, not anonymously", async () => {
        await setRule("forum", "users");
        const postByAlice = (await post(alice.token, "forum", { text: "hi all" })).body;
        const bobList = await server.api("GET", "/api/records/forum", { token: bob.token });
        expect(bobList.body.items.map((r: { id: string }) => r.id)).toEqual([postByAlice.id]);
        expect(
          (await server.api("GET", `/api/records/forum/${postByAlice.id}`, { token: bob.token })).status,
        ).toBe(200);
        expect((await server.api("GET", "/api/records/forum")).status).toBe(401);
        expect(
          (
            await server.api("PATCH", `/api/records/forum/${postByAlice.id}`, {
              token: bob.token,
              body: { text: "x" },
            })
          ).status,
        ).toBe(404);
        expect(
          (await server.api("DELETE", `/api/records/forum/${postByAlice.id}`, { token: bob.token })).status,
        ).toBe(404);
      });

      it("a rule can be set before the first record and changed back to owner", async () => {
        await setRule("later", "public");
        await post(alice.token, "later", { n: 1 });
        expect((await server.api("GET", "/api/records/later")).body.total).toBe(1);
        await setRule("later", "owner");
        expect((await server.api("GET", "/api/records/later")).status).toBe(401);
        expect((await server.api("GET", "/api/records/later", { token: bob.token })).body.total).toBe(0);
        const collections = await server.api("GET", "/api/collections", { token: admin.token });
        expect(collections.body.items).toContainEqual({
          name: "later",
          read: "owner",
          createdAt: expect.any(String),
        });
      });

      it("only admins list collections and set rules", async () => {
        expect((await server.api("GET", "/api/collections", { token: alice.token })).status).toBe(403);
        expect((await server.api("GET", "/api/collections")).status).toBe(401);
        expect((await setRule("diary", "public", alice.token)).status).toBe(403);
        expect((await server.api("GET", "/api/records/diary")).status).toBe(401);
      });

      it("a bad rule or collection name is a 400 with a message", async () => {
        const bad = await setRule("news", "everyone");
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/owner.*users.*public/);
        const reserved = await setRule("users", "public");
        expect(reserved.status).toBe(400);
        expect(reserved.body.error.message).toMatch(/reserved/);
        const badName = await setRule("has space", "public");
        expect(badName.status).toBe(400);
      });
    });
  });
});
