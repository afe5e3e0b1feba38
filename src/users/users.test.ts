import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";

type User = { id: string; email: string; role?: string; [k: string]: unknown };

forEachStore((store) => {
  describe("managing users as an admin", () => {
    const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
    let server: TestServer;
    const admin = () => ({ token: server.adminKey });

    beforeAll(async () => {
      server = await startServer(store, { clock });
    });
    afterAll(async () => server?.close());

    const ids = (res: { body: { items: User[] } }) => res.body.items.map((u) => u.id).sort();

    it("answers 401 to anonymous callers and 403 to users on every admin route", async () => {
      const { user, token } = await createUser(server);
      const routes: [string, string, unknown?][] = [
        ["GET", "/api/users"],
        ["POST", "/api/users/query", {}],
        ["POST", "/api/users", { email: "sneaky@example.com", password: "long enough pass" }],
        ["GET", `/api/users/${user.id}`],
        ["PATCH", `/api/users/${user.id}`, { role: "admin" }],
        ["DELETE", `/api/users/${user.id}`],
      ];
      for (const [method, path, body] of routes) {
        const anonymous = await server.api(method, path, { body });
        expect(anonymous.status, `${method} ${path}`).toBe(401);
        const asUser = await server.api(method, path, { token, body });
        expect(asUser.status, `${method} ${path}`).toBe(403);
        expect(asUser.body.error.code).toBe("forbidden");
      }
      // Even a malformed body gets the access answer first.
      expect((await server.api("POST", "/api/users", { body: { nonsense: true } })).status).toBe(401);
      const me = await server.api("GET", "/api/auth/me", { token });
      expect(me.body.role).toBe("user");
      const list = await server.api("GET", "/api/users?limit=1000", admin());
      expect(list.body.items.some((u: User) => u.email === "sneaky@example.com")).toBe(false);
    });

    it("creates users with a role and extra fields, ignoring system fields", async () => {
      const res = await server.api("POST", "/api/users", {
        ...admin(),
        body: {
          email: "Boss@Example.com",
          password: "boss password",
          full_name: "The Boss",
          role: "admin",
          plan: "pro",
          seats: 5,
          id: "chosen-id",
          createdAt: "1999-01-01T00:00:00Z",
        },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: "boss@example.com",
        role: "admin",
        full_name: "The Boss",
        createdAt: "2026-03-01T12:00:00.000Z",
        updatedAt: "2026-03-01T12:00:00.000Z",
        plan: "pro",
        seats: 5,
      });
      expect(res.body.id).not.toBe("chosen-id");
      const login = await server.api("POST", "/api/auth/login", {
        body: { email: "boss@example.com", password: "boss password" },
      });
      expect(login.status).toBe(200);
      expect((await server.api("GET", "/api/users", { token: login.body.token })).status).toBe(200);

      const duplicate = await server.api("POST", "/api/users", {
        ...admin(),
        body: { email: "BOSS@example.com", password: "another password" },
      });
      expect(duplicate.status).toBe(409);
      const badRole = await server.api("POST", "/api/users", {
        ...admin(),
        body: { email: "r@example.com", password: "long enough pass", role: "owner" },
      });
      expect(badRole.status).toBe(400);
      const badField = await server.api("POST", "/api/users", {
        ...admin(),
        body: { email: "f@example.com", password: "long enough pass", "bad-name": 1 },
      });
      expect(badField.status).toBe(400);
      expect(badField.body.error.message).toMatch(/bad-name/);
    });

    it("sets extra fields with PATCH and finds users by them with the filter language", async () => {
      const now = clock.now();
      const past = new Date(now.getTime() - 86_400_000).toISOString();
      const future = new Date(now.getTime() + 86_400_000).toISOString();
      const expired = (await createUser(server)).user;
      const stillTrying = (await createUser(server)).user;
      const paid = (await createUser(server)).user;
      const noTrial = (await createUser(server)).user;
      const plain = (await createUser(server)).user;
      const patches: [User, Record<string, unknown>][] = [
        [expired, { trialEndsAt: past, isPaid: false }],
        [stillTrying, { trialEndsAt: future, isPaid: false }],
        [paid, { trialEndsAt: past, isPaid: true }],
        [noTrial, { isPaid: false }],
      ];
      for (const [user, patch] of patches) {
        const res = await server.api("PATCH", `/api/users/${user.id}`, { ...admin(), body: patch });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: user.id, email: user.email, ...patch });
      }
      const filter = { trialEndsAt: { $lte: now.toISOString() }, isPaid: false };
      const listed = await server.api(
        "GET",
        `/api/users?filter=${encodeURIComponent(JSON.stringify(filter))}`,
        admin(),
      );
      expect(listed.status).toBe(200);
      expect(ids(listed)).toEqual([expired.id]);
      expect(listed.body.total).toBe(1);
      const queried = await server.api("POST", "/api/users/query", { ...admin(), body: { filter } });
      expect(ids(queried)).toEqual([expired.id]);

      const unpaid = await server.api("POST", "/api/users/query", {
        ...admin(),
        body: { filter: { isPaid: false }, sort: "-trialEndsAt" },
      });
      expect(unpaid.body.items.map((u: User) => u.id)).toEqual([stillTrying.id, expired.id, noTrial.id]);
      const notPaid = await server.api("POST", "/api/users/query", {
        ...admin(),
        body: { filter: { isPaid: { $ne: true }, id: { $in: [plain.id, paid.id, noTrial.id] } } },
      });
      expect(ids(notPaid)).toEqual([plain.id, noTrial.id].sort());
    });

    it("removes an extra field with null and never lets system fields change", async () => {
      const { user } = await createUser(server);
      await server.api("PATCH", `/api/users/${user.id}`, { ...admin(), body: { isPaid: true, plan: "pro" } });
      clock.advance(60_000);
      const res = await server.api("PATCH", `/api/users/${user.id}`, {
        ...admin(),
        body: {
          isPaid: null,
          id: "another-id",
          createdAt: "2000-01-01T00:00:00Z",
          updatedAt: "2000-01-01T00:00:00Z",
        },
      });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty("isPaid");
      expect(res.body.plan).toBe("pro");
      expect(res.body.id).toBe(user.id);
      expect(res.body.createdAt).toBe(user.createdAt);
      expect(res.body.updatedAt).toBe(clock.now().toISOString());
      const read = await server.api("GET", `/api/users/${user.id}`, admin());
      expect(read.body).toEqual(res.body);
      const found = await server.api("POST", "/api/users/query", {
        ...admin(),
        body: { filter: { id: user.id, isPaid: { $exists: false } } },
      });
      expect(found.body.total).toBe(1);
    });

    it("changes email, name and password; a taken email is a 409 and a new password ends sessions", async () => {
      const a = await createUser(server);
      const b = await createUser(server);
      const taken = await server.api("PATCH", `/api/users/${a.user.id}`, {
        ...admin(),
        body: { email: b.user.email.toUpperCase() },
      });
      expect(taken.status).toBe(409);
      const res = await server.api("PATCH", `/api/users/${a.user.id}`, {
        ...admin(),
        body: { email: " Renamed@Example.com", full_name: null, password: "set by the admin" },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: "renamed@example.com", full_name: null });
      expect(res.body).not.toHaveProperty("password");
      expect((await server.api("GET", "/api/auth/me", { token: a.token })).status).toBe(401);
      const login = await server.api("POST", "/api/auth/login", {
        body: { email: "renamed@example.com", password: "set by the admin" },
      });
      expect(login.status).toBe(200);
      const bad = await server.api("PATCH", `/api/users/${a.user.id}`, {
        ...admin(),
        body: { password: "short" },
      });
      expect(bad.status).toBe(400);
      const badEmail = await server.api("PATCH", `/api/users/${a.user.id}`, {
        ...admin(),
        body: { email: null },
      });
      expect(badEmail.status).toBe(400);
    });

    it("lets a user promoted to admin use the admin routes, until demoted", async () => {
      const { user, token } = await createUser(server);
      expect((await server.api("GET", "/api/users", { token })).status).toBe(403);
      const promoted = await server.api("PATCH", `/api/users/${user.id}`, {
        ...admin(),
        body: { role: "admin" },
      });
      expect(promoted.body.role).toBe("admin");
      const listed = await server.api("GET", "/api/users", { token });
      expect(listed.status).toBe(200);
      expect(listed.body.items.some((u: User) => u.id === user.id)).toBe(true);
      const other = await createUser(server);
      const changed = await server.api("PATCH", `/api/users/${other.user.id}`, {
        token,
        body: { isPaid: true },
      });
      expect(changed.status).toBe(200);
      expect((await server.api("GET", "/api/emails", { token })).status).toBe(200);

      await server.api("PATCH", `/api/users/${user.id}`, { ...admin(), body: { role: "user" } });
      expect((await server.api("GET", "/api/users", { token })).status).toBe(403);
    });

    it("deletes a user with their sessions; unknown ids are 404", async () => {
      const { user, token, password } = await createUser(server);
      const deleted = await server.api("DELETE", `/api/users/${user.id}`, admin());
      expect(deleted.status).toBe(204);
      expect((await server.api("GET", `/api/users/${user.id}`, admin())).status).toBe(404);
      expect((await server.api("GET", "/api/auth/me", { token })).status).toBe(401);
      const login = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      expect(login.status).toBe(401);
      expect((await server.api("DELETE", `/api/users/${user.id}`, admin())).status).toBe(404);
      expect(
        (await server.api("PATCH", `/api/users/${user.id}`, { ...admin(), body: { a: 1 } })).status,
      ).toBe(404);
      // The email is free again.
      const again = await createUser(server, { email: user.email });
      expect(again.user.id).not.toBe(user.id);
    });

    it("pages the listing and rejects bad filters, sorts and limits with 400", async () => {
      const all = await server.api("GET", "/api/users?limit=1000", admin());
      const page = await server.api("GET", "/api/users?limit=2&offset=1", admin());
      expect(page.body).toMatchObject({ limit: 2, offset: 1, total: all.body.total });
      expect(page.body.items.map((u: User) => u.id)).toEqual(
        all.body.items.slice(1, 3).map((u: User) => u.id),
      );
      for (const query of [
        "filter=not-json",
        `filter=${encodeURIComponent('{"$where":1}')}`,
        "sort=-",
        "limit=0",
      ]) {
        const res = await server.api("GET", `/api/users?${query}`, admin());
        expect(res.status, query).toBe(400);
        expect(res.body.error.message).toBeTruthy();
      }
    });
  });
});
