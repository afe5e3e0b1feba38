// `npm run bench`: measures, in one run on this machine, a bare node:http server (the reference) and
// the real `backend start` on SQLite and on PostgreSQL: record creates and filtered record queries.
// Prints a markdown table and writes it to bench/results/latest.md (and .json).
// Everything runs on 127.0.0.1, every measurement has a fixed duration, and a watchdog ends the run.
//
// Settings (environment): BENCH_DURATION seconds per measurement (10), BENCH_CONNECTIONS ("1,10,50"),
// BENCH_RECORDS in the queried collection (10000), BENCH_STORES ("sqlite,postgres"),
// BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/postgres; a throwaway database is made in it).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { measure, send } from "./measure.js";
import { describeMachine, markdownReport } from "./report.js";
import { spawnServer } from "./spawnServer.js";
import { createThrowawayDatabase } from "./throwawayPostgres.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(here, "..", "bin", "backend.js");
const HELLO = path.join(here, "helloServer.js");
const RESULTS = path.join(here, "results");

const settings = {
  duration: Number(process.env.BENCH_DURATION ?? 10),
  connections: (process.env.BENCH_CONNECTIONS ?? "1,10,50").split(",").map(Number),
  records: Number(process.env.BENCH_RECORDS ?? 10_000),
  stores: (process.env.BENCH_STORES ?? "sqlite,postgres").split(",").map((s) => s.trim()),
  warmup: 2,
};
const MEASUREMENTS = settings.connections.length * (1 + 2 * settings.stores.length);
// Generous: the measurements, warm-ups, pre-fills and start-ups, then a margin.
const WATCHDOG_MS = (MEASUREMENTS * (settings.duration + 5) + settings.stores.length * 180 + 120) * 1000;

const cleanups = [];
async function cleanUp() {
  while (cleanups.length > 0)
    await cleanups
      .pop()()
      .catch((e) => console.error(`bench: cleanup: ${e.message}`));
}
const watchdog = setTimeout(async () => {
  console.error(`bench: still running after ${Math.round(WATCHDOG_MS / 1000)} s; stopping`);
  await cleanUp();
  process.exit(2);
}, WATCHDOG_MS);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    console.error(`bench: ${signal}; cleaning up`);
    await cleanUp();
    process.exit(130);
  });
}

const log = (line) => console.error(`bench: ${line}`);
const rows = [];
const notes = [];
const bare = new Map();

function addRow(store, workload, connections, result) {
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
  };
  if (result.errors > 0) {
    const parts = Object.entries(result.statusCodes)
      .filter(([code]) => !code.startsWith("2"))
      .map(([code, s]) => `${code}×${s.count}`);
    if (result.timeouts > 0) parts.push(`${result.timeouts} timed out after 10 s`);
    row.note = parts.join(", ");
  }
  rows.push(row);
  log(
    `${store} ${workload} c=${connections}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms${
      result.errors ? `, ${result.errors} errors` : ""
    }`,
  );
}

async function benchBare() {
  const server = await spawnServer(process.execPath, [HELLO]);
  cleanups.push(server.stop);
  log(`bare node:http at ${server.url}`);
  await measure({ url: server.url, path: "/", connections: 10, duration: settings.warmup });
  for (const connections of settings.connections) {
    const result = await measure({ url: server.url, path: "/", connections, duration: settings.duration });
    bare.set(connections, result.requestsPerSecond);
    addRow("node:http", "hello", connections, result);
  }
  await server.stop();
}

async function json(url, method, body, token) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

/** A record for the queried collection: 100 groups, half of each above n = 5000. */
const queryRecord = (i) =>
  JSON.stringify({ n: i, group: i % 100, status: i % 3 === 0 ? "open" : "closed", title: `record ${i}` });

async function benchStore(store, machine) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "backend-bench-"));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, BACKEND_ADMIN_KEY: `bench-${randomBytes(16).toString("hex")}` };
  delete env.DATABASE_URL;
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
    env.DATABASE_URL = database.url;
    log(`PostgreSQL database ${database.name}`);
  }

  const server = await spawnServer(
    process.execPath,
    [BIN, "start", "--port", "0", "--host", "127.0.0.1", "--data", dataDir, "--log-level", "warn"],
    { env, cwd: dataDir },
  );
  cleanups.push(server.stop);
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
    pathFor: (i) =>
      `/api/records/bench_query?filter=${encodeURIComponent(JSON.stringify({ group: i % 100, n: { $gte: settings.records / 2 } }))}&limit=20`,
  };
  const sample = await json(`${server.url}${query.pathFor(7)}`, "GET", undefined, token);
  if (sample.status !== 200)
    throw new Error(`the query answered ${sample.status}: ${JSON.stringify(sample.body)}`);
  log(`${store}: the query matches ${sample.body.total} records, answers ${sample.body.items.length}`);
  await measure({ ...query, connections: 10, duration: settings.warmup });
  for (const connections of settings.connections) {
    addRow(
      store,
      "record query",
      connections,
      await measure({ ...query, connections, duration: settings.duration }),
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
  let failed = false;
  await benchBare();
  for (const store of settings.stores) {
    try {
      await benchStore(store, machine);
    } catch (error) {
      failed = true;
      notes.push(`${store} not measured: ${error.message}`);
      log(`${store} failed: ${error.message}`);
      await cleanUp();
    }
  }
  machine.loadAfter = os.loadavg()[0].toFixed(2);
  const markdown = markdownReport({ machine, settings, rows, notes });
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(path.join(RESULTS, "latest.md"), markdown);
  writeFileSync(
    path.join(RESULTS, "latest.json"),
    `${JSON.stringify({ machine, settings, rows, notes }, null, 2)}\n`,
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
