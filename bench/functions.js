// The function-runtime suite (issue 3 "Measure", SPEC §9), on the real `backend start` with SQLite:
//   1. requests/s of a trivial public function over `ANY /functions/:name` (each run stores its
//      execution record), and of `GET /healthz` (the server's cheapest answer), at the same
//      connections as the bare node:http reference, with wrk (bench/wrk.js);
//   2. cold start: deploy a new version of a 200-line TypeScript function, time its first call;
//   3. warm SDK calls: `createClient(...).functions.invoke` of a warm function, one after another;
//   4. memory with 1,000 deployed and 100 warm functions: RSS (and PSS) of the server process and
//      of every process under it (sandbox workers, esbuild's service).
// Settings (environment): BENCH_COLD_STARTS (100), BENCH_COLD_PAUSE_MS (100), BENCH_SDK_CALLS (2000),
// BENCH_MEMORY_FUNCTIONS (1000), BENCH_MEMORY_WARM (100).
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { json, startBackend } from "./backendServer.js";
import { COLD_START_PAYLOAD, coldStartSource } from "./coldStartSource.js";
import { percentile, perRequest } from "./measure.js";
import { cpuBetween, stillRuns, treeCpu, treeMemory } from "./procStats.js";
import { wrk } from "./wrk.js";

const SDK = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "sdk", "index.js");

export const functionSettings = {
  coldStarts: Number(process.env.BENCH_COLD_STARTS ?? 100),
  coldPauseMs: Number(process.env.BENCH_COLD_PAUSE_MS ?? 100),
  sdkCalls: Number(process.env.BENCH_SDK_CALLS ?? 2000),
  memoryFunctions: Number(process.env.BENCH_MEMORY_FUNCTIONS ?? 1000),
  memoryWarm: Number(process.env.BENCH_MEMORY_WARM ?? 100),
};

/** A generous bound for the watchdog: every step at a slow pace on a busy machine, plus start-ups. */
export function functionsSuiteSeconds(settings) {
  const throughput = 2 * (settings.connections.length * (settings.duration + 5) + settings.warmup + 5);
  const cold = functionSettings.coldStarts * (1 + (2 * functionSettings.coldPauseMs) / 1000);
  const sdk = functionSettings.sdkCalls * 0.05;
  const memory = functionSettings.memoryFunctions * 0.5 + functionSettings.memoryWarm * 0.5 + 30;
  return Math.ceil(throughput + cold + sdk + memory + 2 * 60);
}

const TRIVIAL = `export const config = { access: "public" } as const;
export default () => ({ hello: "world" });
`;

const ECHO = `export default async function (event: unknown, context: { user: { id: string } | null }) {
  return { ok: true, user: context.user?.id ?? null, echo: event };
}
`;

/** A small function for the memory test; `i` makes each one its own code. */
const small = (i) => `export default async function (event: { n?: number }) {
  const n = typeof event?.n === "number" ? event.n : ${i};
  return { id: ${i}, double: n * 2 };
}
`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

async function deploy(server, name, files, config) {
  const answer = await json(
    `${server.url}/api/functions/${name}`,
    "PUT",
    config ? { files, config } : { files },
    server.adminKey,
  );
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`PUT /api/functions/${name} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` at a time. */
async function pool(count, concurrency, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await work(i);
    }
  });
  await Promise.all(runners);
}

/**
 * @param {{ settings: object, addRow: Function, log: (line: string) => void, notes: string[],
 *   cleanups: Array<() => Promise<void>>, cleanUp: () => Promise<void>, stopping: () => boolean }} context
 */
export async function benchFunctions(context) {
  const { log, notes, cleanUp } = context;
  const results = { settings: functionSettings };
  let failed = false;
  try {
    const server = await startBackend({ cleanups: context.cleanups });
    log(`functions: backend at ${server.url} (pid ${server.pid})`);
    results.throughput = await benchThroughput(server, context);
    results.coldStart = await benchColdStart(server, context);
    results.sdk = await benchSdk(server, context);
  } catch (error) {
    failed = true;
    notes.push(`functions (throughput, cold start, SDK) not fully measured: ${error.message}`);
    log(`functions failed: ${error.stack ?? error.message}`);
  } finally {
    await cleanUp();
  }
  if (context.stopping()) return { results, failed: true };
  try {
    results.memory = await benchMemory(context);
  } catch (error) {
    failed = true;
    notes.push(`function memory not measured: ${error.message}`);
    log(`function memory failed: ${error.stack ?? error.message}`);
  } finally {
    await cleanUp();
  }
  return { results, failed };
}

/**
 * `path` on the server with wrk at every connection count, after a warm-up; one row each, with the
 * CPU per request of the server, its sandbox workers and wrk. Answers the 2xx answers counted.
 */
