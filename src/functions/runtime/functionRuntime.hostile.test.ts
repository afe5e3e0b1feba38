// The hostile suite (SPEC §8): functions that loop, wait forever, eat memory, flood logs, return
// too much, tamper with built-ins, or reach for the host. Each must end with the right status and
// message, while a neighbour function, called over and over in parallel, keeps answering correctly.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import {
  defaultExport,
  type JobOptions,
  makeJob,
  noBridge,
  recordingBridge,
  startRuntime,
} from "./testing/runtimeFixtures.js";
import type { BridgeHandler, ExecutionOutcome } from "./types.js";

const NEIGHBOUR = defaultExport(`(event) => {
  // Checks the built-ins a hostile function may have tampered with in its own context.
  const intact = [1, 2].map((x) => x * 2).join() === "2,4" && JSON.parse('{"a":1}').a === 1 &&
    ({}).polluted === undefined && typeof backend.query === "function";
  return { echo: event.n * 2, intact };
}`);

describe("function runtime: hostile functions are contained while a neighbour keeps answering", () => {
  let runtime: FunctionRuntime;
  let running = true;
  let successes = 0;
  const failures: string[] = [];
  let loops: Promise<void>[] = [];

  async function neighbourLoop(id: number): Promise<void> {
    for (let n = 0; running; n++) {
      const outcome = await runtime.execute(
        makeJob(NEIGHBOUR, {
          key: "neighbour",
          name: "neighbour",
          input: { trigger: "call", payload: { n } },
        }),
        noBridge,
      );
      const result = outcome.result as { echo: number; intact: boolean } | undefined;
      if (outcome.status !== "success" || result?.echo !== n * 2 || !result.intact) {
        failures.push(
          `neighbour ${id} call ${n}: ${outcome.status} ${JSON.stringify(outcome.result ?? outcome.error)}`,
        );
      } else successes++;
      // Paced, so the neighbours do not hog the two cores the suite shares.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  }

  async function run(code: string, options: JobOptions = {}, bridge: BridgeHandler = noBridge) {
    return runtime.execute(makeJob(code, { limits: { timeoutMs: 1_500 }, ...options }), bridge);
  }

  /** Runs a long hostile case and checks that the neighbour answered meanwhile. */
  async function runWhileNeighbourAnswers(
    code: string,
    options: JobOptions = {},
    bridge: BridgeHandler = noBridge,
  ) {
    const before = successes;
    const outcome = await run(code, options, bridge);
    expect(successes, "the neighbour kept answering during the hostile run").toBeGreaterThan(before);
    return outcome;
  }

  function expectStatus(outcome: ExecutionOutcome, status: string | string[], message?: RegExp) {
    const statuses = Array.isArray(status) ? status : [status];
    expect(statuses, JSON.stringify(outcome.error ?? outcome.result)).toContain(outcome.status);
    if (message) expect(outcome.error?.message).toMatch(message);
  }

  beforeAll(async () => {
    runtime = startRuntime({ workers: 2 });
    // Both neighbours answer once before the hostile functions start.
    const first = await runtime.execute(
      makeJob(NEIGHBOUR, { key: "neighbour", input: { payload: { n: 1 } } }),
      noBridge,
    );
    expect(first.status).toBe("success");
    loops = [neighbourLoop(1), neighbourLoop(2)];
  });

  afterAll(async () => {
    running = false;
    await Promise.all(loops);
    await runtime?.close();
  });

  // ---- resource limits ----

  it("1. an infinite loop ends with timeout or cpu_limit", async () => {
    const outcome = await runWhileNeighbourAnswers(defaultExport("() => { while (true) {} }"));
    expectStatus(
      outcome,
      ["timeout", "cpu_limit"],
      /Timed out after 1500 ms|CPU time limit of 1500 ms exceeded/,
    );
  });

  it("2. a CPU-bound function past its CPU limit ends with cpu_limit", async () => {
    const outcome = await run(defaultExport("() => { for (;;) Math.sqrt(Math.random()); }"), {
      limits: { timeoutMs: 5_000, cpuMs: 300 },
    });
    expectStatus(outcome, "cpu_limit", /^CPU time limit of 300 ms exceeded$/);
  });

  it("3. an endless await ends with timeout", async () => {
    const outcome = await runWhileNeighbourAnswers(
      defaultExport("async () => { await new Promise(() => {}); }"),
    );
    expectStatus(outcome, "timeout", /^Timed out after 1500 ms$/);
  });

  it("4. a memory bomb ends with memory_limit", async () => {
    const outcome = await run(
      defaultExport("() => { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); }"),
      { limits: { timeoutMs: 10_000, memoryMb: 64 } },
    );
    expectStatus(outcome, "memory_limit", /^Memory limit of 64 MB exceeded$/);
  });

  it("5. an ArrayBuffer bomb ends with memory_limit", async () => {
    const outcome = await run(
      defaultExport("() => { const keep = []; for (;;) keep.push(new Uint8Array(16 * 1024 * 1024)); }"),
      {
        limits: { timeoutMs: 10_000, memoryMb: 64 },
      },
    );
    expectStatus(outcome, "memory_limit", /Memory limit of 64 MB exceeded/);
  });

  it("6. a string that doubles until it breaks fails with an error, nothing else", async () => {
    const outcome = await run(defaultExport(`() => { let s = "x"; for (;;) s += s; }`), {
      limits: { timeoutMs: 5_000 },
    });
    expectStatus(outcome, ["error", "memory_limit"], /Invalid string length|Memory limit/);
  });

  it("7. a log flood is cut at the cap with a single marker line", async () => {
    const outcome = await run(
      defaultExport(`() => { for (let i = 0; i < 1e6; i++) console.log("line " + i); return "done"; }`),
      {
        limits: { maxLogBytes: 64 * 1024, timeoutMs: 10_000 },
      },
    );
    expectStatus(outcome, "success");
    expect(outcome.result).toBe("done");
    expect(outcome.logsTruncated).toBe(true);
    const last = outcome.logs.at(-1)!;
    expect(last.message).toBe("[log output truncated at 65536 bytes]");
    expect(outcome.logs.filter((l) => l.message.startsWith("[log output truncated"))).toHaveLength(1);
    const bytes = outcome.logs.slice(0, -1).reduce((n, l) => n + Buffer.byteLength(l.message), 0);
    expect(bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("8. one giant log line is cut to the cap", async () => {
    const outcome = await run(defaultExport(`() => { console.log("é".repeat(300000)); }`));
    expect(outcome.logsTruncated).toBe(true);
    expect(Buffer.byteLength(outcome.logs[0]!.message)).toBeLessThanOrEqual(256 * 1024);
    expect(outcome.logs[1]!.message).toBe("[log output truncated at 262144 bytes]");
  });

  it("9. a huge return value ends with too_large", async () => {
    const outcome = await run(defaultExport(`() => ({ blob: "x".repeat(3 * 1024 * 1024) })`));
    expectStatus(outcome, "too_large", /The result is too large: .* over the limit of 1048576 bytes/);
  });

  it("10. a huge Response body ends with too_large", async () => {
    const outcome = await run(defaultExport(`() => new Response("y".repeat(2 * 1024 * 1024))`));
    expectStatus(outcome, "too_large", /The response body is too large: 2097152 bytes/);
  });

  // ---- tampering with shared objects ----

  it("11. Object.prototype pollution does not leak into the next execution or another function", async () => {
    // Same code twice on one key (a warm isolate): the second run must start clean.
    const tamper = defaultExport(`() => {
      const clean = ({}).polluted === undefined && ({}).isAdmin === undefined;
      Object.prototype.polluted = "yes";
      Object.defineProperty(Object.prototype, "isAdmin", { get() { return true; } });
      return { clean, now: ({}).polluted };
    }`);
    expect((await run(tamper, { key: "tamper-object" })).result).toEqual({ clean: true, now: "yes" });
    expect((await run(tamper, { key: "tamper-object" })).result).toEqual({ clean: true, now: "yes" });
    const other = defaultExport(`() => [({}).polluted === undefined, ({}).isAdmin === undefined]`);
    expect((await run(other, { key: "someone-else" })).result).toEqual([true, true]);
  });

  it("12. replacing Array.prototype.map, JSON.parse and JSON.stringify does not break the result or leak", async () => {
    const tamper = defaultExport(`() => {
      const clean = [1].map((x) => x + 1)[0] === 2 && JSON.parse("[7]")[0] === 7 && JSON.stringify({ a: 1 }) === '{"a":1}';
      Array.prototype.map = function () { return ["hacked"]; };
      JSON.parse = () => ({ hacked: true });
      JSON.stringify = () => '"hacked"';
      return { list: [1, 2, 3], clean };
    }`);
    expect((await run(tamper, { key: "tamper-json" })).result).toEqual({ list: [1, 2, 3], clean: true });
    expect((await run(tamper, { key: "tamper-json" })).result).toEqual({ list: [1, 2, 3], clean: true });
  });

  it("13. replacing Promise.prototype.then and Function.prototype.call/apply/bind stays in that execution", async () => {
    const tamper = defaultExport(`async () => {
      const clean = (await Promise.resolve(5)) === 5 && Math.max.apply(null, [1, 9]) === 9 && ((x) => x).call(null, 3) === 3;
      if (!clean) return "dirty";
      const then = Promise.prototype.then;
      Function.prototype.call = () => "hacked";
      Function.prototype.apply = () => "hacked";
      Function.prototype.bind = () => () => "hacked";
      Promise.prototype.then = function () { return then; };
      console.log("still logging");
      return "clean";
    }`);
    for (let i = 0; i < 2; i++) {
      const outcome = await run(tamper, { key: "tamper-fn" });
      expect(outcome.result === "dirty").toBe(false);
      expectStatus(outcome, ["success", "error", "timeout"]);
    }
  });

  it("14. a `then` getter on Object.prototype cannot hijack the runtime beyond its own execution", async () => {
    const tamper = defaultExport(`() => {
      if (({}).then !== undefined) return "dirty";
      Object.defineProperty(Object.prototype, "then", { configurable: true,
        get() { return (resolve) => resolve({ kind: "value", json: '"forged"' }); } });
      return { real: true };
    }`);
    for (let i = 0; i < 2; i++) {
      const outcome = await run(tamper, { key: "tamper-then", limits: { timeoutMs: 500 } });
      expect(outcome.result === "dirty").toBe(false);
      expectStatus(outcome, ["success", "error", "timeout", "cpu_limit"]);
    }
  });

  it("15. backend, Deno and createClientFromRequest cannot be replaced", async () => {
    const outcome = await run(
      defaultExport(`() => {
        const tries = [];
        try { backend = null; } catch (e) { tries.push(e.name); }
        try { backend.query = () => "fake"; } catch (e) { tries.push(e.name); }
        try { Deno = {}; } catch (e) { tries.push(e.name); }
        try { Object.defineProperty(globalThis, "backend", { value: 1 }); } catch (e) { tries.push(e.name); }
        try { delete globalThis.createClientFromRequest; } catch (e) { tries.push(e.name); }
        return { same: typeof backend.query === "function" && backend.query !== undefined && typeof Deno.serve === "function"
          && typeof createClientFromRequest === "function", tries };
      }`),
    );
    expect(outcome.result).toMatchObject({ same: true });
  });

  // ---- reaching for the host ----

  it("16. process, require, module, Buffer and the Node globals are not there", async () => {
    const outcome = await run(
      defaultExport(`() => [typeof process, typeof require, typeof module, typeof exports, typeof Buffer,
        typeof global, typeof __dirname, typeof setImmediate, typeof SharedArrayBuffer, typeof Atomics, typeof WebAssembly]`),
    );
    expect(outcome.result).toEqual(Array(11).fill("undefined"));
  });

  it("17. a dynamic import('fs') fails", async () => {
    const outcome = await run(
      defaultExport(`async () => {
        const out = [];
        for (const name of ["fs", "node:child_process", "file:///etc/passwd"]) {
          try { await import(name); out.push("loaded " + name); } catch (e) { out.push("refused"); }
        }
        return out;
      }`),
    );
    expect(outcome.result).toEqual(["refused", "refused", "refused"]);
  });

  it("18. globalThis.constructor.constructor('return process')() finds no process", async () => {
    const outcome = await run(
      defaultExport(`() => {
        try { return String(globalThis.constructor.constructor("return process")()); }
        catch (e) { return e.name + ": " + e.message; }
      }`),
    );
    expect(outcome.result).toBe("ReferenceError: process is not defined");
  });

  it("19. `this.constructor` and Function('return this')() give only the isolate's own global", async () => {
    const code = `
      var topThis = this;
      var __backendModule = { default: () => {
        const g = Function("return this")();
        return { same: g === topThis && g === globalThis, ctor: topThis.constructor === Object,
          hostish: Object.getOwnPropertyNames(g).filter((k) => /^(process|require|ivm|_ivm|Reference|ExternalCopy|__backendPrelude)$/.test(k) || (k.startsWith("__") && k !== "__backendModule")) };
      } };`;
    const outcome = await run(code);
    expect(outcome.result).toEqual({ same: true, ctor: true, hostish: [] });
  });

  it("20. no object reachable from the global graph is an isolated-vm Reference or the IPC channel", async () => {
    const outcome = await run(
      defaultExport(`() => {
        const seen = new Set(); const found = []; let visited = 0;
        const walk = (value, path, depth) => {
          if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value) || depth > 4) return;
          seen.add(value); visited++;
          for (const key of Reflect.ownKeys(value)) {
            if (["applySyncPromise", "derefInto", "copySync", "channel", "connected", "_handle", "pid", "ppid"].includes(String(key))) found.push(path + "." + String(key));
            let child; try { const d = Object.getOwnPropertyDescriptor(value, key); child = d && "value" in d ? d.value : undefined; } catch { continue; }
            walk(child, path + "." + String(key), depth + 1);
          }
          walk(Object.getPrototypeOf(value), path + ".__proto__", depth + 1);
        };
        walk(globalThis, "globalThis", 0);
        return { found, visited, postMessage: typeof postMessage };
      }`),
    );
    const result = outcome.result as { found: string[]; visited: number; postMessage: string };
    expect(result.found).toEqual([]);
    expect(result.visited).toBeGreaterThan(100);
    expect(result.postMessage).toBe("undefined");
  });

  it("21. Error.prepareStackTrace sees no host object in any frame (backend error, console, timers)", async () => {
    const bridge = recordingBridge({
      "records.get": () => {
        throw new Error("not found");
      },
    });
    const outcome = await run(
      defaultExport(`async () => {
        const leaks = [];
        Error.prepareStackTrace = (error, frames) => {
          for (const f of frames) {
            let t, fn;
            try { t = f.getThis(); } catch {}
            try { fn = f.getFunction(); } catch {}
            for (const v of [t, fn]) {
              if (v && v !== globalThis && (typeof v === "object" || typeof v === "function")) {
                if ("applySyncPromise" in v || "derefInto" in v) leaks.push(String(f.getFunctionName()));
              }
            }
          }
          return "captured";
        };
        try { backend.get("notes", "x"); } catch (e) { e.stack; }
        console.log({ get x() { new Error("in a getter").stack; return 1; } });
        await new Promise((resolve) => setTimeout(() => { new Error("in a timer").stack; resolve(); }, 1));
        try { null.x; } catch (e) { e.stack; }
        return { leaks };
      }`),
      {},
      bridge,
    );
    expect(outcome.result).toEqual({ leaks: [] });
  });

  it("22. new Function and eval work but see nothing of the host", async () => {
    const outcome = await run(
      defaultExport(`() => [new Function("return typeof process")(), eval("typeof require"), (0, eval)("typeof process"),
        eval("1 + 1"), Function("return typeof globalThis.__backendPrelude")()]`),
    );
    expect(outcome.result).toEqual(["undefined", "undefined", "undefined", 2, "undefined"]);
  });

  // ---- timers, recursion, throws ----

  it("23. a setTimeout storm fails with a clear error", async () => {
    const outcome = await run(
      defaultExport(`() => { for (let i = 0; i < 1e6; i++) setTimeout(() => {}, 60000); }`),
    );
    expectStatus(outcome, "error", /Too many pending timers \(limit 10000\)/);
  });

  it("24. a function that never returns but spams timers ends with timeout", async () => {
    const outcome = await runWhileNeighbourAnswers(
      defaultExport(
        `() => new Promise(() => { for (let i = 0; i < 200; i++) setInterval(() => { console.log("tick"); }, 0); })`,
      ),
      { limits: { timeoutMs: 1_000, maxLogBytes: 4096 } },
    );
    expectStatus(outcome, ["timeout", "cpu_limit"], /Timed out after 1000 ms|CPU time limit/);
  });

  it("25. an endless chain of microtasks ends with timeout or cpu_limit", async () => {
    const outcome = await runWhileNeighbourAnswers(defaultExport(`async () => { for (;;) await null; }`));
    expectStatus(outcome, ["timeout", "cpu_limit"]);
  });

  it("26. deep recursion is a stack overflow error, not a crash", async () => {
    const outcome = await run(defaultExport(`() => { const f = (n) => f(n + 1) + 1; return f(0); }`));
    expectStatus(outcome, "error", /^RangeError: Maximum call stack size exceeded$/);
  });

  it("27. throwing non-Error values gives a clear message", async () => {
    for (const [thrown, message] of [
      [`"plain string"`, `The function threw a non-Error value: "plain string"`],
      ["42", "The function threw a non-Error value: 42"],
      ["null", "The function threw a non-Error value: null"],
      ["undefined", "The function threw a non-Error value: undefined"],
      [`{ code: 7 }`, `The function threw a non-Error value: {"code":7}`],
    ]) {
      const outcome = await run(defaultExport(`async () => { throw ${thrown}; }`));
      expectStatus(outcome, "error");
      expect(outcome.error?.message).toBe(message);
    }
  });

  it("28. a thrown object whose getters throw is still reported", async () => {
    const outcome = await run(
      defaultExport(
        `() => { throw { get message() { throw new Error("gotcha"); }, get name() { throw 1; } }; }`,
      ),
    );
    expectStatus(outcome, "error", /The function threw a value that cannot be described/);
  });

  it("29. a cyclic result fails with a clear message", async () => {
    const outcome = await run(defaultExport(`() => { const a = {}; a.self = a; return a; }`));
    expectStatus(
      outcome,
      "error",
      /The result could not be turned into JSON: TypeError: Converting circular structure/,
    );
  });

  it("30. a backend call that the server never answers ends with timeout", async () => {
    const stuck: BridgeHandler = () => new Promise(() => {});
    const outcome = await runWhileNeighbourAnswers(defaultExport(`() => backend.query("notes")`), {}, stuck);
    expectStatus(outcome, "timeout", /^Timed out after 1500 ms$/);
  });

  it("31. timers left behind do not run after the execution ended", async () => {
    const bridge = recordingBridge({ "records.create": () => ({}) });
    const outcome = await run(
      defaultExport(
        `() => { setTimeout(() => backend.create("late", {}), 0); setInterval(() => backend.create("late", {}), 1); return "early"; }`,
      ),
      {},
      bridge,
    );
    expect(outcome.result).toBe("early");
    // Another execution's round trip gives a left-over timer every chance to fire.
    await run(defaultExport("() => 1"));
    await run(defaultExport("() => 1"));
    expect(bridge.calls).toEqual([]);
  });

  it("32. WebAssembly, whose memory would live outside the isolate's limit, is not there", async () => {
    const outcome = await run(
      defaultExport(
        `() => { try { new WebAssembly.Memory({ initial: 1000 }); return "allocated"; } catch (e) { return e.name; } }`,
      ),
    );
    expect(outcome.result).toBe("ReferenceError");
  });

  it("33. timers due at the very moment the function returns never run in the idle isolate", async () => {
    // The resolving timer fires first; the spinning ones are already on their way to the isolate.
    const code = defaultExport(`() => new Promise((resolve) => {
      setTimeout(() => resolve("returned"), 20);
      for (let i = 0; i < 200; i++) setTimeout(() => { for (;;) {} }, 20);
    })`);
    const first = await run(code, { key: "late-timers" });
    expect(first.result).toBe("returned");
    // The same function again, on the same warm isolate: it must not find it busy spinning.
    const second = await run(code, { key: "late-timers" });
    expect(second.result).toBe("returned");
  });

  it("34. FinalizationRegistry, whose callbacks run whenever the GC decides, is not there", async () => {
    const outcome = await run(defaultExport("() => [typeof FinalizationRegistry, typeof WeakRef]"));
    expect(outcome.result).toEqual(["undefined", "function"]);
  });

  // ---- outbound fetch (WEB's safe fetch, through the runtime) ----

  describe("fetch to private addresses", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === "/redirect-metadata") {
          res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
        } else if (req.url === "/redirect-private") {
          res.writeHead(307, { location: "http://10.0.0.1/admin" }).end();
        } else res.end("local ok");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const tryFetch = (url: string) =>
      defaultExport(`async () => { try { const r = await fetch(${JSON.stringify(url)}); return "fetched " + r.status + " " + await r.text(); }
        catch (e) { return e.name + ": " + e.message; } }`);

    it("35. fetch to 127.0.0.1 is refused", async () => {
      const outcome = await run(tryFetch(`http://127.0.0.1:${port}/`));
      expect(outcome.result).toMatch(/^TypeError: fetch to 127\.0\.0\.1:\d+ refused/);
    });

    it("36. fetch to the metadata address 169.254.169.254 is refused", async () => {
      const outcome = await run(tryFetch("http://169.254.169.254/latest/meta-data/"));
      expect(outcome.result).toMatch(/^TypeError: fetch to 169\.254\.169\.254 refused/);
    });

    it("37. fetch to the private address 10.0.0.1 is refused", async () => {
      const outcome = await run(tryFetch("http://10.0.0.1/"));
      expect(outcome.result).toMatch(/^TypeError: fetch to 10\.0\.0\.1 refused/);
    });

    it("38. a redirect from an allowed host into a private address is refused", async () => {
      const allowed = { fetchAllow: ["127.0.0.1"] };
      expect((await run(tryFetch(`http://127.0.0.1:${port}/`), allowed)).result).toBe("fetched 200 local ok");
      const metadata = await run(tryFetch(`http://127.0.0.1:${port}/redirect-metadata`), allowed);
      expect(metadata.result).toMatch(/^TypeError: fetch to 169\.254\.169\.254 refused/);
      const privateHop = await run(tryFetch(`http://127.0.0.1:${port}/redirect-private`), allowed);
      expect(privateHop.result).toMatch(/^TypeError: fetch to 10\.0\.0\.1 refused/);
    });
  });

  it("the neighbour answered correctly throughout", () => {
    expect(failures).toEqual([]);
    expect(successes).toBeGreaterThan(20);
  });
});
