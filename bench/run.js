// `npm run bench`: measures, in one run on this machine, a bare node:http server (the reference) and
// the real `backend start`: record creates and filtered record queries on SQLite and on PostgreSQL
// (suite "records"), the function runtime on SQLite (suite "functions", see bench/functions.js), and
// events on SQLite and PostgreSQL with graphile-worker as the reference (suite "events", see
// bench/events.js), the scheduler with 10,000 schedules on SQLite and PostgreSQL (suite
// "schedules", see bench/schedules.js), and channels on SQLite: fan-out latency to 1,000 WebSocket
// clients, messages/s through one node, memory per idle connection (suite "channels", see
// bench/channels.js). `npm run bench -- --peers` also measures the same hello served by workerd and,
// when its npm package runs here, deno (bench/peers.js), next to bare node:http.
// HTTP load with a fixed request (the hellos, /healthz, function calls, filtered queries) comes from
// Debian's wrk in its own process (bench/wrk.js; scripts/installWrk.sh installs it); record creates,
// whose body changes with every request, from autocannon in this process (bench/measure.js). The
// bare hello's req/s under wrk is the load generator's ceiling, and the report says so.
// Prints a markdown report and writes it to bench/results/latest.md (and .json).
// Everything runs on 127.0.0.1, every measurement has a fixed duration, and a watchdog ends the run.
//
// Settings (environment): BENCH_SUITES ("records,functions,events,schedules,channels"), BENCH_DURATION
// seconds per measurement (10), BENCH_CONNECTIONS ("1,10,50"), BENCH_WRK_THREADS (1), BENCH_PEERS
// ("1" as --peers), BENCH_PEERS_CACHE (~/.cache/backend-bench/peers), BENCH_RECORDS in the queried
// collection (10000), BENCH_STORES ("sqlite,postgres"), BENCH_PG_URL
// (postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is made in it); the functions,
// events, schedules and channels suites' own settings are in bench/functions.js, bench/events.js,
// bench/schedules.js and bench/channels.js.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { json, startBackend } from "./backendServer.js";
import { benchChannels, channelSettings, channelsReport, channelsSuiteSeconds } from "./channels.js";
import { benchEvents, eventSettings, eventsSuiteSeconds } from "./events.js";
import { benchFunctions, functionSettings, functionsSuiteSeconds } from "./functions.js";
import { measure, perRequest, send } from "./measure.js";
import { installPeers, PEERS_CACHE, PEERS_INSTALL_SECONDS, startPeer } from "./peers.js";
import { cpuBetween, treeCpu } from "./procStats.js";
import { describeMachine, markdownReport } from "./report.js";
import { benchSchedules, scheduleSettings, schedulesReport, schedulesSuiteSeconds } from "./schedules.js";
import { spawnServer } from "./spawnServer.js";
import { createThrowawayDatabase } from "./throwawayPostgres.js";
import { findWrk, wrk, WRK_THREADS } from "./wrk.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const HELLO = path.join(here, "helloServer.js");
const INSTALL_WRK = path.join(here, "..", "scripts", "installWrk.sh");
const RESULTS = path.join(here, "results");
const SUITES = ["records", "functions", "events", "schedules", "channels"];

const settings = {
  duration: Number(process.env.BENCH_DURATION ?? 10),
  connections: (process.env.BENCH_CONNECTIONS ?? "1,10,50").split(",").map(Number),
  records: Number(process.env.BENCH_RECORDS ?? 10_000),
  stores: (process.env.BENCH_STORES ?? "sqlite,postgres").split(",").map((s) => s.trim()),
  suites: (process.env.BENCH_SUITES ?? SUITES.join(",")).split(",").map((s) => s.trim()),
  peers: process.argv.includes("--peers") || process.env.BENCH_PEERS === "1",
  wrkThreads: WRK_THREADS,
  warmup: 2,
};
for (const suite of settings.suites) {
  if (!SUITES.includes(suite)) {
    console.error(`bench: unknown suite "${suite}" in BENCH_SUITES; the suites are ${SUITES.join(", ")}`);
    process.exit(2);
  }
}
const runRecords = settings.suites.includes("records");
const runFunctions = settings.suites.includes("functions");
const runEvents = settings.suites.includes("events");
const runSchedules = settings.suites.includes("schedules");
const runChannels = settings.suites.includes("channels");
const PEERS = 2;
const MEASUREMENTS =
  settings.connections.length *
  (1 + (settings.peers ? PEERS : 0) + (runRecords ? 2 * settings.stores.length : 0));