async function measurePath(server, { settings, addRow, log }, workload, path) {
  const run = { url: server.url, path };
  await wrk({ ...run, connections: 10, duration: settings.warmup });
  let ok = 0;
  for (const connections of settings.connections) {
    const before = treeCpu(server.pid);
    const result = await wrk({ ...run, connections, duration: settings.duration });
    const spent = cpuBetween(before, treeCpu(server.pid));
    spent["load generator"] = result.generatorCpuSeconds;
    ok += result.ok;
    const cpuMsPerRequest = perRequest(spent, result.ok);
    addRow("sqlite", workload, connections, result, { cpuMsPerRequest });
    log(
      `functions: ${workload}: CPU per request at ${connections}: ` +
        Object.entries(cpuMsPerRequest)
          .map(([kind, ms]) => `${kind} ${ms.toFixed(3)} ms`)
          .join(", "),
    );
  }
  return ok;
}

async function benchThroughput(server, context) {
  const { log } = context;
  const deployed = await deploy(server, "hello", { "entry.ts": TRIVIAL });
  const probe = await fetch(`${server.url}/functions/hello`);
  const body = await probe.text();
  if (probe.status !== 200 || !probe.headers.get("x-execution-id")) {
    throw new Error(`GET /functions/hello answered ${probe.status} ${body}`);
  }
  log(`functions: hello v${deployed.version} (${deployed.form}, ${deployed.access}) answers ${body}`);
  const health = await fetch(`${server.url}/healthz`);
  if (health.status !== 200) throw new Error(`GET /healthz answered ${health.status} ${await health.text()}`);
  // The server's own floor (routing, hooks, serialising; the database at most once a second), then
  // a function call on top of it.
  await measurePath(server, context, "GET /healthz", "/healthz");
  const ok = await measurePath(server, context, "function GET /functions/:name", "/functions/hello");
  // Every 2xx answer is an execution stored with its outcome: count them to be sure.
  const stored = await json(
    `${server.url}/api/executions?function=hello&trigger=http&status=success&limit=1`,
    "GET",
    undefined,
    server.adminKey,
  );
  log(`functions: ${stored.body.total} successful executions stored for hello`);
  return { measuredOk: ok, storedExecutions: stored.body.total };
}

async function executionDuration(server, id) {
  const answer = await json(`${server.url}/api/executions/${id}`, "GET", undefined, server.adminKey);
  if (answer.status !== 200) throw new Error(`GET /api/executions/${id} answered ${answer.status}`);
  if (answer.body.status !== "success") {
    throw new Error(`execution ${id} ended ${answer.body.status}: ${answer.body.error}`);
  }
  return answer.body.durationMs;
}

/** One keep-alive connection for timed calls: node:http, so the figure is the server's, not a client's. */
const timedAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });

