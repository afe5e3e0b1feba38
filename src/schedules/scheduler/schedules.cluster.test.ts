// Schedules across real `backend start` processes on one PostgreSQL database: three nodes run 100
// every-second schedules for 20 seconds and each tick runs exactly once — no tick taken twice, none
// left out — also when one node is SIGKILLed part-way. The killed node's own runs in flight at that
// instant are marked interrupted (not run again: exactly once rules out a second run of a tick that
// may have done part of its work); every other tick runs once.
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createPgDatabase, pgProblem } from "../../../test/harness.js";
import { CLUSTER_ADMIN_KEY as ADMIN_KEY, ClusterNodes } from "../../../test/clusterNodes.js";
import type { SpawnedBackend } from "../../../test/spawnBackend.js";

const SCHEDULES = 100;
const RUN_MS = 20_000;

const cluster = new ClusterNodes();
afterEach(() => cluster.cleanUp());

function startNode(databaseUrl: string): Promise<SpawnedBackend> {
  // Short leases, so the killed node's runs are marked interrupted within the test.
  return cluster.start({ schedules: { leaseMs: 2000 }, functions: { workers: 1 } }, { databaseUrl });
}

async function api(node: SpawnedBackend, method: string, apiPath: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`${node.url}${apiPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  ready: (v: T) => boolean,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ready(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const json = (value: unknown): any => (typeof value === "string" ? JSON.parse(value) : value);

describe.skipIf(pgProblem !== undefined)(
  `schedules on a three-node PostgreSQL cluster${pgProblem ? ` (skipped: ${pgProblem})` : ""}`,
  () => {
    it("runs 100 every-second schedules for 20 s with each tick exactly once, one node SIGKILLed part-way", async () => {
      const database = await createPgDatabase();
      cluster.defer(database.drop);
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      cluster.defer(() => db.end());
      const nodes = [
        await startNode(database.url),
        await startNode(database.url),
        await startNode(database.url),
      ];

      const deployed = await api(nodes[0]!, "PUT", "/api/functions/tick", {
        files: {
          "entry.ts":
            "export default async function (payload, context) { await backend.create('ran', { schedule: context.schedule_name, at: context.scheduled_time }); }",
        },
      });
      expect(deployed.status, JSON.stringify(deployed.body)).toBe(200);
      for (let i = 0; i < SCHEDULES; i++) {
        const res = await api(nodes[i % 3]!, "POST", "/api/schedules", {
          function: "tick",
          name: `s${String(i).padStart(3, "0")}`,
          schedule: "* * * * * *",
          // Every tick must run even if a node falls behind for a moment, or while the killed
          // node's last run still holds its lease: this test is about exactly once, not about
          // what a late or overlapping tick should do (schedules.test.ts covers those).
          catch_up: "all",
          overlap: "allow",
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }

      await new Promise((resolve) => setTimeout(resolve, RUN_MS / 2));
      nodes[1]!.kill("SIGKILL");
      await nodes[1]!.exited;
      await new Promise((resolve) => setTimeout(resolve, RUN_MS / 2));
      for (let i = 0; i < SCHEDULES; i++) {
        const res = await api(
          nodes[i % 2 === 0 ? 0 : 2]!,
          "PATCH",
          `/api/schedules/s${String(i).padStart(3, "0")}`,
          {
            active: false,
          },
        );
        expect(res.status).toBe(200);
      }
      // Every tick has ended: run, or interrupted once the killed node's leases ran out.
      await waitUntil(
        "no tick still running",
        async () =>
          (await db.query("select count(*)::int as n from schedule_ticks where status = 'running'")).rows[0]
            .n,
        (n) => n === 0,
        30_000,
      );

      const ticks = (
        await db.query<{
          schedule_name: string;
          scheduled_at: string;
          status: string;
          execution_id: string | null;
        }>(
          "select schedule_name, scheduled_at, status, execution_id from schedule_ticks order by schedule_name, scheduled_at",
        )
      ).rows;
      const ran = (
        await db.query<{ data: unknown }>("select data from records where collection = 'ran'")
      ).rows.map((r) => json(r.data) as { schedule: string; at: string });

      // No tick taken twice, and no run twice.
      const tickKeys = ticks.map((t) => `${t.schedule_name} ${t.scheduled_at}`);
      expect(new Set(tickKeys).size).toBe(tickKeys.length);
      const runKeys = ran.map((r) => `${r.schedule} ${r.at}`);
      expect(new Set(runKeys).size).toBe(runKeys.length);
      // No tick left out: each schedule's ticks are every second from its first to its last.
      const bySchedule = new Map<string, string[]>();
      for (const t of ticks)
        bySchedule.set(t.schedule_name, [...(bySchedule.get(t.schedule_name) ?? []), t.scheduled_at]);
      expect(bySchedule.size).toBe(SCHEDULES);
      for (const [name, times] of bySchedule) {
        const ms = times.map((t) => Date.parse(t));
        for (let i = 1; i < ms.length; i++) expect(ms[i]! - ms[i - 1]!, `${name} at ${times[i]}`).toBe(1000);
        expect(ms.length, name).toBeGreaterThanOrEqual(RUN_MS / 1000 - 3);
      }
      // Every tick ran, except those the killed node was running when it died; every run is a tick.
      const statuses = new Map<string, number>();
      for (const t of ticks) statuses.set(t.status, (statuses.get(t.status) ?? 0) + 1);
      const interrupted = statuses.get("interrupted") ?? 0;
      expect([...statuses.keys()].filter((s) => s !== "done" && s !== "interrupted")).toEqual([]);
      expect(interrupted).toBeLessThanOrEqual(SCHEDULES);
      const done = new Set(
        ticks.filter((t) => t.status === "done").map((t) => `${t.schedule_name} ${t.scheduled_at}`),
      );
      for (const key of done) expect(runKeys.includes(key), key).toBe(true);
      for (const key of runKeys) expect(tickKeys.includes(key), key).toBe(true);
      expect(runKeys.length).toBeGreaterThanOrEqual(done.size);
      expect(runKeys.length).toBeLessThanOrEqual(done.size + interrupted);
      console.log(
        `schedules cluster: ${ticks.length} ticks, ${runKeys.length} runs, ${interrupted} interrupted by the SIGKILL`,
      );
    }, 240_000);
  },
);