// Generous: the measurements, warm-ups, pre-fills and start-ups, then a margin.
const WATCHDOG_MS =
  (MEASUREMENTS * (settings.duration + 5) +
    (settings.peers ? PEERS_INSTALL_SECONDS + PEERS * 60 : 0) +
    (runRecords ? settings.stores.length * 180 : 0) +
    (runFunctions ? functionsSuiteSeconds(settings) : 0) +
    (runEvents ? eventsSuiteSeconds(settings) : 0) +
    (runSchedules ? schedulesSuiteSeconds(settings) : 0) +
    (runChannels ? channelsSuiteSeconds(settings) : 0) +
    120) *
  1000;

const cleanups = [];
let cleaning;
/** Runs the cleanups newest first; a second caller (Ctrl-C during a cleanup) waits for the same run. */
function cleanUp() {
  cleaning ??= (async () => {
    while (cleanups.length > 0)
      await cleanups
        .pop()()
        .catch((e) => console.error(`bench: cleanup: ${e.message}`));
  })().finally(() => {
    cleaning = undefined;
  });
  return cleaning;
}
/** Set on Ctrl-C or SIGTERM: no new server is started while the cleanup runs. */
let stopping = false;
const watchdog = setTimeout(async () => {
  stopping = true;
  console.error(`bench: still running after ${Math.round(WATCHDOG_MS / 1000)} s; stopping`);
  await cleanUp();
  process.exit(2);
}, WATCHDOG_MS);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    stopping = true;
    console.error(`bench: ${signal}; cleaning up`);
    await cleanUp();
    process.exit(130);
  });
}

const log = (line) => console.error(`bench: ${line}`);
const rows = [];
const notes = [];
const bare = new Map();
/** The load generator and its ceiling: the bare hello's best req/s under it. */
const generator = { tool: `wrk -t${settings.wrkThreads}`, version: undefined, ceiling: 0, connections: 0 };
/** Each peer's version, or why it was not measured. */
const peers = {};

function addRow(store, workload, connections, result, extra = {}) {
  const reference = bare.get(connections);
  const row = {
    store,
    workload,
    connections,
    requestsPerSecond: result.requestsPerSecond,
    p50: result.p50,
    p99: result.p99,
    errors: result.errors,
    ...(store === "node:http"
      ? {}
      : { ratio: reference ? result.requestsPerSecond / reference : Number.NaN }),
    ...extra,
  };
  if (result.errors > 0) {
    const parts = Object.entries(result.statusCodes)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, s]) => `${code}×${s.count}`);
    if (result.timeouts > 0) parts.push(`${result.timeouts} timed out after 10 s`);
    for (const kind of ["connect", "read", "write"]) {
      if (result.socketErrors?.[kind] > 0) parts.push(`${result.socketErrors[kind]} socket ${kind} errors`);
    }
    row.note = parts.join(", ");
  }
  rows.push(row);
  log(
    `${store} ${workload} c=${connections}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms${
      result.errors ? `, ${result.errors} errors` : ""
    }`,
  );
}

/** wrk on PATH, installed by scripts/installWrk.sh when the bench runs as root. */
function ensureWrk() {
  let version = findWrk();
  if (!version && process.getuid?.() === 0) {
    log("wrk is not on PATH; installing it: bash scripts/installWrk.sh");
    execFileSync("bash", [INSTALL_WRK], { stdio: ["ignore", process.stderr, process.stderr] });
    version = findWrk();
  }
  if (!version) {
    throw new Error("wrk is not on PATH: install it with `bash scripts/installWrk.sh` (Debian's wrk)");
  }
  return version;
}

/**
 * A hello server measured at every connection count with wrk: the reference (bare node:http), or
 * a peer. CPU per request: the server's process tree, and wrk's own (a child of this process).
 */
