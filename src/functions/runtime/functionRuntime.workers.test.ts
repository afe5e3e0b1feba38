// The sandbox worker processes: what they can see, what happens when one dies or hangs, recycling,
// warm isolates and their eviction.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { FunctionRuntime } from "./functionRuntime.js";
import type { HostToWorker, WorkerToHost } from "./protocol.js";
import {
  defaultExport,
  type JobOptions,
  makeJob,
  noBridge,
  startRuntime,
} from "./testing/runtimeFixtures.js";
import type { BridgeHandler } from "./types.js";
import { inputToWire, IPC_SERIALIZATION } from "./wire.js";
import { resolveWorkerPath, workerEnv } from "./workerProcess.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A bridge whose calls wait until the test releases them; `started` resolves at each call. */
function gatedBridge() {
  const waiting: ((value: unknown) => void)[] = [];
  let onCall: () => void = () => {};
  const bridge: BridgeHandler = () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      onCall();
    });
  return {
    bridge,
    /** Resolves once `n` calls are waiting. */
    waitFor: (n: number) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (waiting.length >= n) resolve();
        };
        onCall = check;
        check();
      }),
    releaseAll: (value: unknown) => {
      for (const resolve of waiting.splice(0)) resolve(value);
    },
  };
}

const ECHO = defaultExport("(event) => ({ echo: event })");
const WAIT_FOR_BRIDGE = defaultExport(`() => ({ got: backend.query("slow") })`);

