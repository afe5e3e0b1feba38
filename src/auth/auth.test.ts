import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

forEachStore((store) => {
  describe("signing up and logging in", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store, { config: { loginRateLimit: { max: 10, windowMs: 60_000 } } });
    });
    afterAll(async () => server?.close());

    it("registers, logs in, reads me and logs out; the logged-out token then gets 401", async () => {
      const registered = await server.api("POST", "/api/auth/register", {
        body: { email: "  Ada@Example.COM ", password: "analytical engine", full_name: "Ada" },
      });
      expect(registered.status).toBe(201);
      expect(registered.body.token).toMatch(/^bk_/);
      expect(registered.body.user).toMatchObject({
        email: "ada@example.com",
        role: "user",
        full_name: "Ada",
      });
      expect(Object.keys(registered.body.user).sort()).toEqual(
        ["createdAt", "email", "full_name", "id", "role", "updatedAt"].sort(),
      );

      const login = await server.api("POST", "/api/auth/login", {
        body: { email: "ADA@example.com", password: "analytical engine" },
      });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(registered.body.user.id);
      expect(login.body.token).not.toBe(registered.body.token);

      const me = await server.api("GET", "/api/auth/me", { token: login.body.token });
      expect(me.status).toBe(200);
      expect(me.body).toEqual(registered.body.user);

      const logout = await server.api("POST", "/api/auth/logout", { token: login.body.token });
      expect(logout.status).toBe(204);
      const after = await server.api("GET", "/api/auth/me", { token: login.body.token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe("unauthorized");
      // Logging out ends only that session.
      expect((await server.api("GET", "/api/auth/me", { token: registered.body.token })).status).toBe(200);
    });

    it("refuses a second account with the same email, whatever its case", async () => {
      const { user } = await createUser(server, { email: "grace@example.com" });
      const again = await server.api("POST", "/api/auth/register", {
        body: { email: "Grace@EXAMPLE.com", password: "another password" },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already exists/);
      const list = await server.api(
        "GET",
        `/api/users?filter=${encodeURIComponent('{"email":"grace@example.com"}')}`,
        {
          token: server.adminKey,
        },
      );
      expect(list.body.items.map((u: { id: string }) => u.id)).toEqual([user.id]);
    });

    it("answers malformed sign-ups with 400 and a message naming the problem", async () => {
      const cases: { body?: unknown; rawBody?: string; headers?: Record<string, string>; message: RegExp }[] =
        [
          { body: { email: "not-an-email", password: "long enough pass" }, message: /email/ },
          { body: { email: "short@example.com", password: "short" }, message: /password.*at least 8/ },
          { body: { password: "long enough pass" }, message: /email/ },
          { body: { email: "nopass@example.com" }, message: /password/ },
          {
            body: { email: "role@example.com", password: "long enough pass", role: "admin" },
            message: /role/,
          },
          { body: [1, 2], message: /object|body/ },
          {
            rawBody: '{"email": "broken@example.com", ',
            headers: { "content-type": "application/json" },
            message: /not valid JSON/,
          },
        ];
      for (const { message, ...request } of cases) {
        const res = await server.api("POST", "/api/auth/register", request);
        expect(res.status, JSON.stringify(request)).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
      const noBody = await server.api("POST", "/api/auth/register");
      expect(noBody.status).toBe(400);
      expect(noBody.body.error.message).toBeTruthy();
    });

    it("answers a wrong password and an unknown email with the same 401", async () => {
      const { user } = await createUser(server);
      const wrong = await server.api("POST", "/api/auth/login", {
        body: { email: user.email, password: "not the password" },
      });
      const unknown = await server.api("POST", "/api/auth/login", {
        body: { email: "nobody-here@example.com", password: "not the password" },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.error.message).toBe("Invalid email or password");
    });

    it("limits rapid login attempts per client and email: the 11th gets 429", async () => {
      const { user, password } = await createUser(server);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await server.api("POST", "/api/auth/login", {
          body: { email: user.email, password: "guess" },
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual(Array(10).fill(401));
      const limited = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("too_many_requests");
      expect(limited.body.error.message).toMatch(/try again/);
      expect(limited.headers.get("retry-after")).toBeTruthy();
      // Another account from the same client is not locked out.
      const other = await createUser(server);
      const ok = await server.api("POST", "/api/auth/login", {
        body: { email: other.user.email, password: other.password },
      });
      expect(ok.status).toBe(200);
    });

    it("lets users change their name and password, but not their role or extra fields", async () => {
      const { user, token, password } = await createUser(server);
      for (const body of [{ role: "admin" }, { isPaid: true }, { email: "new@example.com" }]) {
        const res = await server.api("PATCH", "/api/auth/me", { token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toMatch(/only full_name and password/);
      }
      const named = await server.api("PATCH", "/api/auth/me", { token, body: { full_name: "New Name" } });
      expect(named.status).toBe(200);
      expect(named.body).toMatchObject({ id: user.id, full_name: "New Name", role: "user" });
      expect(named.body.isPaid).toBeUndefined();

      const noCurrent = await server.api("PATCH", "/api/auth/me", {
        token,
        body: { password: "brand new pass" },
      });
      expect(noCurrent.status).toBe(400);
      expect(noCurrent.body.error.message).toMatch(/currentPassword/);
      const wrongCurrent = await server.api("PATCH", "/api/auth/me", {
        token,
        body: { password: "brand new pass", currentPassword: "wrong one" },
      });
      expect(wrongCurrent.status).toBe(400);

      const other = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      const changed = await server.api("PATCH", "/api/auth/me", {
        token,
        body: { password: "brand new pass", currentPassword: password },
      });
      expect(changed.status).toBe(200);
      // The session that changed the password stays; the others end.
      expect((await server.api("GET", "/api/auth/me", { token })).status).toBe(200);
      expect((await server.api("GET", "/api/auth/me", { token: other.body.token })).status).toBe(401);
      const oldLogin = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      expect(oldLogin.status).toBe(401);
      const newLogin = await server.api("POST", "/api/auth/login", {
        body: { email: user.email, password: "brand new pass" },
      });
      expect(newLogin.status).toBe(200);
    });

    it("lets a client holding a revoked token log in again instead of answering 401", async () => {
      const { token, user, password } = await createUser(server);
      expect((await server.api("POST", "/api/auth/logout", { token })).status).toBe(204);
      const again = await server.api("POST", "/api/auth/login", {
        token,
        body: { email: user.email, password },
      });
      expect(again.status).toBe(200);
      expect(again.body.user.id).toBe(user.id);
      // Routes that need a session still refuse the stale token.
      expect((await server.api("GET", "/api/auth/me", { token })).status).toBe(401);
    });

    it("needs a user's token for /api/auth/me and logout", async () => {
      expect((await server.api("GET", "/api/auth/me")).status).toBe(401);
      expect((await server.api("POST", "/api/auth/logout")).status).toBe(401);
      expect((await server.api("PATCH", "/api/auth/me", { body: { nonsense: 1 } })).status).toBe(401);
      expect((await server.api("GET", "/api/auth/me", { token: "bk_made_up" })).status).toBe(401);
      expect((await server.api("GET", "/api/auth/me", { token: server.adminKey })).status).toBe(403);
    });

    it("expires sessions after sessionTtlHours", async () => {
      const { ManualClock } = await import("../core/clock.js");
      const clock = new ManualClock();
      const short = await startServer(store, { clock, config: { sessionTtlHours: 1 } });
      try {
        const { token } = await createUser(short);
        expect((await short.api("GET", "/api/auth/me", { token })).status).toBe(200);
        clock.advance(61 * 60_000);
        expect((await short.api("GET", "/api/auth/me", { token })).status).toBe(401);
      } finally {
        await short.close();
      }
    });
  });
});
