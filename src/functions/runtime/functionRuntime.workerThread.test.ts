// Warm executions first run on the sandbox worker's own thread (runJob.ts): a backend call, or
// running past the time slice, throws that attempt away and runs the execution again in a fresh
// context on an isolated-vm thread. Nothing of the thrown-away attempt may be seen: no second
// backend call, no second fetch, no duplicated log line. An execution that waits on a timer or a
// host call carries on after the worker's thread hands it over.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import { makeJob, moduleBundle, noBridge, recordingBridge, startRuntime } from "./testing/runtimeFixtures.js";
import type { BridgeHandler, ExecutionOutcome } from "./types.js";
import { SYNC_SLICE_MS } from "./worker/runJob.js";

describe("function runtime: warm executions on the worker's thread", () => {
  let runtime: FunctionRuntime;
  let server: Server;
  let url: string;
  let hits = 0;

  beforeAll(async () => {
    runtime = startRuntime({ workers: 1 });
    server = createServer((_req, res) => {
      hits++;
      res.end("pong");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await runtime?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function run(code: string, key: string, payload: unknown, bridge: BridgeHandler = noBridge) {
    const outcome: ExecutionOutcome = await runtime.execute(
      makeJob(code, { key, input: { trigger: "call", payload }, fetchAllow: ["127.0.0.1"] }),
      bridge,
    );
    expect(outcome.status, JSON.stringify(outcome.error)).toBe("success");
    return { result: outcome.result, logs: outcome.logs.map((line) => line.message) };
  }

  it("a warm instance's first backend call: the call is made once, with the logs of one run", async () => {
    const code = moduleBundle(`let count = 0;
      return { default: async (event) => {
        count++;
        console.log("before " + count);
        const found = event.lookup ? backend.query("items", { n: count }) : null;
        console.log("after " + count);
        return { count, found };
      } };`);
    const bridge = recordingBridge({ "records.query": (args) => [{ filter: args[1] }] });
    expect((await run(code, "first-bridge", {}, bridge)).result).toEqual({ count: 1, found: null });
    expect((await run(code, "first-bridge", {}, bridge)).result).toEqual({ count: 2, found: null });
    // The attempt on the worker's thread reached count 3 before the backend call; its run again in
    // a fresh context starts the module over.
    const third = await run(code, "first-bridge", { lookup: true }, bridge);
    expect(third).toEqual({
      result: { count: 1, found: [{ filter: { n: 1 } }] },
      logs: ["before 1", "after 1"],
    });
    expect(bridge.calls).toHaveLength(1);
    // From now on the instance runs on isolated-vm threads only, keeping its context.
    expect((await run(code, "first-bridge", { lookup: true }, bridge)).result).toEqual({
      count: 2,
      found: [{ filter: { n: 2 } }],
    });
    expect(bridge.calls).toHaveLength(2);
  });

  it("a fetch started before the backend call of a thrown-away attempt reaches its server once", async () => {
    const code = moduleBundle(`return { default: async (event) => {
        if (!event.go) return "idle";
        const pending = fetch(${JSON.stringify(url)});
        const rows = backend.query("items", {});
        return (await (await pending).text()) + " " + rows.length;
      } };`);
    const bridge = recordingBridge({ "records.query": () => [1, 2] });
    expect((await run(code, "fetch-then-bridge", {}, bridge)).result).toBe("idle");
    expect((await run(code, "fetch-then-bridge", {}, bridge)).result).toBe("idle");
    const before = hits;
    expect((await run(code, "fetch-then-bridge", { go: true }, bridge)).result).toBe("pong 2");
    expect(hits - before).toBe(1);
    expect(bridge.calls).toHaveLength(1);
  });

  it("a warm execution that runs past the time slice is run again, once, and answers", async () => {
    const code = moduleBundle(`let count = 0;
      return { default: (event) => {
        count++;
        console.log("run " + count);
        if (event.spinMs) { const end = Date.now() + event.spinMs; while (Date.now() < end) {} }
        return { count };
      } };`);
    expect((await run(code, "long-run", {})).result).toEqual({ count: 1 });
    expect((await run(code, "long-run", {})).result).toEqual({ count: 2 });
    expect(await run(code, "long-run", { spinMs: 3 * SYNC_SLICE_MS })).toEqual({
      result: { count: 1 },
      logs: ["run 1"],
    });
    expect((await run(code, "long-run", {})).result).toEqual({ count: 2 });
  });

  it("a warm execution that awaits a timer and a host call finishes, its logs in order", async () => {
    const code = moduleBundle(`let count = 0;
      return { default: async () => {
        count++;
        console.log("start");
        await Promise.resolve();
        console.log("microtask");
        await new Promise((resolve) => setTimeout(resolve, 5));
        console.log("timer");
        const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc"));
        console.log("digest");
        return { count, bytes: digest.byteLength };
      } };`);
    const expected = ["start", "microtask", "timer", "digest"];
    expect(await run(code, "awaits", {})).toEqual({ result: { count: 1, bytes: 32 }, logs: expected });
    expect(await run(code, "awaits", {})).toEqual({ result: { count: 2, bytes: 32 }, logs: expected });
    expect(await run(code, "awaits", {})).toEqual({ result: { count: 3, bytes: 32 }, logs: expected });
  });

  it("a warm execution that ends on the worker's thread keeps its log lines and its result", async () => {
    const code = moduleBundle(`let count = 0;
      return { default: async (event) => {
        count++;
        console.info("one", count);
        await null;
        console.warn("two");
        return { count, echo: event };
      } };`);
    await run(code, "sync-logs", { a: 0 });
    for (let i = 2; i <= 4; i++) {
      expect(await run(code, "sync-logs", { a: i })).toEqual({
        result: { count: i, echo: { a: i } },
        logs: [`one ${i}`, "two"],
      });
    }
  });
});