async function benchHello(store, server) {
  await wrk({ url: server.url, path: "/", connections: 10, duration: settings.warmup });
  const results = [];
  for (const connections of settings.connections) {
    const before = treeCpu(server.pid);
    const result = await wrk({ url: server.url, path: "/", connections, duration: settings.duration });
    const spent = {
      ...cpuBetween(before, treeCpu(server.pid)),
      "load generator": result.generatorCpuSeconds,
    };
    addRow(store, "hello", connections, result, { cpuMsPerRequest: perRequest(spent, result.ok) });
    results.push([connections, result]);
  }
  return results;
}

async function benchBare() {
  const server = await spawnServer(process.execPath, [HELLO]);
  cleanups.push(server.stop);
  log(`bare node:http at ${server.url}`);
  for (const [connections, result] of await benchHello("node:http", server)) {
    bare.set(connections, result.requestsPerSecond);
    if (result.requestsPerSecond > generator.ceiling) {
      generator.ceiling = result.requestsPerSecond;
      generator.connections = connections;
    }
  }
  log(
    `load generator: ${generator.tool} (ceiling ${Math.round(generator.ceiling)} req/s against bare node:http, at ${generator.connections} connections)`,
  );
  await server.stop();
}

/** workerd and deno serving the same hello, with the same wrk settings (`--peers`). */
async function benchPeers() {
  const installed = await installPeers(log);
  for (const [name, peer] of Object.entries(installed)) {
    if (stopping) break;
    if (peer.error) {
      peers[name] = { error: peer.error };
      log(`peers: ${name} not measured: ${peer.error}`);
      continue;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), `backend-bench-${name}-`));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    try {
      const server = await startPeer(name, peer.bin, dir, (stop) => cleanups.push(stop));
      log(`peers: ${peer.version} at ${server.url}`);
      peers[name] = { version: peer.version };
      await benchHello(name, server);
      await server.stop();
    } catch (error) {
      peers[name] = { version: peer.version, error: error.message };
      log(`peers: ${name} failed: ${error.message}`);
    }
  }
  await cleanUp();
}

/** A record for the queried collection: 100 groups, half of each above n = 5000. */
const queryRecord = (i) =>
  JSON.stringify({ n: i, group: i % 100, status: i % 3 === 0 ? "open" : "closed", title: `record ${i}` });

async function benchStore(store, machine) {
  let databaseUrl;
  if (store === "postgres") {
    let database;
    try {
      database = await createThrowawayDatabase();
    } catch (error) {
      notes.push(`PostgreSQL not measured: ${error.message}`);
      log(`skipping PostgreSQL: ${error.message}`);
      return;
    }
    cleanups.push(database.drop);
    machine.postgres = database.version;
    databaseUrl = database.url;
    log(`PostgreSQL database ${database.name}`);
  }

  const server = await startBackend({ cleanups, databaseUrl });
  log(`${store}: backend at ${server.url}`);

  const register = await json(`${server.url}/api/auth/register`, "POST", {
    email: `bench-${randomBytes(4).toString("hex")}@example.com`,
    password: "benchmark password",
  });
  if (register.status !== 201) {
    throw new Error(`POST /api/auth/register answered ${register.status}: ${JSON.stringify(register.body)}`);
  }
  const token = register.body.token;
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const probe = await json(`${server.url}/api/records/bench`, "POST", { probe: true }, token);
  if (probe.status !== 201) {
    throw new Error(`POST /api/records/bench answered ${probe.status}: ${JSON.stringify(probe.body)}`);
  }

  log(`${store}: filling bench_query with ${settings.records} records`);
  const fill = await send({
    url: server.url,
    method: "POST",
    path: "/api/records/bench_query",
    headers,
    connections: 10,
    amount: settings.records,
    body: queryRecord,
  });
  const count = await json(`${server.url}/api/records/bench_query?limit=1`, "GET", undefined, token);
  if (count.status !== 200 || count.body.total !== settings.records) {
    throw new Error(
      `after the fill, bench_query holds ${JSON.stringify(count.body?.total ?? count.body)} records`,
    );
  }
  log(
    `${store}: filled in ${fill.duration} s (${(fill.ok / fill.duration).toFixed(0)} creates/s at 10 connections)`,
  );

  const create = {
    url: server.url,
    method: "POST",
    path: "/api/records/bench",
    headers,
    body: (i) =>
      JSON.stringify({ title: `order ${i}`, total: i % 500, status: "open", items: [{ sku: "a", qty: 1 }] }),
  };
  await measure({ ...create, connections: 10, duration: settings.warmup });
  for (const connections of settings.connections) {
    addRow(
      store,
      "record create",
      connections,
      await measure({ ...create, connections, duration: settings.duration }),
    );
  }

  // 50 of the 10,000 records match each filter (one group, upper half); the first 20 are returned.
  const query = {
    url: server.url,
    path: "/api/records/bench_query",
    headers: { authorization: `Bearer ${token}` },
    // wrk takes these in turn (bench/wrk.js builds each request once).
    paths: Array.from(
      { length: 100 },
      (_, group) =>
        `/api/records/bench_query?filter=${encodeURIComponent(JSON.stringify({ group, n: { $gte: settings.records / 2 } }))}&limit=20`,
    ),
  };
  const sample = await json(`${server.url}${query.paths[7]}`, "GET", undefined, token);
  if (sample.status !== 200)
    throw new Error(`the query answered ${sample.status}: ${JSON.stringify(sample.body)}`);
  log(`${store}: the query matches ${sample.body.total} records, answers ${sample.body.items.length}`);
  await wrk({ ...query, connections: 10, duration: settings.warmup });
  for (const connections of settings.connections) {
    addRow(
      store,
      "record query",
      connections,
      await wrk({ ...query, connections, duration: settings.duration }),
    );
  }
  await cleanUp();
}

