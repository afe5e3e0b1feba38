import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, type LogEvent, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestStorage, forEachStore } from "../../../test/harness.js";
import { newId } from "../../core/ids.js";
import { migrate } from "../../storage/migrate.js";
import type { Db } from "../../storage/schema.js";
import { openStore, type Store } from "../../storage/store.js";
import type { ExecutionOutcome } from "../runtime/types.js";
import { ExecutionWriter, START_DELAY_MS } from "./executionWriter.js";
import type { ExecutionStart } from "./recordExecution.js";

/** A second handle on the same database that counts the inserts run through it. */
function counting(storage: { dataDir: string; databaseUrl?: string | undefined }) {
  const counts = { insert: 0, update: 0 };
  const log = (event: LogEvent) => {
    const verb = event.query.sql.trimStart().slice(0, 6).toLowerCase();
    if (verb === "insert") counts.insert++;
    if (verb === "update") counts.update++;
  };
  const db: Db = storage.databaseUrl
    ? new Kysely({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: storage.databaseUrl }) }),
        log,
      })
    : new Kysely({
        dialect: new SqliteDialect({ database: new Database(path.join(storage.dataDir, "data.db")) }),
        log,
      });
  return { db, counts };
}

function start(overrides: Partial<ExecutionStart> = {}): ExecutionStart {
  return {
    id: newId(),
    functionName: "writer-test",
    version: 1,
    trigger: "call",
    caller: null,
    cause: null,
    startedAt: new Date().toISOString(),
    ...overrides,
  };
}

function outcome(logs: string[] = []): ExecutionOutcome {
  return {
    status: "success",
    result: 1,
    logs: logs.map((message) => ({ level: "info" as const, time: new Date().toISOString(), message })),
    logsTruncated: false,
    durationMs: 2.5,
    resultSize: 1,
  };
}

const noRedaction = (text: string) => text;

