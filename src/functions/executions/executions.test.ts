import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { newId } from "../../core/ids.js";
import { openStore } from "../../storage/store.js";
import { deploy, eventually } from "../invoke/testing/deploy.js";
import type { ExecutionOutcome } from "../runtime/types.js";
import { ExecutionWriter } from "./executionWriter.js";

/** Opens GET /api/logs/stream and collects the JSON of each event. */
async function openLogStream(server: TestServer, query = "") {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/logs/stream${query}`, {
    headers: { authorization: `Bearer ${server.adminKey}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const lines: any[] = [];
  let text = "";
  let opened!: () => void;
  const open = new Promise<void>((resolve) => {
    opened = resolve;
  });
  const done = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as any) {
        text += decoder.decode(chunk, { stream: true });
        if (text.includes(": connected")) opened();
        let end = text.indexOf("\n\n");
        while (end !== -1) {
          const data = text
            .slice(0, end)
            .split("\n")
            .find((l) => l.startsWith("data: "));
          if (data) lines.push(JSON.parse(data.slice(6)));
          text = text.slice(end + 2);
          end = text.indexOf("\n\n");
        }
      }
    } catch {
      // aborted
    }
  })();
  await open;
  return { lines, close: () => controller.abort(), done };
}

forEachStore((store) => {
  describe("executions and logs", () => {
    let server: TestServer;
    let user: Awaited<ReturnType<typeof createUser>>;
    const admin = () => ({ token: server.adminKey });

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      user = await createUser(server);
      await deploy(
        server,
        "chatty",
        `export default async function (event) {
           console.debug("debugging", event.n);
           console.log("hello from chatty", event.n);
           console.warn("careful", { n: event.n });
           if (event.fail) { console.error("about to fail"); throw new Error("failed on purpose"); }
           return { n: event.n };
         }`,
      );
      await deploy(server, "quiet", "export default () => 'ok'", { access: "public" });
    });
    afterAll(async () => server?.close());

    it("every run is recorded with function, version, trigger, caller, cause, status, duration and logs", async () => {
      const res = await server.api("POST", "/api/functions/chatty/invoke", {
        token: user.token,
        body: { n: 1 },
      });
      expect(res.status).toBe(200);
      const id = res.headers.get("x-execution-id")!;
      const run = await server.api("GET", `/api/executions/${id}`, admin());
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({
        id,
        function: "chatty",
        version: 1,
        trigger: "call",
        caller: user.user.id,
        cause: { kind: "request", id: expect.any(String) },
        status: "success",
        error: null,
        logsTruncated: false,
      });
      expect(run.body.durationMs).toBeGreaterThanOrEqual(0);
      expect(run.body.resultSize).toBeGreaterThan(0);
      expect(run.body.logs.map((l: any) => [l.seq, l.level, l.message])).toEqual([
        [0, "debug", "debugging 1"],
        [1, "info", "hello from chatty 1"],
        [2, "warn", expect.stringContaining("careful")],
      ]);
      expect(Date.parse(run.body.logs[0].time)).not.toBeNaN();
    });

    it("executions are listed newest first and filtered by function, status, trigger and time", async () => {
      const before = new Date(Date.now() - 1).toISOString();
      await server.api("POST", "/api/functions/chatty/invoke", { ...admin(), body: { n: 2, fail: true } });
      await server.api("GET", "/functions/quiet");
      await server.api("POST", "/api/functions/quiet/invoke", { body: {} });
      const list = (query: string) => server.api("GET", `/api/executions?${query}`, admin());

      const recent = await list(`since=${before}`);
      expect(recent.body.items.map((e: any) => [e.function, e.trigger, e.status])).toEqual([
        ["quiet", "call", "success"],
        ["quiet", "http", "success"],
        ["chatty", "call", "error"],
      ]);
      expect(recent.body.total).toBe(3);
      expect((await list("status=error")).body.items.map((e: any) => e.error)).toContain("failed on purpose");
      expect((await list("function=quiet&trigger=http")).body.total).toBe(1);
      expect((await list(`function=quiet&until=${before}`)).body.total).toBe(0);
      const page = await list("limit=1&offset=1");
      expect(page.body).toMatchObject({ limit: 1, offset: 1, total: expect.any(Number) });
      expect(page.body.items).toHaveLength(1);
      expect((await list("status=nonsense")).status).toBe(400);
      expect((await list("since=yesterday")).status).toBe(400);
      expect((await server.api("GET", "/api/executions/no-such-id", admin())).status).toBe(404);
    });

    it("log lines are listed newest first and filtered by function, level, execution and time", async () => {
      const res = await server.api("POST", "/api/functions/chatty/invoke", {
        ...admin(),
        body: { n: 3, fail: true },
      });
      const id = res.body.error.details.executionId;
      const logs = (query: string) => server.api("GET", `/api/logs?${query}`, admin());

      const ofRun = await logs(`execution=${id}`);
      // The last line is the thrown error's stack, mapped to the function's own file.
      expect(ofRun.body.items.map((l: any) => l.message)).toEqual([
        expect.stringMatching(/^Error: failed on purpose\n\s+at .*functions\/chatty\/entry\.ts:\d+:\d+/),
        "about to fail",
        expect.stringContaining("careful"),
        "hello from chatty 3",
        "debugging 3",
      ]);
      expect(ofRun.body.items[1]).toMatchObject({
        executionId: id,
        function: "chatty",
        level: "error",
        seq: 3,
      });
      const warnings = await logs(`function=chatty&level=warn&execution=${id}`);
      expect(warnings.body.items.map((l: any) => l.level)).toEqual(["error", "error", "warn"]);
      expect((await logs("function=quiet")).body.items).toEqual([]);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await logs(`since=${future}`)).body.items).toEqual([]);
      expect((await logs(`function=chatty&limit=2`)).body.items).toHaveLength(2);
      expect((await logs("level=loud")).status).toBe(400);
    });

    it("executions and logs are for admins only", async () => {
      for (const path of ["/api/executions", "/api/logs", "/api/logs/stream", "/api/executions/x"]) {
        expect((await server.api("GET", path)).status).toBe(401);
        expect((await server.api("GET", path, { token: user.token })).status).toBe(403);
      }
    });

    it("the log stream sends new lines as they are stored, filtered by function and level", async () => {
      const all = await openLogStream(server);
      const warnings = await openLogStream(server, "?function=chatty&level=warn");
      try {
        await server.api("POST", "/api/functions/chatty/invoke", { ...admin(), body: { n: 4 } });
        await server.api("POST", "/api/functions/quiet/invoke", { body: {} });
        await eventually(() => expect(all.lines.map((l) => l.message)).toContain("hello from chatty 4"));
        await eventually(() => expect(warnings.lines).toHaveLength(1));
        expect(warnings.lines[0]).toMatchObject({ function: "chatty", level: "warn", seq: 2 });
        expect(all.lines[0]).toMatchObject({
          function: "chatty",
          id: expect.any(String),
          executionId: expect.any(String),
        });
      } finally {
        all.close();
        warnings.close();
      }
    });

    it("the log stream also sends lines that another node stored", async () => {
      const stream = await openLogStream(server, "?function=elsewhere");
      // A second handle on the same database is what another node is: its writes reach this node
      // only through the database.
      const { config } = server.platform.deps;
      const other = openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      const writer = new ExecutionWriter(other.db, server.platform.deps.log);
      try {
        const storeLine = async (message: string) => {
          const outcome: ExecutionOutcome = {
            status: "success",
            result: 1,
            logs: [{ level: "info", time: new Date().toISOString(), message }],
            logsTruncated: false,
            durationMs: 1,
            resultSize: 1,
          };
          const run = writer.start({
            id: newId(),
            functionName: "elsewhere",
            version: 1,
            trigger: "schedule",
            caller: null,
            cause: null,
            startedAt: new Date().toISOString(),
          });
          await run.finish({ outcome, redact: (t) => t });
        };
        await storeLine("from the other node");
        await eventually(() => expect(stream.lines.map((l) => l.message)).toEqual(["from the other node"]));
        // Every poll reads the last few seconds again; the first line must still be announced once.
        await storeLine("and once more");
        await eventually(() => expect(stream.lines.map((l) => l.message)).toContain("and once more"));
        expect(stream.lines.map((l) => l.message)).toEqual(["from the other node", "and once more"]);
      } finally {
        stream.close();
        await other.close();
      }
    });

    it("large log output is stored truncated and the execution says so", async () => {
      await deploy(
        server,
        "flood",
        `export default () => { for (let i = 0; i < 5000; i++) console.log(i + " " + "y".repeat(100)); return 1; }`,
        { access: "public" },
      );
      const res = await server.api("POST", "/api/functions/flood/invoke", { body: {} });
      const run = await server.api("GET", `/api/executions/${res.headers.get("x-execution-id")}`, admin());
      expect(run.body.logsTruncated).toBe(true);
      const bytes = run.body.logs.reduce((n: number, l: any) => n + l.message.length, 0);
      expect(bytes).toBeLessThanOrEqual(256 * 1024 + 1024);
      expect(bytes).toBeGreaterThan(100 * 1024);
    });

    it("an open log stream does not keep the server from closing", async () => {
      const other = await startServer(store, { config: { functions: { workers: 1 } } });
      const stream = await openLogStream(other);
      await other.close();
      await stream.done;
    });
  });
});
