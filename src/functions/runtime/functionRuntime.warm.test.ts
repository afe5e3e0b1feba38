// Warm instances: a function version's module loads once in a context that then serves one call
// after another, so module-level state persists — until something makes the context unsafe to
// reuse (a pending timer or host call, changed secrets, changed built-ins, a top-level throw), and
// the next call gets a fresh one. Nothing an ended execution left running ever acts as the next.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import {
  type JobOptions,
  makeJob,
  moduleBundle,
  noBridge,
  recordingBridge,
  startRuntime,
} from "./testing/runtimeFixtures.js";
import type { BridgeHandler } from "./types.js";

/** Counts its calls in a module-level variable; `event.run` is evaluated (indirectly) first. */
const COUNTER = moduleBundle(`let count = 0;
  return { default: async (event) => {
    count++;
    const clean = ({}).polluted === undefined && [1, 2].map((x) => x * 2).join() === "2,4" &&
      JSON.parse("[1]")[0] === 1 && typeof fetch === "function" && Error.prepareStackTrace === undefined;
    if (event && event.run) await (0, eval)(event.run);
    return { count, clean };
  } };`);

describe("function runtime: warm instances", () => {
  let runtime: FunctionRuntime;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    runtime = startRuntime({ workers: 1 });
    // Answers after a second: a fetch to it is still in flight when the function returns.
    server = createServer((_req, res) => setTimeout(() => res.end("slow"), 1_000));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await runtime?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function call(
    key: string,
    then?: string,
    options: JobOptions = {},
    bridge: BridgeHandler = noBridge,
  ) {
    const outcome = await runtime.execute(
      makeJob(COUNTER, { key, input: { trigger: "call", payload: then ? { run: then } : {} }, ...options }),
      bridge,
    );
    expect(outcome.status, JSON.stringify(outcome.error)).toBe("success");
    return outcome.result as { count: number; clean: boolean };
  }

  it("module-level state persists on a warm instance of a version, and another version starts fresh", async () => {
    const code = moduleBundle(`let count = 0; globalThis.leftover = (globalThis.leftover ?? 0) + 1;
      return { default: () => ({ count: ++count, leftover: globalThis.leftover }) };`);
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push((await runtime.execute(makeJob(code, { key: "stateful" }), noBridge)).result);
    }
    expect(results).toEqual([
      { count: 1, leftover: 1 },
      { count: 2, leftover: 1 },
      { count: 3, leftover: 1 },
    ]);
    const other = await runtime.execute(makeJob(code, { key: "stateful-v2" }), noBridge);
    expect(other.result).toEqual({ count: 1, leftover: 1 });
  });

  it("a timer still pending when the function returns: the next call gets a fresh context", async () => {
    expect(await call("pending-timer")).toEqual({ count: 1, clean: true });
    expect(await call("pending-timer", "setTimeout(() => {}, 60000)")).toEqual({ count: 2, clean: true });
    expect(await call("pending-timer")).toEqual({ count: 1, clean: true });
    expect(await call("pending-timer")).toEqual({ count: 2, clean: true });
  });

  it("a fetch still in flight when the function returns: the next call gets a fresh context", async () => {
    const options = { fetchAllow: ["127.0.0.1"] };
    const leave = `void fetch("http://127.0.0.1:${port}/").catch(() => {})`;
    expect(await call("pending-fetch", undefined, options)).toEqual({ count: 1, clean: true });
    expect(await call("pending-fetch", leave, options)).toEqual({ count: 2, clean: true });
    expect(await call("pending-fetch", undefined, options)).toEqual({ count: 1, clean: true });
  });

  it("changed secrets: the next call gets a fresh context, so a secret read at module scope is never stale", async () => {
    const code = moduleBundle(`const token = env.TOKEN; let count = 0;
      return { default: () => ({ token, count: ++count, now: Deno.env.get("TOKEN") }) };`);
    const run = async (env: Record<string, string>) =>
      (await runtime.execute(makeJob(code, { key: "secrets", env }), noBridge)).result;
    expect(await run({ TOKEN: "a" })).toEqual({ token: "a", count: 1, now: "a" });
    expect(await run({ TOKEN: "a" })).toEqual({ token: "a", count: 2, now: "a" });
    expect(await run({ TOKEN: "b" })).toEqual({ token: "b", count: 1, now: "b" });
    expect(await run({ TOKEN: "b", OTHER: "x" })).toEqual({ token: "b", count: 1, now: "b" });
  });

  it("a handler that throws keeps its instance, and the next call works", async () => {
    const code = moduleBundle(`let count = 0;
      return { default: (event) => { count++; if (event.fail) throw new TypeError("boom " + count); return count; } };`);
    const run = (payload: unknown) =>
      runtime.execute(makeJob(code, { key: "thrower", input: { trigger: "call", payload } }), noBridge);
    expect((await run({})).result).toBe(1);
    const failed = await run({ fail: true });
    expect(failed.status).toBe("error");
    expect(failed.error?.message).toBe("TypeError: boom 2");
    const next = await run({});
    expect(next.status).toBe("success");
    expect(next.result).toBe(3);
  });

  it("top-level code that throws runs again, in a fresh context, on the next call", async () => {
    const code = moduleBundle(`globalThis.loads = (globalThis.loads ?? 0) + 1;
      throw new Error("top-level boom " + globalThis.loads);`);
    for (let i = 0; i < 2; i++) {
      const outcome = await runtime.execute(makeJob(code, { key: "top-level-throw" }), noBridge);
      expect(outcome.status).toBe("error");
      expect(outcome.error?.message).toBe("top-level boom 1");
    }
  });

  it("built-ins changed during a call are reset for the next one (a fresh context)", async () => {
    const tampering = [
      "Object.prototype.polluted = 1",
      "Array.prototype.map = () => []",
      "JSON.parse = () => 1",
      "globalThis.fetch = undefined",
      "delete globalThis.fetch",
      "Error.prepareStackTrace = () => 'x'",
      "Object.defineProperty(String.prototype, 'trim', { get: () => () => 'x' })",
      "Object.freeze(Map.prototype)",
      "Object.setPrototypeOf(Symbol.prototype, null)",
      "crypto.subtle.digest = null",
      "delete Math.max",
      "Object.defineProperty(Object.prototype, 'then', { configurable: true, get() { return undefined; } })",
      "Object.defineProperty(Math, 'hidden', { value: 1 })",
      "Reflect.defineProperty(JSON, 'parse', { value: JSON.parse, enumerable: true })",
      "Object.defineProperties(globalThis, { fetch: { get: () => undefined } })",
      "Array.prototype.__defineGetter__('flat', () => undefined)",
      "Object.defineProperty(Error, 'stackTraceLimit', { value: 1 })",
    ];
    for (const [i, then] of tampering.entries()) {
      const key = `tamper-${i}`;
      expect(await call(key), then).toEqual({ count: 1, clean: true });
      expect(await call(key, then), then).toEqual({ count: 2, clean: true });
      expect(await call(key), then).toEqual({ count: 1, clean: true });
      expect(await call(key), then).toEqual({ count: 2, clean: true });
    }
  });

  it("module-level globals and changes made by the top-level code itself are not tampering", async () => {
    const code = moduleBundle(`Array.prototype.last = function () { return this[this.length - 1]; };
      const cache = new Map();
      return { default: (event) => { globalThis.seen = (globalThis.seen ?? 0) + 1; cache.set(event.n, true);
        Object.defineProperty(globalThis, "hidden" + event.n, { value: event.n, writable: true });
        Object.defineProperty({}, "x", { get() {} });
        return { size: cache.size, seen: globalThis.seen, last: [1, 2, 3].last() }; } };`);
    const results = [];
    for (let n = 0; n < 3; n++) {
      const job = makeJob(code, { key: "own-globals", input: { trigger: "call", payload: { n } } });
      results.push((await runtime.execute(job, noBridge)).result);
    }
    expect(results).toEqual([
      { size: 1, seen: 1, last: 3 },
      { size: 2, seen: 2, last: 3 },
      { size: 3, seen: 3, last: 3 },
    ]);
  });

  it("the wrapped define functions still look and behave like the built-ins", async () => {
    const code = moduleBundle(`return { default: () => {
      const d = Object.defineProperty;
      const target = d({}, { toString: () => "key" }, { value: 1, enumerable: true });
      let refused = "";
      try { d(1, "x", {}); } catch (e) { refused = e.constructor.name; }
      return { native: Function.prototype.toString.call(d).includes("[native code]"), name: d.name, length: d.length,
        reflect: Reflect.defineProperty.length, many: Object.defineProperties.name, target, refused,
        frozen: Reflect.defineProperty(Object.freeze({}), "y", { value: 1 }), constructs: (() => { try { new d(); return true; } catch { return false; } })() };
    } };`);
    const outcome = await runtime.execute(makeJob(code), noBridge);
    expect(outcome.result).toEqual({
      native: true,
      name: "defineProperty",
      length: 3,
      reflect: 3,
      many: "defineProperties",
      target: { key: 1 },
      refused: "TypeError",
      frozen: false,
      constructs: false,
    });
  });

  it("a promise chain a call leaves running finishes as part of that call, never of the next one", async () => {
    // The first call returns at once, while its chain spins, then reaches for the backend and the
    // console; the second call is sent as soon as the first one's outcome is in.
    const code = moduleBundle(`return { default: async (event) => {
      if (event.leave) (async () => {
        for (let i = 0; i < 50; i++) await null;
        const end = Date.now() + 300; while (Date.now() < end) {}
        try { backend.create("late", {}); } catch {}
        console.log("late log");
      })();
      return event.n;
    } };`);
    const first = recordingBridge({ "records.create": () => ({}) });
    const second = recordingBridge({ "records.create": () => ({}) });
    const job = (payload: unknown) =>
      makeJob(code, { key: "late-chain", input: { trigger: "call", payload } });
    const a = await runtime.execute(job({ n: 1, leave: true }), first);
    const b = await runtime.execute(job({ n: 2 }), second);
    expect(a.result).toBe(1);
    expect(a.logs.map((l) => l.message)).toEqual(["late log"]);
    expect(first.calls.map((c) => c.op)).toEqual(["records.create"]);
    expect(b.result).toBe(2);
    expect(b.logs).toEqual([]);
    expect(second.calls).toEqual([]);
  });

  it("prepare gets a version ready before its first call, whose top-level code runs in that call", async () => {
    const code = moduleBundle(`console.log("loading"); globalThis.loads = (globalThis.loads ?? 0) + 1;
      return { default: () => ({ loads: globalThis.loads }) };`);
    const fn = makeJob(code, { key: "prepared" }).fn;
    await runtime.prepare(fn, { memoryMb: 64 });
    const stats = await runtime.stats();
    expect(stats.flatMap((s) => s.warmKeys)).toContain("prepared");
    const first = await runtime.execute(makeJob(code, { key: "prepared" }), noBridge);
    expect(first.result).toEqual({ loads: 1 });
    expect(first.logs.map((l) => l.message)).toEqual(["loading"]);
    const second = await runtime.execute(makeJob(code, { key: "prepared" }), noBridge);
    expect(second.result).toEqual({ loads: 1 });
    expect(second.logs).toEqual([]);
  });

  it("a call that comes while its version is being prepared waits for it and succeeds", async () => {
    const code = moduleBundle(`return { default: (event) => event.n * 2 };`);
    const job = (n: number) => makeJob(code, { key: "racing", input: { trigger: "call", payload: { n } } });
    const preparing = runtime.prepare(job(0).fn, { memoryMb: 64 });
    const outcomes = await Promise.all([
      runtime.execute(job(1), noBridge),
      runtime.execute(job(2), noBridge),
    ]);
    await preparing;
    expect(outcomes.map((o) => o.result)).toEqual([2, 4]);
  });

  it("prepare of a bundle that does not compile resolves, and the call reports the error", async () => {
    const broken = "var __backendModule = {;";
    await expect(runtime.prepare(makeJob(broken, { key: "broken" }).fn)).resolves.toBeUndefined();
    const outcome = await runtime.execute(makeJob(broken, { key: "broken" }), noBridge);
    expect(outcome.status).toBe("error");
    expect(outcome.error?.message).toMatch(/^The function.s code could not be loaded: Unexpected token/);
  });
});
