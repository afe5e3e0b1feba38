import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { EmailService } from "./emailService.js";
import type { EmailTransport, OutboxMessage } from "./transports/transport.js";

function transport(send: (message: OutboxMessage) => Promise<void>): EmailTransport {
  return { name: "test", secrets: [], send, close() {} };
}

forEachStore((store) => {
  describe("the email sender", () => {
    const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
    let server: TestServer;
    const services: EmailService[] = [];

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { email: { pollMs: 50, maxAttempts: 4 } } });
      // These tests drive their own senders; the platform's would compete for the rows.
      await server.platform.deps.email.stop();
    });
    afterAll(async () => {
      await Promise.all(services.map((s) => s.stop()));
      await server?.close();
    });

    function sender(send: (message: OutboxMessage) => Promise<void>): EmailService {
      const { db, dialect, config, log } = server.platform.deps;
      const service = new EmailService({ db, dialect, clock, config, log, transport: transport(send) });
      services.push(service);
      return service;
    }

    async function row(id: string) {
      return server.platform.deps.db
        .selectFrom("emails")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
    }

    it("writes the outbox row only when the caller's transaction commits", async () => {
      const { db } = server.platform.deps;
      const service = sender(async () => {});
      let id = "";
      await expect(
        db.transaction().execute(async (trx) => {
          id = await service.enqueue(trx, { to: "rollback@example.com", subject: "never" });
          throw new Error("the action failed");
        }),
      ).rejects.toThrow("the action failed");
      expect(
        await db.selectFrom("emails").select("id").where("id", "=", id).executeTakeFirst(),
      ).toBeUndefined();
    });

    it("refuses messages with header injection or without an address", async () => {
      const service = sender(async () => {});
      const { db } = server.platform.deps;
      await expect(
        service.enqueue(db, { to: "a@example.com", subject: "x\r\nBcc: evil@example.com" }),
      ).rejects.toThrow(/line breaks/);
      await expect(service.enqueue(db, { to: "nobody", subject: "x" })).rejects.toThrow(/email address/);
    });

    it("stop() waits for the message being sent", async () => {
      let release!: () => void;
      let started!: () => void;
      const sending = new Promise<void>((resolve) => {
        started = resolve;
      });
      const service = sender(async () => {
        started();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      });
      const id = await service.enqueue(server.platform.deps.db, { to: "slow@example.com", subject: "slow" });
      service.start();
      service.wake();
      await sending;

      let stopped = false;
      const stopping = service.stop().then(() => {
        stopped = true;
      });
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await row(id)).status).toBe("sent");
    });

    it("survives a transport that throws anything, and retries later", async () => {
      let calls = 0;
      const service = sender(async () => {
        calls += 1;
        // Not even an Error: the sender must cope with whatever a transport throws.
        if (calls === 1) throw "boom";
      });
      const id = await service.enqueue(server.platform.deps.db, {
        to: "flaky@example.com",
        subject: "flaky",
      });
      service.start();
      service.wake();
      await vi.waitFor(async () => expect((await row(id)).attempts).toBe(1), {
        timeout: 10_000,
        interval: 20,
      });
      await vi.waitFor(async () => expect((await row(id)).status).toBe("pending"), {
        timeout: 10_000,
        interval: 20,
      });
      expect((await row(id)).last_error).toBe("boom");
      // The retry waits for its backoff (10 s after a first failure) on the platform clock.
      clock.advance(10_000);
      service.wake();
      await vi.waitFor(async () => expect((await row(id)).status).toBe("sent"), {
        timeout: 10_000,
        interval: 20,
      });
      expect((await row(id)).attempts).toBe(2);
      await service.stop();
    });

    it("takes over a message whose sender died mid-send once its lease runs out", async () => {
      const { db } = server.platform.deps;
      const sent: string[] = [];
      const service = sender(async (message) => {
        sent.push(message.id);
      });
      const id = await service.enqueue(db, { to: "orphan@example.com", subject: "orphan" });
      const leaseEnd = new Date(clock.now().getTime() + 60_000).toISOString();
      await db
        .updateTable("emails")
        .set({ status: "sending", attempts: 1, locked_until: leaseEnd })
        .where("id", "=", id)
        .execute();
      // A message queued after it goes out; the leased one is left alone in the same pass.
      const marker = await service.enqueue(db, { to: "marker@example.com", subject: "marker" });
      service.start();
      service.wake();
      await vi.waitFor(async () => expect((await row(marker)).status).toBe("sent"), {
        timeout: 10_000,
        interval: 20,
      });
      expect(sent).toEqual([marker]);
      expect((await row(id)).status).toBe("sending");
      clock.advance(61_000);
      service.wake();
      await vi.waitFor(async () => expect((await row(id)).status).toBe("sent"), {
        timeout: 10_000,
        interval: 20,
      });
      expect(sent).toEqual([marker, id]);
      expect((await row(id)).attempts).toBe(2);
      await service.stop();
    });

    it("two senders on one database never send the same message twice", async () => {
      const sent: string[] = [];
      const send = async (message: OutboxMessage) => {
        await new Promise((resolve) => setImmediate(resolve));
        sent.push(message.id);
      };
      const a = sender(send);
      const b = sender(send);
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        ids.push(await a.enqueue(server.platform.deps.db, { to: `bulk${i}@example.com`, subject: `#${i}` }));
      }
      a.start();
      b.start();
      await vi.waitFor(() => expect(sent.length).toBeGreaterThanOrEqual(ids.length), {
        timeout: 15_000,
        interval: 20,
      });
      await Promise.all([a.stop(), b.stop()]);
      expect([...sent].sort()).toEqual([...ids].sort());
    });
  });
});
