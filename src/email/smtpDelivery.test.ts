import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { type Refusal, type SmtpPeer, startSmtpPeer } from "./testing/smtpPeer.js";

type Row = { id: string; to: string; status: string; attempts: number; lastError: string | null };

forEachStore((store) => {
  describe("delivering the outbox over SMTP", () => {
    const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
    /** Per-recipient behaviour of the SMTP peer for the test at hand. */
    let refuse: (to: string[], attempt: number) => Refusal | undefined = () => undefined;
    let smtp: SmtpPeer;
    let server: TestServer;

    beforeAll(async () => {
      smtp = await startSmtpPeer({ refuse: (to, attempt) => refuse(to, attempt) });
      server = await startServer(store, {
        clock,
        config: { smtpUrl: smtp.url, email: { pollMs: 50, maxAttempts: 3 } },
      });
    });
    afterAll(async () => {
      await server?.close();
      await smtp?.close();
    });
    afterEach(() => {
      refuse = () => undefined;
    });

    /** Moves time past every backoff and nudges the sender until the row for `to` is settled. */
    async function settled(to: string, status: "sent" | "failed"): Promise<Row> {
      let row: Row | undefined;
      await vi.waitFor(
        async () => {
          clock.advance(2 * 3_600_000);
          server.platform.deps.email.wake();
          const res = await server.api("GET", "/api/emails?limit=1000", { token: server.adminKey });
          row = res.body.items.find((e: Row) => e.to === to);
          expect(row?.status).toBe(status);
        },
        { timeout: 15_000, interval: 30 },
      );
      return row!;
    }

    it("retries a message the server refuses at first and records it as sent", async () => {
      const { user } = await createUser(server);
      refuse = (to, attempt) =>
        to.includes(user.email) && attempt <= 2 ? { code: 451, message: "Try again later" } : undefined;

      // The refusal happens behind the outbox: the caller gets its usual answer.
      const asked = await server.api("POST", "/api/auth/password-reset", { body: { email: user.email } });
      expect(asked.status).toBe(202);

      const row = await settled(user.email, "sent");
      expect(row.attempts).toBe(3);
      expect(row.lastError).toBeNull();
      expect(smtp.messages.filter((m) => m.to.includes(user.email))).toHaveLength(1);
    });

    it("gives up after maxAttempts temporary refusals and keeps the last error", async () => {
      refuse = (to) => (to.includes("busy@example.com") ? { code: 451, message: "Mailbox busy" } : undefined);
      await server.platform.deps.email.enqueue(server.platform.deps.db, {
        to: "busy@example.com",
        subject: "Will not get through",
        text: "hello",
      });
      const row = await settled("busy@example.com", "failed");
      expect(row.attempts).toBe(3);
      expect(row.lastError).toMatch(/451/);
      expect(row.lastError).toMatch(/Mailbox busy/);
    });

    it("fails at once when the server refuses the message for good", async () => {
      refuse = (to) => (to.includes("gone@example.com") ? { code: 550, message: "No such user" } : undefined);
      await server.platform.deps.email.enqueue(server.platform.deps.db, {
        to: "gone@example.com",
        subject: "Nobody home",
      });
      const row = await settled("gone@example.com", "failed");
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/550 No such user/);
    });

    it("keeps working when the SMTP server is not there at all", async () => {
      const gone = await startSmtpPeer();
      await gone.close();
      const broken = await startServer(store, {
        clock,
        config: { smtpUrl: gone.url, email: { pollMs: 50, maxAttempts: 2 } },
      });
      try {
        const { user } = await createUser(broken);
        const asked = await broken.api("POST", "/api/auth/password-reset", { body: { email: user.email } });
        expect(asked.status).toBe(202);
        let row: Row | undefined;
        await vi.waitFor(
          async () => {
            clock.advance(2 * 3_600_000);
            broken.platform.deps.email.wake();
            const res = await broken.api("GET", "/api/emails?status=failed", { token: broken.adminKey });
            row = res.body.items[0];
            expect(row?.status).toBe("failed");
          },
          { timeout: 15_000, interval: 30 },
        );
        expect(row!.lastError).toMatch(/ECONNREFUSED/);
        expect((await broken.api("GET", "/healthz")).status).toBe(200);
      } finally {
        await broken.close();
      }
    });
  });
});
