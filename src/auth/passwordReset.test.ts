import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { type ReceivedMail, type SmtpPeer, startSmtpPeer } from "../email/testing/smtpPeer.js";

forEachStore((store) => {
  describe("password reset over a real SMTP conversation", () => {
    const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
    let smtp: SmtpPeer;
    let server: TestServer;

    beforeAll(async () => {
      smtp = await startSmtpPeer();
      server = await startServer(store, {
        clock,
        config: { smtpUrl: smtp.url, resetTokenTtlMinutes: 30, email: { pollMs: 50, maxAttempts: 3 } },
      });
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });

    async function mailTo(address: string): Promise<{ mail: ReceivedMail; token: string; link: string }> {
      await vi.waitFor(() => expect(smtp.messages.some((m) => m.to.includes(address))).toBe(true), {
        timeout: 10_000,
        interval: 20,
      });
      const mail = smtp.messages.filter((m) => m.to.includes(address)).at(-1)!;
      const token = /bkr_[A-Za-z0-9_-]+/.exec(mail.decoded)?.[0];
      const link = /http:\/\/\S+\/reset-password\?token=[A-Za-z0-9_%-]+/.exec(mail.decoded)?.[0];
      if (!token || !link) throw new Error(`no token in the mail:\n${mail.decoded}`);
      return { mail, token, link };
    }

    it("mails a single-use link that sets a new password and ends every session", async () => {
      const { user, token: session1, password } = await createUser(server);
      const session2 = (
        await server.api("POST", "/api/auth/login", { body: { email: user.email, password } })
      ).body.token;

      const asked = await server.api("POST", "/api/auth/password-reset", {
        body: { email: user.email.toUpperCase() },
      });
      expect(asked.status).toBe(202);
      expect(asked.body).toEqual({ ok: true });

      const { mail, token, link } = await mailTo(user.email);
      expect(mail.raw).toMatch(/^Subject: Reset your password/m);
      expect(link).toBe(`${server.url}/reset-password?token=${token}`);

      const confirmed = await server.api("POST", "/api/auth/password-reset/confirm", {
        body: { token, password: "a whole new password" },
      });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toEqual({ ok: true });

      for (const old of [session1, session2]) {
        expect((await server.api("GET", "/api/auth/me", { token: old })).status).toBe(401);
      }
      const oldPassword = await server.api("POST", "/api/auth/login", {
        body: { email: user.email, password },
      });
      expect(oldPassword.status).toBe(401);
      const newPassword = await server.api("POST", "/api/auth/login", {
        body: { email: user.email, password: "a whole new password" },
      });
      expect(newPassword.status).toBe(200);

      const reused = await server.api("POST", "/api/auth/password-reset/confirm", {
        body: { token, password: "yet another password" },
      });
      expect(reused.status).toBe(400);
      expect(reused.body.error.message).toMatch(/invalid, already used or expired/);

      const outbox = await server.api("GET", "/api/emails", { token: server.adminKey });
      const row = outbox.body.items.find((e: { to: string }) => e.to === user.email);
      expect(row).toMatchObject({ status: "sent", transport: "smtp", attempts: 1, lastError: null });
    });

    it("answers an unknown email with the same 202 and queues no email", async () => {
      const unknown = await server.api("POST", "/api/auth/password-reset", {
        body: { email: "nobody-at-all@example.com" },
      });
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual({ ok: true });
      const outbox = await server.api("GET", "/api/emails?limit=1000", { token: server.adminKey });
      expect(outbox.body.items.some((e: { to: string }) => e.to === "nobody-at-all@example.com")).toBe(false);
      expect(smtp.messages.some((m) => m.to.includes("nobody-at-all@example.com"))).toBe(false);
    });

    it("rejects a token past resetTokenTtlMinutes with 400 and leaves the password alone", async () => {
      const { user, password } = await createUser(server);
      await server.api("POST", "/api/auth/password-reset", { body: { email: user.email } });
      const { token } = await mailTo(user.email);
      clock.advance(31 * 60_000);
      const late = await server.api("POST", "/api/auth/password-reset/confirm", {
        body: { token, password: "too late password" },
      });
      expect(late.status).toBe(400);
      const login = await server.api("POST", "/api/auth/login", { body: { email: user.email, password } });
      expect(login.status).toBe(200);
    });

    it("rejects made-up tokens and malformed confirmations with 400", async () => {
      const cases = [
        { token: "bkr_made_up_token", password: "long enough password" },
        { password: "long enough password" },
        { token: "bkr_x", password: "short" },
      ];
      for (const body of cases) {
        const res = await server.api("POST", "/api/auth/password-reset/confirm", { body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toBeTruthy();
      }
      const badEmail = await server.api("POST", "/api/auth/password-reset", { body: { email: "nope" } });
      expect(badEmail.status).toBe(400);
    });
  });
});