async function main() {
  const sqliteVersion = new Database(":memory:").prepare("SELECT sqlite_version() AS v").get().v;
  const machine = describeMachine({ sqlite: sqliteVersion });
  log(
    `${machine.cpus} CPUs (${machine.cpuModel}), ${settings.duration} s per measurement, connections ${settings.connections.join(", ")}`,
  );
  generator.version = ensureWrk();
  log(`load generator: ${generator.version}, ${settings.wrkThreads} thread(s)`);
  let failed = false;
  await benchBare();
  if (settings.peers && !stopping) {
    log(`peers: workerd and deno, installed into ${PEERS_CACHE}`);
    await benchPeers();
  }
  for (const store of runRecords ? settings.stores : []) {
    if (stopping) break;
    try {
      await benchStore(store, machine);
    } catch (error) {
      failed = true;
      notes.push(`${store} not measured: ${error.message}`);
      log(`${store} failed: ${error.message}`);
      await cleanUp();
    }
  }
  let functions;
  if (runFunctions && !stopping) {
    const outcome = await benchFunctions({
      settings,
      addRow,
      log,
      notes,
      cleanups,
      cleanUp,
      stopping: () => stopping,
    });
    functions = outcome.results;
    if (outcome.failed) failed = true;
  }
  // The suites that take the same context, in order; each answers { results, failed }.
  const later = {
    events: [runEvents, benchEvents],
    schedules: [runSchedules, benchSchedules],
    channels: [runChannels, benchChannels],
  };
  const results = {};
  for (const [name, [selected, run]] of Object.entries(later)) {
    if (!selected || stopping) continue;
    const outcome = await run({ settings, machine, log, notes, cleanups, cleanUp, stopping: () => stopping });
    results[name] = outcome.results;
    if (outcome.failed) failed = true;
  }
  const { events, schedules, channels } = results;
  machine.loadAfter = os.loadavg()[0].toFixed(2);
  const report = {
    machine,
    settings: {
      ...settings,
      ...(runFunctions ? { functionSettings } : {}),
      ...(runEvents ? { eventSettings } : {}),
      ...(runSchedules ? { scheduleSettings } : {}),
      ...(runChannels ? { channelSettings } : {}),
    },
    generator,
    ...(settings.peers ? { peers } : {}),
    rows,
    notes,
  };
  const markdown = [
    markdownReport({ ...report, functions, events }),
    ...(schedules ? schedulesReport(schedules) : []),
    ...(channels ? channelsReport(channels) : []),
  ].join("\n");
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, "latest.md"), markdown);
  writeFileSync(
    path.join(RESULTS, "latest.json"),
    `${JSON.stringify({ ...report, functions, events, schedules, channels }, null, 2)}\n`,
  );
  process.stdout.write(`${markdown}\n`);
  log(`written to ${path.relative(process.cwd(), path.join(RESULTS, "latest.md"))}`);
  return failed ? 1 : 0;
}

const code = await main().catch(async (error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  await cleanUp();
  return 1;
});
clearTimeout(watchdog);
process.exit(code);