forEachStore((kind) => {
  describe("the execution writer", () => {
    let store: Store;
    let config: { dataDir: string; databaseUrl?: string | undefined };
    let remove: () => Promise<void>;
    const errors: object[] = [];
    const log = { error: (details: object, msg: string) => void errors.push({ ...details, msg }) };

    beforeAll(async () => {
      const storage = await createTestStorage(kind);
      remove = storage.remove;
      config = { dataDir: storage.config.dataDir!, databaseUrl: storage.config.databaseUrl };
      store = openStore(config);
      await migrate(store);
    });
    afterAll(async () => {
      await store?.close();
      await remove?.();
    });

    const row = (id: string) =>
      store.db.selectFrom("executions").selectAll().where("id", "=", id).executeTakeFirst();

    it("a start is stored as running with the next batch, without anyone waiting for it", async () => {
      const writer = new ExecutionWriter(store.db, log);
      const run = writer.start(start());
      expect(await row(run.id)).toBeUndefined();
      await writer.drain();
      expect(await row(run.id)).toMatchObject({ status: "running", duration_ms: null });
      const lines = await run.finish({ outcome: outcome(["done"]), redact: noRedaction });
      expect(lines.map((l) => [l.seq, l.message])).toEqual([[0, "done"]]);
      expect(await row(run.id)).toMatchObject({ status: "success", duration_ms: 2.5, result_size: 1 });
    });

    it("a run still going after START_DELAY_MS gets its running row without anyone draining", async () => {
      const writer = new ExecutionWriter(store.db, log);
      const run = writer.start(start());
      expect(await row(run.id)).toBeUndefined();
      await vi.waitFor(async () => expect(await row(run.id)).toMatchObject({ status: "running" }), {
        timeout: 5_000,
        interval: START_DELAY_MS,
      });
      await run.finish({ outcome: outcome(), redact: noRedaction });
      expect(await row(run.id)).toMatchObject({ status: "success" });
    });

    it("a running row has the run's input, and its end adds the result", async () => {
      const writer = new ExecutionWriter(store.db, log);
      const run = writer.start(start({ input: '{"payload":{"n":1}}' }));
      await writer.drain();
      expect(await row(run.id)).toMatchObject({
        status: "running",
        input: '{"payload":{"n":1}}',
        result: null,
      });
      await run.finish({ outcome: outcome(), redact: noRedaction, result: '{"value":1}' });
      expect(await row(run.id)).toMatchObject({
        status: "success",
        input: '{"payload":{"n":1}}',
        result: '{"value":1}',
      });
    });

    it("a run that starts and ends within one batch is inserted once, already finished", async () => {
      const { db, counts } = counting(config);
      const writer = new ExecutionWriter(db, log);
      const run = writer.start(start({ trigger: "http", caller: "admin" }));
      await run.finish({ outcome: outcome(), redact: noRedaction });
      expect(counts).toEqual({ insert: 1, update: 0 });
      await db.destroy();
      expect(await row(run.id)).toMatchObject({
        status: "success",
        trigger: "http",
        caller: "admin",
        function_name: "writer-test",
      });
    });

    it("runs that end together share one transaction, and their lines are redacted and stored", async () => {
      const { db, counts } = counting(config);
      const writer = new ExecutionWriter(db, log);
      const runs = Array.from({ length: 50 }, () => writer.start(start()));
      await writer.drain();
      const stored = await Promise.all(
        runs.map((run, i) =>
          run.finish({
            outcome: outcome([`line ${i} with hunter22`, "second"]),
            redact: (t) => t.replaceAll("hunter22", "[secret]"),
          }),
        ),
      );
      // One insert of the starts; then one upsert of the ends and one insert of their lines.
      expect(counts).toEqual({ insert: 3, update: 0 });
      await db.destroy();
      expect(stored[7]!.map((l) => l.message)).toEqual(["line 7 with [secret]", "second"]);
      const lines = await store.db
        .selectFrom("execution_logs")
        .select(["message", "seq"])
        .where("execution_id", "=", runs[7]!.id)
        .orderBy("seq")
        .execute();
      expect(lines.map((l) => l.message)).toEqual(["line 7 with [secret]", "second"]);
      const finished = await store.db
        .selectFrom("executions")
        .select((eb) => eb.fn.countAll().as("n"))
        .where(
          "id",
          "in",
          runs.map((r) => r.id),
        )
        .where("status", "=", "success")
        .executeTakeFirstOrThrow();
      expect(Number(finished.n)).toBe(50);
    });

    it("a row the database refuses fails its own run only; the rest of the batch is stored", async () => {
      errors.length = 0;
      const writer = new ExecutionWriter(store.db, log);
      const good = [writer.start(start()), writer.start(start())];
      const bad = writer.start(start({ functionName: null as unknown as string }));
      const later = writer.start(start());
      const ends = [...good, bad, later].map((run) =>
        run.finish({ outcome: outcome(["hello"]), redact: noRedaction }),
      );
      await expect(ends[2]).rejects.toThrow();
      await Promise.all([ends[0], ends[1], ends[3]]);
      for (const run of [...good, later]) expect(await row(run.id)).toMatchObject({ status: "success" });
      expect(await row(bad.id)).toBeUndefined();
      expect(errors).toEqual([
        { executionId: bad.id, msg: "could not store an execution", err: expect.anything() },
      ]);
    });

    it("finishing a run twice is refused", async () => {
      const writer = new ExecutionWriter(store.db, log);
      const run = writer.start(start());
      await run.finish({ outcome: outcome(), redact: noRedaction });
      await expect(run.finish({ outcome: outcome(), redact: noRedaction })).rejects.toThrow(
        /already finished/,
      );
    });

    it("drain waits for everything queued, so a shutdown loses nothing", async () => {
      const writer = new ExecutionWriter(store.db, log);
      const runs = Array.from({ length: 5 }, () => writer.start(start()));
      for (const run of runs.slice(0, 3)) void run.finish({ outcome: outcome(["bye"]), redact: noRedaction });
      await writer.drain();
      const statuses = await Promise.all(runs.map(async (run) => (await row(run.id))?.status));
      expect(statuses).toEqual(["success", "success", "success", "running", "running"]);
      await writer.drain();
    });
  });
});