async function timedCall(server, name, payload) {
  const body = JSON.stringify(payload);
  const started = performance.now();
  const { status, text, executionId } = await new Promise((resolve, reject) => {
    const request = http.request(
      `${server.url}/functions/${name}`,
      {
        method: "POST",
        agent: timedAgent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode,
            text: Buffer.concat(chunks).toString("utf8"),
            executionId: response.headers["x-execution-id"],
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
  const elapsed = performance.now() - started;
  if (status !== 200) throw new Error(`POST /functions/${name} answered ${status}: ${text}`);
  return { elapsed, body: JSON.parse(text), executionId };
}

async function benchColdStart(server, { log }) {
  const { coldStarts, coldPauseMs } = functionSettings;
  const seed = randomBytes(2).readUInt16BE(0) * 1000;
  const deployMs = [];
  const cold = [];
  const coldServer = [];
  const warm = [];
  const warmServer = [];
  log(`functions: ${coldStarts} deploys of a 200-line TypeScript function, each followed by its first call`);
  for (let i = 0; i < coldStarts; i++) {
    const variant = seed + i;
    const source = coldStartSource(variant);
    const deployStarted = performance.now();
    const deployed = await deploy(server, "quote", { "entry.ts": source });
    deployMs.push(performance.now() - deployStarted);
    if (deployed.version !== i + 1) throw new Error(`deploy ${i + 1} made version ${deployed.version}`);
    const first = await timedCall(server, "quote", COLD_START_PAYLOAD);
    // The answer must come from the new code: its build id names the variant.
    if (first.body?.quote?.build !== `bench-${variant}`) {
      throw new Error(`the first call after deploy ${i + 1} answered ${JSON.stringify(first.body)}`);
    }
    // The same version again once the worker has settled (spare rebuilt, next context booted): the
    // warm baseline, so that cold minus warm is what being new costs.
    await sleep(coldPauseMs);
    const second = await timedCall(server, "quote", COLD_START_PAYLOAD);
    cold.push(first.elapsed);
    warm.push(second.elapsed);
    coldServer.push(await executionDuration(server, first.executionId));
    warmServer.push(await executionDuration(server, second.executionId));
    // Deploys do not come back to back in real life; let the worker rebuild its spare isolate.
    await sleep(coldPauseMs);
  }
  timedAgent.destroy();
  const result = {
    deploys: coldStarts,
    lines: coldStartSource(seed).trimEnd().split("\n").length,
    deploy: summary(deployMs),
    cold: summary(cold),
    coldServer: summary(coldServer),
    warm: summary(warm),
    warmServer: summary(warmServer),
  };
  log(
    `functions: cold start p50 ${result.cold.p50.toFixed(2)} ms, p99 ${result.cold.p99.toFixed(2)} ms ` +
      `(in the sandbox p50 ${result.coldServer.p50.toFixed(2)} ms); second call p50 ${result.warm.p50.toFixed(2)} ms; ` +
      `deploy p50 ${result.deploy.p50.toFixed(1)} ms`,
  );
  return result;
}

async function benchSdk(server, { log }) {
  const { createClient } = await import(pathToFileURL(SDK).href);
  const client = createClient({ url: server.url });
  await client.auth.register({
    email: `sdk-${randomBytes(4).toString("hex")}@example.com`,
    password: "benchmark password",
  });
  if (!client.token) throw new Error("the SDK's register left no token");
  await deploy(server, "echo", { "entry.ts": ECHO });
  for (let i = 0; i < 50; i++) await client.functions.invoke("echo", { warm: i });
  const { sdkCalls } = functionSettings;
  const latencies = [];
  const started = performance.now();
  for (let i = 0; i < sdkCalls; i++) {
    const t0 = performance.now();
    const result = await client.functions.invoke("echo", { i });
    latencies.push(performance.now() - t0);
    if (result?.echo?.i !== i || !result.user)
      throw new Error(`call ${i} answered ${JSON.stringify(result)}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const result = { calls: sdkCalls, ...summary(latencies), callsPerSecond: sdkCalls / seconds };
  log(
    `functions: ${sdkCalls} warm SDK calls, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ` +
      `${result.callsPerSecond.toFixed(0)} calls/s one at a time`,
  );
  return result;
}

function snapshot(pid, label, log) {
  const memory = treeMemory(pid);
  const mib = (kib) => (kib / 1024).toFixed(0);
  log(
    `functions: memory ${label}: ${mib(memory.rssKiB)} MiB RSS (${mib(memory.pssKiB)} MiB PSS) in ` +
      memory.processes.map((p) => `${p.kind} ${mib(p.rssKiB)}`).join(", "),
  );
  return { label, ...memory };
}

async function benchMemory({ cleanups, log }) {
  const { memoryFunctions, memoryWarm } = functionSettings;
  const maxFunctions = memoryFunctions + 100;
  const seen = new Map();
  // Whatever the server leaves behind (it should leave nothing) is ended by pid once it has stopped:
  // registered before the server, so that it runs after the server's own cleanup.
  cleanups.push(async () => {
    for (const [pid, command] of seen) {
      if (command && stillRuns(pid, command)) {
        log(`functions: process ${pid} (${command.slice(0, 80)}) outlived the server; ending it`);
        process.kill(pid, "SIGKILL");
      }
    }
  });
  const server = await startBackend({ cleanups, server: { functions: { maxFunctions } } });
  log(
    `functions: memory server at ${server.url} (pid ${server.pid}), functions.maxFunctions ${maxFunctions}`,
  );
  const remember = (snap) => {
    for (const p of snap.processes) if (p.pid !== server.pid) seen.set(p.pid, p.command);
    return snap;
  };

  // The sandbox workers start with the server; wait for both and for their spare isolates.
  for (let i = 0; i < 100; i++) {
    if (treeMemory(server.pid).processes.filter((p) => p.kind === "sandbox worker").length >= 2) break;
    await sleep(100);
  }
  await sleep(2000);
  const snapshots = [remember(snapshot(server.pid, "started, nothing deployed", log))];

  const names = Array.from({ length: memoryFunctions }, (_, i) => `fn-${String(i).padStart(4, "0")}`);
  log(`functions: deploying ${memoryFunctions} functions`);
  const deployStarted = performance.now();
  await pool(memoryFunctions, 4, (i) => deploy(server, names[i], { "entry.ts": small(i) }));
  const deploySeconds = (performance.now() - deployStarted) / 1000;
  const listed = await json(`${server.url}/api/functions`, "GET", undefined, server.adminKey);
  const count = listed.body?.items?.length;
  if (count !== memoryFunctions)
    throw new Error(`the server lists ${count} functions, not ${memoryFunctions}`);
  log(
    `functions: deployed ${memoryFunctions} in ${deploySeconds.toFixed(1)} s (4 at a time); the server lists ${count}`,
  );
  await sleep(2000);
  snapshots.push(remember(snapshot(server.pid, `${memoryFunctions} deployed, none called`, log)));

  // Calls come 4 at a time, as traffic would, so the warm isolates spread over the workers.
  await pool(memoryWarm, 4, async (i) => {
    const answer = await json(
      `${server.url}/api/functions/${names[i]}/invoke`,
      "POST",
      { n: i },
      server.adminKey,
    );
    if (answer.status !== 200 || answer.body?.double !== i * 2) {
      throw new Error(`invoking ${names[i]} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
  });
  await sleep(2000);
  snapshots.push(
    remember(snapshot(server.pid, `${memoryFunctions} deployed, ${memoryWarm} called (warm)`, log)),
  );
  await server.stop();
  return {
    functions: memoryFunctions,
    warm: memoryWarm,
    listed: count,
    deploySeconds,
    snapshots,
  };
}
