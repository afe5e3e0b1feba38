import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { BlockedError } from "../core/errors.js";
import { type ActionContext, type EventData, noSeams } from "../events/pipeline.js";

interface Seen {
  phase: "pre" | "post";
  type: string;
  data: EventData;
  principal: ActionContext["principal"];
}

forEachStore((store) => {
  describe("user and auth writes go through the action pipeline", () => {
    let server: TestServer;
    let seen: Seen[] = [];
    /** PRE behaviour for the test at hand: return the (possibly changed) data, or throw. */
    let onPre: (type: string, data: EventData) => EventData = (_type, data) => data;

    beforeAll(async () => {
      server = await startServer(store);
      server.platform.deps.pipeline.setSeams({
        before: async (type, data, ctx) => {
          seen.push({ phase: "pre", type, data, principal: ctx.principal });
          return onPre(type, data);
        },
        record: async (_trx, event, ctx) => {
          seen.push({ phase: "post", type: event.type, data: event.data, principal: ctx.principal });
          return 0;
        },
        afterCommit: () => {},
      });
    });
    afterEach(() => {
      seen = [];
      onPre = (_type, data) => data;
    });
    afterAll(async () => {
      server?.platform.deps.pipeline.setSeams(noSeams);
      await server?.close();
    });

    const types = () => seen.map((s) => `${s.phase}:${s.type}`);
    const post = (type: string) => seen.find((s) => s.phase === "post" && s.type === type)?.data;

    it("sign-up fires PRE_USER_CREATE with the fields (never the password) and POST_USER_CREATE", async () => {
      const { user, password } = await createUser(server, { email: "events@example.com", full_name: "Eve" });
      expect(types()).toEqual(["pre:PRE_USER_CREATE", "post:POST_USER_CREATE"]);
      expect(seen[0]!.data).toEqual({ email: "events@example.com", full_name: "Eve" });
      expect(post("POST_USER_CREATE")).toEqual({ user_id: user.id, email: user.email, user });
      expect(JSON.stringify(seen)).not.toContain(password);
    });

    it("login and logout fire POST_LOGIN and POST_LOGOUT", async () => {
      const { user, password } = await createUser(server);
      seen = [];
      const login = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      expect(post("POST_LOGIN")).toEqual({ user_id: user.id, email: user.email, user });
      await server.api("POST", "/api/auth/logout", { token: login.body.token });
      expect(post("POST_LOGOUT")).toEqual({ user_id: user.id });
      expect(types()).toEqual(["post:POST_LOGIN", "post:POST_LOGOUT"]);
    });

    it("admin updates and deletes fire the USER_UPDATE and USER_DELETE pairs with the contract's payloads", async () => {
      const { user } = await createUser(server);
      seen = [];
      const updated = await server.api("PATCH", `/api/users/${user.id}`, {
        token: server.adminKey,
        body: { isPaid: true, password: "never in events" },
      });
      expect(seen[0]).toMatchObject({
        phase: "pre",
        type: "PRE_USER_UPDATE",
        data: { user_id: user.id, changes: { isPaid: true } },
        principal: { kind: "admin-key" },
      });
      expect(post("POST_USER_UPDATE")).toEqual({
        user_id: user.id,
        user: updated.body,
        previous: user,
        changes: { isPaid: true },
      });
      expect(JSON.stringify(seen)).not.toContain("never in events");

      seen = [];
      await server.api("DELETE", `/api/users/${user.id}`, { token: server.adminKey });
      expect(types()).toEqual(["pre:PRE_USER_DELETE", "post:POST_USER_DELETE"]);
      expect(post("POST_USER_DELETE")).toEqual({ user_id: user.id, user: updated.body });
    });

    it("a password reset fires POST_PASSWORD_RESET", async () => {
      const { user } = await createUser(server);
      await server.api("POST", "/api/auth/password-reset", { body: { email: user.email } });
      const outbox = await server.api("GET", "/api/emails?limit=1000", { token: server.adminKey });
      const mail = outbox.body.items.find((e: { to: string }) => e.to === user.email);
      const token = /bkr_[A-Za-z0-9_-]+/.exec(mail.text)![0];
      seen = [];
      await server.api("POST", "/api/auth/password-reset/confirm", {
        body: { token, password: "after the reset" },
      });
      expect(types()).toEqual(["post:POST_PASSWORD_RESET"]);
      expect(post("POST_PASSWORD_RESET")).toEqual({ user_id: user.id, email: user.email });
    });

    it("a PRE_USER_CREATE handler can refuse a sign-up, and nothing is stored", async () => {
      onPre = (type, data) => {
        if (type === "PRE_USER_CREATE" && String(data.email).endsWith("@blocked.example")) {
          throw new BlockedError("Sign-ups from this domain are closed", type);
        }
        return data;
      };
      const res = await server.api("POST", "/api/auth/register", {
        body: { email: "someone@blocked.example", password: "long enough pass" },
      });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({
        code: "blocked",
        message: "Sign-ups from this domain are closed",
      });
      const login = await server.api("POST", "/api/auth/login", {
        body: { email: "someone@blocked.example", password: "long enough pass" },
      });
      expect(login.status).toBe(401);
      expect(types()).not.toContain("post:POST_USER_CREATE");
    });

    it("a PRE_USER_CREATE handler can add fields, which are validated again", async () => {
      onPre = (type, data) =>
        type === "PRE_USER_CREATE" ? { ...data, trialEndsAt: "2026-04-01T00:00:00Z" } : data;
      const { user } = await createUser(server);
      expect(user.trialEndsAt).toBe("2026-04-01T00:00:00Z");

      onPre = (type, data) => (type === "PRE_USER_CREATE" ? { ...data, email: "not an email" } : data);
      const res = await server.api("POST", "/api/auth/register", {
        body: { email: "valid@example.com", password: "long enough pass" },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/email/);
    });

    it("a PRE_USER_UPDATE handler can rewrite the changes", async () => {
      const { user, token } = await createUser(server);
      onPre = (type, data) =>
        type === "PRE_USER_UPDATE"
          ? { ...data, changes: { ...(data.changes as object), nameChangedBy: "handler" } }
          : data;
      const res = await server.api("PATCH", "/api/auth/me", { token, body: { full_name: "Changed" } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: user.id, full_name: "Changed", nameChangedBy: "handler" });
      expect(post("POST_USER_UPDATE")).toMatchObject({
        changes: { full_name: "Changed", nameChangedBy: "handler" },
      });
    });
  });
});