describe("function runtime: sandbox workers", () => {
  let runtime: FunctionRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  it("forks workers with --no-node-snapshot and an environment without the server's secrets", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: "postgres://user:pw@db/app",
      BACKEND_ADMIN_KEY: "admin-key-value",
      BACKEND_SECRETS_KEY: "secrets-key-value",
      SMTP_URL: "smtp://user:pw@mail",
    });
    try {
      runtime = startRuntime({ workers: 1 });
      expect((await runtime.execute(makeJob(ECHO), noBridge)).status).toBe("success");
      const [pid] = runtime.workerPids();
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
      for (const secret of [
        "DATABASE_URL",
        "BACKEND_ADMIN_KEY",
        "BACKEND_SECRETS_KEY",
        "SMTP_URL",
        "pw@",
        "key-value",
      ]) {
        expect(environ).not.toContain(secret);
      }
      expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toContain("--no-node-snapshot");
    } finally {
      process.env = saved;
    }
  });

  it("a worker killed with SIGKILL mid-execution: that call is crashed, the other worker's call finishes, the next call succeeds", async () => {
    runtime = startRuntime({ workers: 2 });
    const gate = gatedBridge();
    // Two executions held in a backend call, one on each worker (the least busy one is picked).
    const first = runtime.execute(makeJob(WAIT_FOR_BRIDGE, { key: "a" }), gate.bridge);
    const second = runtime.execute(makeJob(WAIT_FOR_BRIDGE, { key: "b" }), gate.bridge);
    await gate.waitFor(2);
    const pids = runtime.workerPids();
    expect(pids).toHaveLength(2);
    process.kill(pids[0]!, "SIGKILL");
    // The survivor's call is answered once its worker reported the death of the other.
    await vi.waitFor(() => expect(runtime!.workerPids()).not.toContain(pids[0]));
    gate.releaseAll(["row"]);
    const outcomes = await Promise.all([first, second]);
    const crashed = outcomes.filter((o) => o.status === "crashed");
    const finished = outcomes.filter((o) => o.status === "success");
    expect(crashed).toHaveLength(1);
    expect(crashed[0]!.error?.message).toBe(
      "The sandbox worker stopped during the execution (signal SIGKILL)",
    );
    expect(finished).toHaveLength(1);
    expect(finished[0]!.result).toEqual({ got: ["row"] });

    const next = await runtime.execute(makeJob(ECHO, { input: { trigger: "call", payload: 7 } }), noBridge);
    expect(next.status).toBe("success");
    expect(next.result).toEqual({ echo: 7 });
    expect(runtime.workerPids()).toHaveLength(2);
    expect(runtime.workerPids()).not.toContain(pids[0]);
  });

  it("a worker that stops answering is killed after the grace period; the call times out and the next succeeds", async () => {
    runtime = startRuntime({ workers: 1 });
    expect((await runtime.execute(makeJob(ECHO), noBridge)).status).toBe("success");
    const [pid] = runtime.workerPids();
    const gate = gatedBridge();
    const stuck = runtime.execute(makeJob(WAIT_FOR_BRIDGE, { limits: { timeoutMs: 300 } }), gate.bridge);
    await gate.waitFor(1);
    process.kill(pid!, "SIGSTOP");
    const outcome = await stuck;
    // The sandbox worker's own answer, given by the server after the grace period: not the
    // invoke-level safety net, which says "did not answer".
    expect(outcome.status).toBe("timeout");
    expect(outcome.error?.message).toBe("Timed out after 300 ms");
    await vi.waitFor(() => expect(alive(pid!)).toBe(false));
    const next = await runtime.execute(makeJob(ECHO), noBridge);
    expect(next.status).toBe("success");
    expect(runtime.workerPids()).not.toContain(pid);
  });

  /**
   * Calls one after another until three worker processes have served: each call must succeed,
   * including those made while a replacement is starting (the old worker still takes them).
   */
  async function callThroughRecycles(options: JobOptions = {}): Promise<number> {
    const seen = new Set<number>();
    let i = 0;
    await vi.waitFor(
      async () => {
        i++;
        const outcome = await runtime!.execute(
          makeJob(ECHO, { ...options, input: { trigger: "call", payload: i } }),
          noBridge,
        );
        expect(outcome.status, JSON.stringify(outcome.error)).toBe("success");
        expect(outcome.result).toEqual({ echo: i });
        for (const pid of runtime!.workerPids()) seen.add(pid);
        expect(seen.size).toBeGreaterThanOrEqual(3);
      },
      { timeout: 20_000, interval: 1 },
    );
    return i;
  }

  it("recycles a worker after recycleAfter executions and keeps answering", async () => {
    runtime = startRuntime({ workers: 1, recycleAfter: 3 });
    await callThroughRecycles({ key: "echo" });
    // The replaced workers stop once their executions are done and their replacement is ready
    // (starting a worker can take seconds on a loaded machine): one is left.
    await vi.waitFor(() => expect(runtime!.workerPids()).toHaveLength(1), { timeout: 20_000, interval: 20 });
  });

  it("recycles a worker whose memory passes workerMaxRssMb and keeps answering", async () => {
    runtime = startRuntime({ workers: 1, workerMaxRssMb: 1 });
    await callThroughRecycles();
  });

  it("reuses the warm isolate of a function version, and loads a big bundle only once", async () => {
    runtime = startRuntime({ workers: 1 });
    // About 1.5 MB of code; its top-level code counts how often it runs, the handler its calls.
    const helpers = Array.from({ length: 6000 }, (_, i) => `function h${i}(x) { return x + ${i}; }`).join(
      "\n",
    );
    const code = defaultExport(
      `(() => { ${helpers}\n globalThis.loads = (globalThis.loads ?? 0) + 1; let calls = 0;
        return (event) => ({ value: h5999(event), loads: globalThis.loads, calls: ++calls }); })()`,
    );
    const results: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const outcome = await runtime.execute(
        makeJob(code, { key: "big", input: { trigger: "call", payload: 1 } }),
        noBridge,
      );
      results.push(outcome.result);
    }
    expect(results).toEqual([1, 2, 3, 4].map((calls) => ({ value: 6000, loads: 1, calls })));
    const stats = await runtime.stats();
    expect(stats[0]!.warmKeys.filter((k) => k === "big")).toHaveLength(1);
  });

  it("runs concurrent calls of one function in separate isolates, at the same time", async () => {
    runtime = startRuntime({ workers: 1 });
    const code = defaultExport(`async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { start, end: Date.now() };
    }`);
    await runtime.execute(makeJob(code, { key: "sleepy" }), noBridge);
    const outcomes = await Promise.all(
      Array.from({ length: 3 }, () => runtime!.execute(makeJob(code, { key: "sleepy" }), noBridge)),
    );
    const runs = outcomes.map((o) => o.result as { start: number; end: number });
    expect(outcomes.map((o) => o.status)).toEqual(["success", "success", "success"]);
    // All three were running at one moment: the last to start began before the first to end ended.
    expect(Math.max(...runs.map((r) => r.start))).toBeLessThan(Math.min(...runs.map((r) => r.end)));
    const stats = await runtime.stats();
    expect(stats[0]!.warmKeys.filter((k) => k === "sleepy")).toHaveLength(3);
  });

  it("evicts a warm isolate after idleEvictMs", async () => {
    runtime = startRuntime({ workers: 1, idleEvictMs: 200 });
    await runtime.execute(makeJob(ECHO, { key: "short-lived" }), noBridge);
    expect((await runtime.stats())[0]!.warmKeys).toContain("short-lived");
    await vi.waitFor(async () => expect((await runtime!.stats())[0]!.warmKeys).not.toContain("short-lived"), {
      timeout: 5_000,
      interval: 100,
    });
  });

  it("close() kills the workers and later calls fail cleanly", async () => {
    const own = startRuntime({ workers: 2 });
    await own.execute(makeJob(ECHO), noBridge);
    const pids = own.workerPids();
    expect(pids).toHaveLength(2);
    await own.close();
    for (const pid of pids) expect(alive(pid)).toBe(false);
    const after = await own.execute(makeJob(ECHO), noBridge);
    expect(after.status).toBe("crashed");
    expect(after.error?.message).toBe("The function runtime is shut down");
  });

  it("a worker is sent a version's code once, and asks for it again when it does not have it", async () => {
    const child = fork(resolveWorkerPath()!, ["{}"], {
      serialization: IPC_SERIALIZATION,
      env: workerEnv(),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    try {
      const messages: WorkerToHost[] = [];
      const next = (type: WorkerToHost["type"]) =>
        vi.waitFor(
          () => {
            const index = messages.findIndex((m) => m.type === type);
            expect(index).toBeGreaterThanOrEqual(0);
            return messages.splice(index, 1)[0]!;
          },
          { timeout: 10_000, interval: 10 },
        );
      child.on("message", (message: WorkerToHost) => messages.push(message));
      const send = (message: HostToWorker) => child.send(message);
      await next("ready");
      const { fn, ...rest } = makeJob(ECHO, { key: "sent-once", input: { trigger: "call", payload: 1 } });
      const { code: _code, ...bare } = fn;
      const wire = { ...rest, input: inputToWire(rest.input) };
      send({ type: "execute", job: { ...wire, executionId: "bare-1", fn: bare } });
      expect(await next("need-code")).toEqual({ type: "need-code", executionId: "bare-1" });
      send({ type: "execute", job: { ...wire, executionId: "bare-1", fn } });
      expect(await next("result")).toMatchObject({ executionId: "bare-1", outcome: { result: { echo: 1 } } });
      send({ type: "execute", job: { ...wire, executionId: "bare-2", fn: bare } });
      expect(await next("result")).toMatchObject({ executionId: "bare-2", outcome: { result: { echo: 1 } } });
    } finally {
      child.kill("SIGKILL");
    }
  });
});
