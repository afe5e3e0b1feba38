import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";

forEachStore((store) => {
  describe("GET /api/emails", () => {
    const clock = new ManualClock(new Date("2026-03-01T12:00:00Z"));
    let server: TestServer;
    const ids: string[] = [];

    beforeAll(async () => {
      server = await startServer(store, { clock });
      const { deps } = server.platform;
      for (let i = 0; i < 3; i++) {
        ids.push(
          await deps.email.enqueue(deps.db, {
            to: `reader${i}@example.com`,
            subject: `Note ${i}`,
            text: `body ${i}`,
            replyTo: "help@example.com",
          }),
        );
        clock.advance(1000);
      }
      deps.email.wake();
      await vi.waitFor(
        async () => {
          const res = await server.api("GET", "/api/emails?status=sent", { token: server.adminKey });
          expect(res.body.total).toBe(3);
        },
        { timeout: 10_000, interval: 20 },
      );
    });
    afterAll(async () => server?.close());

    it("lists the outbox newest first, with every field of the contract", async () => {
      const res = await server.api("GET", "/api/emails", { token: server.adminKey });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
      expect(res.body.items.map((e: { id: string }) => e.id)).toEqual([...ids].reverse());
      expect(res.body.items[2]).toEqual({
        id: ids[0],
        to: "reader0@example.com",
        from: "backend <no-reply@localhost>",
        replyTo: "help@example.com",
        subject: "Note 0",
        text: "body 0",
        html: null,
        status: "sent",
        attempts: 1,
        lastError: null,
        transport: "log",
        createdAt: "2026-03-01T12:00:00.000Z",
        sentAt: expect.any(String),
      });
    });

    it("filters by status and pages with limit and offset", async () => {
      const pending = await server.api("GET", "/api/emails?status=pending", { token: server.adminKey });
      expect(pending.body).toMatchObject({ items: [], total: 0 });
      const page = await server.api("GET", "/api/emails?limit=1&offset=1", { token: server.adminKey });
      expect(page.body.items.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
      expect(page.body.total).toBe(3);
      const bad = await server.api("GET", "/api/emails?status=lost", { token: server.adminKey });
      expect(bad.status).toBe(400);
      const tooMany = await server.api("GET", "/api/emails?limit=100000", { token: server.adminKey });
      expect(tooMany.status).toBe(400);
    });

    it("is for admins only", async () => {
      expect((await server.api("GET", "/api/emails")).status).toBe(401);
      const { token } = await createUser(server);
      const res = await server.api("GET", "/api/emails", { token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
    });
  });
});
