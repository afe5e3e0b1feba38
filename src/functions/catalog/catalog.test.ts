import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { ManualClock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import { getActiveFunction } from "./getActiveFunction.js";

forEachStore((store) => {
  describe("the function catalog", () => {
    let server: TestServer;
    const clock = new ManualClock(new Date("2030-01-01T00:00:00.000Z"));

    beforeAll(async () => {
      server = await startServer(store, { clock });
    });
    afterAll(async () => server?.close());

    const deploy = (name: string, source: string, config?: Record<string, unknown>) =>
      server.api("PUT", `/api/functions/${name}`, {
        token: server.adminKey,
        body: { files: { "entry.ts": source }, ...(config ? { config } : {}) },
      });

    it("getActiveFunction gives the runtime what it needs for the version that runs", async () => {
      const first = await deploy("report", "export default () => 'v1';\n", { timeout: 2000 });
      expect(first.status).toBe(200);
      const fn = await getActiveFunction(server.platform.deps.db, "report");
      expect(fn).toEqual({
        name: "report",
        version: 1,
        access: "user",
        config: { timeout: 2000 },
        code: {
          name: "report",
          version: 1,
          key: `report@1#${first.body.hash.slice(0, 16)}`,
          code: expect.stringContaining("var __backendModule = (() => {"),
          sourceMap: expect.stringContaining('"sources"'),
          form: "default",
        },
      });
      await deploy("report", "export default () => 'v2';\n", { triggers: { schedules: ["every hour"] } });
      const second = await getActiveFunction(server.platform.deps.db, "report");
      expect(second).toMatchObject({ version: 2, access: "admin", code: { version: 2 } });
      expect(second!.code.code).toContain("v2");
      expect(second!.code.key).not.toBe(fn!.code.key);
      await server.api("POST", "/api/functions/report/rollback", { token: server.adminKey });
      const rolledBack = await getActiveFunction(server.platform.deps.db, "report");
      expect(rolledBack).toMatchObject({ version: 1, access: "user", code: { key: fn!.code.key } });
      expect(rolledBack!.code.code).toContain("v1");
      expect(await getActiveFunction(server.platform.deps.db, "nope")).toBeUndefined();
    });

    it("lists functions by name with their latest execution as lastRun", async () => {
      await deploy("alpha", "export default () => 1;\n");
      await deploy("beta", "export default () => 2;\n");
      const db = server.platform.deps.db;
      const run = (fn: string, startedAt: string, status: string) =>
        db
          .insertInto("executions")
          .values({
            id: newId(),
            function_name: fn,
            version: 1,
            trigger: "call",
            caller: "admin",
            cause_kind: "request",
            cause_id: newId(),
            status,
            error: null,
            started_at: startedAt,
            duration_ms: 12.5,
            result_size: 1,
            logs_truncated: 0,
          })
          .execute();
      await run("alpha", "2030-01-01T00:00:01.000Z", "error");
      await run("alpha", "2030-01-01T00:00:03.000Z", "success");
      await run("alpha", "2030-01-01T00:00:02.000Z", "timeout");
      const list = await server.api("GET", "/api/functions", { token: server.adminKey });
      expect(list.status).toBe(200);
      const names = list.body.items.map((f: { name: string }) => f.name);
      expect(names).toEqual([...names].sort());
      const alpha = list.body.items.find((f: { name: string }) => f.name === "alpha");
      expect(alpha).toEqual({
        name: "alpha",
        version: 1,
        access: "user",
        form: "default",
        hash: expect.any(String),
        triggers: { events: [], schedules: [] },
        createdAt: "2030-01-01T00:00:00.000Z",
        updatedAt: "2030-01-01T00:00:00.000Z",
        lastRun: {
          executionId: expect.any(String),
          trigger: "call",
          status: "success",
          startedAt: "2030-01-01T00:00:03.000Z",
          durationMs: 12.5,
        },
      });
      const beta = list.body.items.find((f: { name: string }) => f.name === "beta");
      expect(beta.lastRun).toBeUndefined();
      const one = await server.api("GET", "/api/functions/alpha", { token: server.adminKey });
      expect(one.body.lastRun.status).toBe("success");
    });

    it("updatedAt moves on a new version and on a rollback, createdAt stays", async () => {
      await deploy("timed", "export default () => 1;\n");
      clock.advance(60_000);
      await deploy("timed", "export default () => 2;\n");
      const versions = await server.api("GET", "/api/functions/timed/versions", { token: server.adminKey });
      expect(versions.body.items.map((v: { createdAt: string }) => v.createdAt)).toEqual([
        "2030-01-01T00:01:00.000Z",
        "2030-01-01T00:00:00.000Z",
      ]);
      clock.advance(60_000);
      await server.api("POST", "/api/functions/timed/rollback", { token: server.adminKey });
      const got = await server.api("GET", "/api/functions/timed", { token: server.adminKey });
      expect(got.body).toMatchObject({
        version: 1,
        createdAt: "2030-01-01T00:00:00.000Z",
        updatedAt: "2030-01-01T00:02:00.000Z",
        deployedAt: "2030-01-01T00:00:00.000Z",
      });
    });
  });
});
