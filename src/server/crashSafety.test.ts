// A server killed with SIGKILL in the middle of a stream of writes loses no acknowledged write.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPgDatabase, forEachStore } from "../../test/harness.js";
import { spawnBackend } from "../../test/spawnBackend.js";

const ADMIN_KEY = "crash-test-admin-key-0123456789";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

forEachStore((store) => {
  describe("crash safety", () => {
    it("a server killed with SIGKILL mid-stream keeps every acknowledged write", async () => {
      const data = mkdtempSync(path.join(tmpdir(), "backend-crash-"));
      cleanups.push(() => rmSync(data, { recursive: true, force: true }));
      const env: Record<string, string | undefined> = {
        BACKEND_ADMIN_KEY: ADMIN_KEY,
        DATABASE_URL: undefined,
      };
      if (store === "postgres") {
        const db = await createPgDatabase();
        cleanups.push(db.drop);
        env.DATABASE_URL = db.url;
      }
      const args = ["--port", "0", "--data", data];
      const headers = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };

      const first = await spawnBackend({ args, env });
      cleanups.push(() => {
        if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill("SIGKILL");
      });

      // Eight writers stream creates until the server dies under them.
      const acknowledged = new Map<string, { writer: number; seq: number }>();
      let killed = false;
      let reached = () => {};
      const enough = new Promise<void>((resolve) => {
        reached = resolve;
      });
      const writer = async (w: number) => {
        for (let seq = 0; ; seq++) {
          try {
            const res = await fetch(`${first.url}/api/records/journal`, {
              method: "POST",
              headers,
              body: JSON.stringify({ writer: w, seq, payload: "x".repeat(200) }),
            });
            if (res.status !== 201) throw new Error(`unexpected ${res.status}: ${await res.text()}`);
            const record = (await res.json()) as { id: string };
            acknowledged.set(record.id, { writer: w, seq });
            if (acknowledged.size >= 400) reached();
          } catch (error) {
            if (killed) return;
            throw error;
          }
        }
      };
      const writers = Array.from({ length: 8 }, (_, w) => writer(w));

      // Kill once a good number of writes are acknowledged, with requests still in flight.
      await Promise.race([enough, Promise.all(writers)]);
      expect(acknowledged.size).toBeGreaterThanOrEqual(400);
      killed = true;
      first.child.kill("SIGKILL");
      expect(await first.exited).toBe("SIGKILL");
      await Promise.all(writers);

      const second = await spawnBackend({ args, env });
      cleanups.push(async () => {
        second.child.kill("SIGTERM");
        await second.exited;
      });
      const stored = new Map<string, { writer: number; seq: number }>();
      for (let offset = 0; ; offset += 1000) {
        const res = await fetch(`${second.url}/api/records/journal?limit=1000&offset=${offset}`, { headers });
        expect(res.status).toBe(200);
        const page = (await res.json()) as {
          items: { id: string; writer: number; seq: number }[];
          total: number;
        };
        for (const r of page.items) stored.set(r.id, { writer: r.writer, seq: r.seq });
        if (page.items.length < 1000) break;
      }
      const lost = [...acknowledged.keys()].filter((id) => !stored.has(id));
      expect(lost).toEqual([]);
      for (const [id, value] of acknowledged) expect(stored.get(id)).toEqual(value);
    });
  });
});
