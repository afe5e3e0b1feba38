import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { forEachStore, type StoreKind, startServer } from "../../test/harness.js";
import type { ConfigInput } from "../config/config.js";
import { type Clock, ManualClock } from "../core/clock.js";
import type { Platform } from "../platform.js";
import { startSmtpPeer } from "./testing/smtpPeer.js";

// What reaches the logs: recipients and subjects, never bodies, tokens or the SMTP password.

interface LoggedPlatform {
  platform: Platform;
  adminKey: string;
  /** Everything logged so far, one JSON object per line. */
  logs(): string;
  close(): Promise<void>;
}

async function startPlatformWithLogs(
  store: StoreKind,
  config: Partial<ConfigInput>,
  clock?: Clock,
): Promise<LoggedPlatform> {
  const lines: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
  const server = await startServer(store, {
    config: { logLevel: "debug", ...config },
    log,
    ...(clock ? { clock } : {}),
  });
  return {
    platform: server.platform,
    adminKey: server.adminKey,
    logs: () => lines.join(""),
    close: () => server.close(),
  };
}

forEachStore((store) => {
  describe("the development transport", () => {
    it("marks messages sent without sending, logging recipient and subject but never the body", async () => {
      const app = await startPlatformWithLogs(store, {});
      try {
        const { deps } = app.platform;
        const secret = "bkr_body-only-secret-0123456789abcdef";
        const id = await deps.email.enqueue(deps.db, {
          to: "dev@example.com",
          subject: "Dev subject",
          text: `text ${secret}`,
          html: `<b>${secret}</b>`,
        });
        deps.email.wake();
        await vi.waitFor(
          async () => {
            const stored = await deps.db
              .selectFrom("emails")
              .selectAll()
              .where("id", "=", id)
              .executeTakeFirstOrThrow();
            expect(stored).toMatchObject({ status: "sent", transport: "log", attempts: 1 });
          },
          { timeout: 10_000, interval: 20 },
        );
        const logs = app.logs();
        expect(logs).toContain("dev@example.com");
        expect(logs).toContain("Dev subject");
        expect(logs).not.toContain(secret);
      } finally {
        await app.close();
      }
    });
  });

  describe("secrets around the SMTP transport", () => {
    it("never logs the SMTP password, the body or tokens, even when the login fails", async () => {
      const password = "Sup3r-Secret-SMTP-pass";
      const smtp = await startSmtpPeer({ auth: { user: "mailer", pass: "the-right-one" } });
      const wrongUrl = smtp.url.replace("the-right-one", encodeURIComponent(password));
      const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
      const app = await startPlatformWithLogs(
        store,
        { smtpUrl: wrongUrl, email: { pollMs: 50, maxAttempts: 2 } },
        clock,
      );
      try {
        const token = "bkr_ThisLooksLikeAResetToken1234567890abcdef";
        const { deps } = app.platform;
        await deps.email.enqueue(deps.db, {
          to: "someone@example.com",
          subject: "Secret inside",
          text: `code ${token}`,
        });
        deps.email.wake();
        let lastError = "";
        await vi.waitFor(
          async () => {
            clock.advance(2 * 3_600_000);
            deps.email.wake();
            const row = await deps.db.selectFrom("emails").selectAll().executeTakeFirstOrThrow();
            expect(row.status).toBe("failed");
            lastError = row.last_error ?? "";
          },
          { timeout: 15_000, interval: 30 },
        );
        expect(lastError).toMatch(/EAUTH|Invalid login/);
        const logs = app.logs();
        expect(logs).toMatch(/someone@example.com/);
        for (const secret of [password, encodeURIComponent(password), token, "the-right-one"]) {
          expect(logs).not.toContain(secret);
          expect(lastError).not.toContain(secret);
        }
      } finally {
        await app.close();
        await smtp.close();
      }
    });

    it("sends through an SMTP server that requires a login", async () => {
      const smtp = await startSmtpPeer({ auth: { user: "mailer", pass: "p@ss:word/with?odd#chars" } });
      const app = await startPlatformWithLogs(store, {
        smtpUrl: smtp.url,
        email: { pollMs: 50, maxAttempts: 2 },
      });
      try {
        const { deps } = app.platform;
        await deps.email.enqueue(deps.db, { to: "friend@example.com", subject: "Hi", html: "<p>Hi</p>" });
        deps.email.wake();
        await vi.waitFor(() => expect(smtp.messages).toHaveLength(1), { timeout: 10_000, interval: 20 });
        expect(smtp.messages[0]!.to).toEqual(["friend@example.com"]);
        expect(smtp.messages[0]!.raw).toMatch(/^From: backend <no-reply@localhost>/m);
        expect(app.logs()).not.toContain("p@ss:word");
      } finally {
        await app.close();
        await smtp.close();
      }
    });
  });
});
