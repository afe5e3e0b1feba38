// The events suite (issue 9 "Measure", SPEC §9), on the real `backend start`, on each store of
// BENCH_STORES (SQLite, and PostgreSQL in a throwaway database):
//   1. POST event -> handler start: custom events published one at a time (`POST /api/events`) to a
//      server where one trivial function is subscribed; per event, the handler's own `Date.now()`
//      (it logs it) minus the client's `Date.now()` just before sending, and the execution's
//      `startedAt` minus the same moment;
//   2. sustained delivery: N events published at once over several connections to a trivial
//      subscribed handler, then waited for until no delivery is pending or running; delivered/s
//      from the first publish to the last delivery done (server `completedAt`), and the drain rate
//      (deliveries done per second after publishing ended);
//   3. on PostgreSQL, the reference: graphile-worker 0.17 in its own process on the same PostgreSQL
//      server (its own throwaway database) with the same concurrency as our dispatcher, running N
//      trivial jobs: added one by one (`addJob`, as many at a time as our publishers) while it runs,
//      then N added in one statement (`graphile_worker.add_jobs`): jobs/s;
//   4. what a PRE handler adds to a record create: sequential creates on one keep-alive connection,
//      without any subscription and with one trivial PRE_RECORD_CREATE handler subscribed, in
//      alternating rounds; p50 and p99 of each and the difference.
// Settings (environment): BENCH_EVENTS (20000) events for the sustained run (and jobs for
// graphile-worker), BENCH_EVENT_CONNECTIONS (20) publishers at once, BENCH_EVENT_LATENCY (300)
// events timed one at a time, BENCH_EVENT_PAUSE_MS (50) between them, BENCH_PRE_CREATES (500) creates
// per round, BENCH_PRE_ROUNDS (4), BENCH_GRAPHILE_CONCURRENCY (64, our events.concurrency default).
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { json, startBackend } from "./backendServer.js";
import { percentile, perRequest } from "./measure.js";
import { cpuBetween, treeCpu } from "./procStats.js";
import { createThrowawayDatabase } from "./throwawayPostgres.js";

const GRAPHILE_WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), "graphileWorker.js");

/** Our dispatcher's default `events.concurrency` (src/config/config.ts). */
const OUR_CONCURRENCY = 64;

export const eventSettings = {
  events: Number(process.env.BENCH_EVENTS ?? 20_000),
  publishConnections: Number(process.env.BENCH_EVENT_CONNECTIONS ?? 20),
  latencyEvents: Number(process.env.BENCH_EVENT_LATENCY ?? 300),
  latencyPauseMs: Number(process.env.BENCH_EVENT_PAUSE_MS ?? 50),
  preCreates: Number(process.env.BENCH_PRE_CREATES ?? 500),
  preRounds: Number(process.env.BENCH_PRE_ROUNDS ?? 4),
  graphileConcurrency: Number(process.env.BENCH_GRAPHILE_CONCURRENCY ?? OUR_CONCURRENCY),
};

/** How long the deliveries of `count` events may take before the bench gives up on them. */
const drainLimitMs = (count) => (60 + count / 200) * 1000;

/** A generous bound for the watchdog: every step at a slow pace on a busy machine, plus start-ups. */
export function eventsSuiteSeconds(settings) {
  const s = eventSettings;
  const perStore =
    (s.latencyEvents + 20) * (s.latencyPauseMs / 1000 + 0.1) +
    30 +
    2 * (s.events / 300 + drainLimitMs(s.events) / 1000 + 30) +
    s.preRounds * 2 * (s.preCreates + 50) * 0.02 +
    60;
  const graphile = settings.stores.includes("postgres")
    ? 2 * (s.events / 300 + drainLimitMs(s.events) / 1000) + 30
    : 0;
  return Math.ceil(settings.stores.length * perStore + graphile + 60);
}

// The handler of the latency test logs its own start time first thing; `i` says which event it got.
const LATENCY_HANDLER = `export default function (event: { i?: number }, context: { event_data?: { i?: number } }) {
  const at = Date.now();
  console.log(JSON.stringify({ i: event?.i ?? context?.event_data?.i, at }));
}
`;

/** Does nothing: the cost measured is the platform's. */
const NOOP = `export default function () {}
`;

const LATENCY_TYPE = "bench_latency";
const FLOOD_TYPE = "bench_flood";
const WARM_TYPE = "bench_warm";
const BACKLOG_TYPE = "bench_backlog";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (iso) => (iso ? Date.parse(iso) : Number.NaN);

async function expectStatus(promise, expected, what) {
  const answer = await promise;
  if (!expected.includes(answer.status)) {
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
  return answer.body;
}

const deploy = (server, name, files, config) =>
  expectStatus(
    json(
      `${server.url}/api/functions/${name}`,
      "PUT",
      config ? { files, config } : { files },
      server.adminKey,
    ),
    [200, 201],
    `PUT /api/functions/${name}`,
  );

const admin = (server, method, route, body) =>
  expectStatus(
    json(`${server.url}${route}`, method, body, server.adminKey),
    [200, 201, 202, 204],
    `${method} ${route}`,
  );

/** Every item of a listing, 1,000 at a time, at most `max` items (each id once, should pages shift). */
async function listAll(server, route, max) {
  const byId = new Map();
  const join = route.includes("?") ? "&" : "?";
  for (let offset = 0; offset <= max; offset += 1000) {
    const page = await admin(server, "GET", `${route}${join}limit=1000&offset=${offset}`);
    for (const item of page.items) byId.set(item.id, item);
    if (page.items.length < 1000) break;
  }
  return [...byId.values()];
}

/** One request on a keep-alive connection of `agent`, timed with performance.now(). */
function timedRequest(agent, server, method, route, body, token) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { authorization: `Bearer ${token}` };
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = Buffer.byteLength(payload);
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(`${server.url}${route}`, { method, agent, headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const elapsed = performance.now() - started;
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
        resolve({ status: response.statusCode, body: parsed, elapsed });
      });
      response.on("error", reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${route} timed out after 30 s`)));
    request.on("error", reject);
    request.end(payload);
  });
}

/**
 * Waits until no delivery of `type` is pending or running (polling every `pollMs`), at most `limitMs`.
 * The figures come from the deliveries' own `completedAt`, so the polling pace only delays the check.
 * Answers the moment it saw that, or undefined when time ran out.
 */
async function waitForDeliveries(server, type, limitMs, pollMs = 250) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    let busy = false;
    for (const status of ["pending", "running"]) {
      const page = await admin(server, "GET", `/api/deliveries?status=${status}&event=${type}&limit=1`);
      if (page.items.length > 0) {
        busy = true;
        break;
      }
    }
    if (!busy) return Date.now();
    await sleep(pollMs);
  }
  return undefined;
}

/**
 * Publishes `count` events of `type` (data `{ i }`), `connections` requests at a time on keep-alive
 * connections, each answered before its connection sends the next. Stops early after 100 failures.
 */
async function publishAll(server, type, count, connections) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let next = 0;
  let ok = 0;
  let failed = 0;
  let firstError;
  const started = Date.now();
  let last = started;
  try {
    await Promise.all(
      Array.from({ length: Math.min(connections, count) }, async () => {
        while (next < count && failed < 100) {
          const i = next;
          next += 1;
          try {
            const answer = await timedRequest(
              agent,
              server,
              "POST",
              "/api/events",
              { type, data: { i } },
              server.adminKey,
            );
            if (answer.status === 202) ok += 1;
            else {
              failed += 1;
              firstError ??= `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
            }
          } catch (error) {
            failed += 1;
            firstError ??= error.message;
          }
          last = Date.now();
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return { ok, failed, firstError, started, ended: last, seconds: (last - started) / 1000 };
}

/** Counts deliveries by status; the done ones' completion times (ms since the epoch). */
function tally(deliveries) {
  const byStatus = {};
  for (const d of deliveries) byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
  const completed = deliveries
    .filter((d) => d.status === "done")
    .map((d) => ms(d.completedAt))
    .filter(Number.isFinite);
  return {
    byStatus,
    done: completed.length,
    completed,
    first: completed.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
    last: completed.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
    attempts: deliveries.reduce((sum, d) => sum + (d.attempts ?? 0), 0),
  };
}

/**
 * @param {{ settings: object, machine: object, log: (line: string) => void, notes: string[],
 *   cleanups: Array<() => Promise<void>>, cleanUp: () => Promise<void>, stopping: () => boolean }} context
 */
export async function benchEvents(context) {
  const { settings, machine, log, notes, cleanUp } = context;
  const results = { settings: eventSettings, stores: {} };
  let failed = false;
  for (const store of settings.stores) {
    if (context.stopping()) return { results, failed: true };
    // Other work on the machine moves these numbers: the 1-minute load average around each part says how much.
    const outcome = { loadBefore: os.loadavg()[0] };
    results.stores[store] = outcome;
    try {
      let databaseUrl;
      if (store === "postgres") {
        const database = await createThrowawayDatabase();
        context.cleanups.push(database.drop);
        machine.postgres = database.version;
        databaseUrl = database.url;
        log(`events: PostgreSQL database ${database.name}`);
      }
      const server = await startBackend({ cleanups: context.cleanups, databaseUrl });
      log(`events (${store}): backend at ${server.url} (pid ${server.pid})`);
      outcome.latency = await step(outcome, "latency", () => benchLatency(server, store, log));
      outcome.throughput = await step(outcome, "throughput", () => benchThroughput(server, store, log));
      outcome.pre = await step(outcome, "pre", () => benchPre(server, store, log));
      await server.stop();
      outcome.backlog = await step(outcome, "backlog", () =>
        benchBacklog({ cleanups: context.cleanups, databaseUrl, dataDir: server.dataDir }, store, log),
      );
    } catch (error) {
      outcome.error = error.message;
      log(`events (${store}) failed: ${error.stack ?? error.message}`);
    } finally {
      await cleanUp();
      outcome.loadAfter = os.loadavg()[0];
    }
    for (const [part, message] of Object.entries(outcome.errors ?? {})) {
      failed = true;
      notes.push(`events on ${store}: ${part} not measured: ${message}`);
    }
    if (outcome.error) {
      failed = true;
      notes.push(`events on ${store} not measured: ${outcome.error}`);
    }
  }
  if (settings.stores.includes("postgres") && !context.stopping()) {
    try {
      results.graphile = await benchGraphile(context);
    } catch (error) {
      failed = true;
      notes.push(`graphile-worker not measured: ${error.message}`);
      log(`events: graphile-worker failed: ${error.stack ?? error.message}`);
    } finally {
      await cleanUp();
    }
  }
  return { results, failed };
}

/** Runs one part; a failure is recorded and the next part still runs on the same server. */
async function step(outcome, part, work) {
  try {
    return await work();
  } catch (error) {
    outcome.errors = { ...outcome.errors, [part]: error.message };
    console.error(`bench: events: ${part} failed: ${error.stack ?? error.message}`);
    return undefined;
  }
}

async function benchLatency(server, store, log) {
  const { latencyEvents, latencyPauseMs } = eventSettings;
  await deploy(
    server,
    "ev_latency",
    { "entry.ts": LATENCY_HANDLER },
    { triggers: { events: [LATENCY_TYPE] } },
  );
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const warmup = 20;
  const sentAt = new Map();
  const publishMs = [];
  log(`events (${store}): ${latencyEvents} events published one at a time, ${latencyPauseMs} ms apart`);
  try {
    for (let i = -warmup; i < latencyEvents; i++) {
      const at = Date.now();
      const answer = await timedRequest(
        agent,
        server,
        "POST",
        "/api/events",
        { type: LATENCY_TYPE, data: { i } },
        server.adminKey,
      );
      if (answer.status !== 202 || answer.body?.deliveries !== 1) {
        throw new Error(`POST /api/events answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
      if (i >= 0) {
        sentAt.set(i, at);
        publishMs.push(answer.elapsed);
      }
      const wait = at + latencyPauseMs - Date.now();
      if (wait > 0) await sleep(wait);
    }
  } finally {
    agent.destroy();
  }
  const settled = await waitForDeliveries(server, LATENCY_TYPE, 60_000);
  if (settled === undefined) throw new Error("the latency events were not all delivered within 60 s");
  const total = latencyEvents + warmup;
  // The handler's log line: { i, at }; the execution's startedAt, by execution id.
  const logs = await listAll(server, "/api/logs?function=ev_latency", total + 100);
  const executions = await listAll(server, "/api/executions?function=ev_latency", total + 100);
  const startedAt = new Map(executions.map((e) => [e.id, ms(e.startedAt)]));
  const handler = [];
  const started = [];
  const seen = new Set();
  for (const line of logs) {
    let entry;
    try {
      entry = JSON.parse(line.message);
    } catch {
      continue;
    }
    const sent = sentAt.get(entry.i);
    if (sent === undefined || seen.has(entry.i)) continue;
    seen.add(entry.i);
    handler.push(entry.at - sent);
    const start = startedAt.get(line.executionId);
    if (Number.isFinite(start)) started.push(start - sent);
  }
  if (handler.length < latencyEvents) {
    throw new Error(`only ${handler.length} of ${latencyEvents} handler runs logged their start`);
  }
  const causes = executions.filter((e) => e.cause?.kind === "delivery").length;
  const result = {
    events: latencyEvents,
    pauseMs: latencyPauseMs,
    handlerStart: summary(handler),
    executionStart: summary(started),
    publish: summary(publishMs),
    executions: executions.length,
    executionsCausedByDelivery: causes,
  };
  log(
    `events (${store}): POST event -> handler start p50 ${result.handlerStart.p50} ms, p99 ${result.handlerStart.p99} ms ` +
      `(execution startedAt p50 ${result.executionStart.p50} ms); publish answered p50 ${result.publish.p50.toFixed(2)} ms`,
  );
  return result;
}

async function benchThroughput(server, store, log) {
  const { events, publishConnections } = eventSettings;
  await deploy(server, "ev_sink", { "entry.ts": NOOP }, { triggers: { events: [FLOOD_TYPE, WARM_TYPE] } });
  // Warm-up: the handler's isolates, the publish path, the dispatcher.
  const warm = await publishAll(server, WARM_TYPE, 500, publishConnections);
  if (warm.failed > 0) throw new Error(`${warm.failed} warm-up publishes failed: ${warm.firstError}`);
  if ((await waitForDeliveries(server, WARM_TYPE, 60_000)) === undefined) {
    throw new Error("the 500 warm-up events were not delivered within 60 s");
  }

  log(`events (${store}): publishing ${events} events over ${publishConnections} connections`);
  const cpuBefore = treeCpu(server.pid);
  const ownBefore = process.cpuUsage();
  const publish = await publishAll(server, FLOOD_TYPE, events, publishConnections);
  const { started: t0, ended: t1 } = publish;
  if (publish.failed > 0) throw new Error(`${publish.failed} publishes failed: ${publish.firstError}`);
  log(
    `events (${store}): published ${publish.ok} in ${publish.seconds.toFixed(2)} s ` +
      `(${(publish.ok / publish.seconds).toFixed(0)}/s); waiting for the deliveries`,
  );
  const settled = await waitForDeliveries(server, FLOOD_TYPE, drainLimitMs(events));
  const own = process.cpuUsage(ownBefore);
  const spent = cpuBetween(cpuBefore, treeCpu(server.pid));
  spent["bench (publisher)"] = (own.user + own.system) / 1e6;

  const deliveries = await listAll(server, `/api/deliveries?event=${FLOOD_TYPE}`, events + 1000);
  const t = tally(deliveries);
  const afterPublish = t.completed.filter((c) => c > t1).length;
  const stored = await admin(server, "GET", "/api/executions?function=ev_sink&limit=1");
  const result = {
    events,
    connections: publishConnections,
    published: publish.ok,
    publishSeconds: publish.seconds,
    publishPerSecond: publish.ok / publish.seconds,
    settled: settled !== undefined,
    deliveries: deliveries.length,
    byStatus: t.byStatus,
    attempts: t.attempts,
    done: t.done,
    seconds: (t.last - t0) / 1000,
    deliveredPerSecond: (t.done * 1000) / (t.last - t0),
    doneAfterPublishing: afterPublish,
    drainSeconds: (t.last - t1) / 1000,
    drainPerSecond: afterPublish > 0 && t.last > t1 ? (afterPublish * 1000) / (t.last - t1) : Number.NaN,
    executionsStored: stored.total,
    cpuMsPerEvent: perRequest(spent, t.done),
  };
  log(
    `events (${store}): ${t.done} of ${events} delivered in ${result.seconds.toFixed(2)} s: ` +
      `${result.deliveredPerSecond.toFixed(0)}/s; ${afterPublish} done after publishing ended, ` +
      `in ${result.drainSeconds.toFixed(2)} s (${result.drainPerSecond.toFixed(0)}/s); statuses ${JSON.stringify(t.byStatus)}; ` +
      `${stored.total} executions of ev_sink stored (500 warm-up included)`,
  );
  if (settled === undefined) {
    throw new Error(
      `deliveries were still pending or running ${drainLimitMs(events) / 1000} s after publishing: ${JSON.stringify(t.byStatus)}`,
    );
  }
  return result;
}

/**
 * A backlog: N events published to a server that does not dispatch (events.dispatch false), which
 * is then stopped and started again on the same data with dispatching on; the time from its start
 * to the last delivery done is the pure drain rate (graphile-worker's add_jobs run is the same).
 */
async function benchBacklog({ cleanups, databaseUrl, dataDir }, store, log) {
  const { events, publishConnections } = eventSettings;
  const paused = await startBackend({
    cleanups,
    databaseUrl,
    dataDir,
    server: { events: { dispatch: false } },
  });
  await deploy(paused, "ev_backlog", { "entry.ts": NOOP }, { triggers: { events: [BACKLOG_TYPE] } });
  log(`events (${store}): publishing ${events} events to a server that does not dispatch`);
  const cpuBefore = treeCpu(paused.pid);
  const publish = await publishAll(paused, BACKLOG_TYPE, events, publishConnections);
  const publishCpu = cpuBetween(cpuBefore, treeCpu(paused.pid));
  if (publish.failed > 0) throw new Error(`${publish.failed} publishes failed: ${publish.firstError}`);
  const pending = await admin(paused, "GET", `/api/deliveries?status=pending&event=${BACKLOG_TYPE}&limit=1`);
  if (pending.items.length === 0)
    throw new Error("no delivery is pending on the server that does not dispatch");
  await paused.stop();

  const spawned = Date.now();
  const live = await startBackend({ cleanups, databaseUrl, dataDir, server: { events: { dispatch: true } } });
  const ready = Date.now();
  const cpuReady = treeCpu(live.pid);
  const settled = await waitForDeliveries(live, BACKLOG_TYPE, drainLimitMs(events));
  const spent = cpuBetween(cpuReady, treeCpu(live.pid));
  const deliveries = await listAll(live, `/api/deliveries?event=${BACKLOG_TYPE}`, events + 1000);
  await live.stop();
  const t = tally(deliveries);
  // The dispatcher may start a little before the server says it listens.
  const start = Math.min(ready, t.first);
  const result = {
    events,
    published: publish.ok,
    publishSeconds: publish.seconds,
    publishPerSecond: publish.ok / publish.seconds,
    publishCpuMsPerEvent: perRequest(publishCpu, publish.ok),
    startSeconds: (ready - spawned) / 1000,
    byStatus: t.byStatus,
    attempts: t.attempts,
    done: t.done,
    seconds: (t.last - start) / 1000,
    drainPerSecond: (t.done * 1000) / (t.last - start),
    cpuMsPerEvent: perRequest(spent, t.done),
  };
  log(
    `events (${store}): backlog: published ${publish.ok} without dispatching in ${publish.seconds.toFixed(2)} s ` +
      `(${result.publishPerSecond.toFixed(0)}/s); after a restart, ${t.done} delivered in ${result.seconds.toFixed(2)} s ` +
      `(${result.drainPerSecond.toFixed(0)}/s); statuses ${JSON.stringify(t.byStatus)}`,
  );
  if (settled === undefined) {
    throw new Error(
      `the backlog was not delivered within ${drainLimitMs(events) / 1000} s: ${JSON.stringify(t.byStatus)}`,
    );
  }
  return result;
}

async function benchPre(server, store, log) {
  const { preCreates, preRounds } = eventSettings;
  const register = await expectStatus(
    json(`${server.url}/api/auth/register`, "POST", {
      email: `pre-${randomBytes(4).toString("hex")}@example.com`,
      password: "benchmark password",
    }),
    [201],
    "POST /api/auth/register",
  );
  const token = register.token;
  await deploy(server, "pre_noop", { "entry.ts": NOOP });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let n = 0;
  const creates = async (count) => {
    const latencies = [];
    for (let i = 0; i < count; i++) {
      n += 1;
      const answer = await timedRequest(
        agent,
        server,
        "POST",
        "/api/records/bench_pre",
        { title: `order ${n}`, total: n % 500, status: "open", items: [{ sku: "a", qty: 1 }] },
        token,
      );
      if (answer.status !== 201) {
        throw new Error(
          `POST /api/records/bench_pre answered ${answer.status}: ${JSON.stringify(answer.body)}`,
        );
      }
      latencies.push(answer.elapsed);
    }
    return latencies;
  };
  const without = [];
  const withPre = [];
  log(
    `events (${store}): PRE cost: ${preRounds} rounds of ${preCreates} creates without, then with, a PRE handler`,
  );
  try {
    await creates(200);
    for (let round = 0; round < preRounds; round++) {
      await creates(20);
      without.push(...(await creates(preCreates)));
      const subscription = await admin(server, "POST", "/api/subscriptions", {
        event: "PRE_RECORD_CREATE",
        function: "pre_noop",
      });
      await creates(20);
      withPre.push(...(await creates(preCreates)));
      await admin(server, "DELETE", `/api/subscriptions/${subscription.id}`);
    }
  } finally {
    agent.destroy();
  }
  // Each create with the subscription ran the handler once: count its executions to be sure.
  const ran = await admin(server, "GET", "/api/executions?function=pre_noop&limit=1");
  const expected = preRounds * (preCreates + 20);
  if (ran.total !== expected) {
    throw new Error(`pre_noop ran ${ran.total} times; ${expected} creates had it subscribed`);
  }
  const result = {
    rounds: preRounds,
    createsPerRound: preCreates,
    without: summary(without),
    with: summary(withPre),
    handlerRuns: ran.total,
  };
  result.addedP50 = result.with.p50 - result.without.p50;
  result.addedP99 = result.with.p99 - result.without.p99;
  result.addedMean = result.with.mean - result.without.mean;
  log(
    `events (${store}): record create p50 ${result.without.p50.toFixed(3)} ms without, ${result.with.p50.toFixed(3)} ms ` +
      `with a PRE handler (+${result.addedP50.toFixed(3)} ms); p99 ${result.without.p99.toFixed(2)} / ${result.with.p99.toFixed(2)} ms`,
  );
  return result;
}

/** On a failure, says how many jobs are still queued and how many connections the server holds. */
async function withQueueState(url, work) {
  try {
    return await work();
  } catch (error) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      const jobs = await client.query(
        "SELECT count(*)::int AS n, max(attempts) AS attempts FROM graphile_worker.jobs",
      );
      const connections = await client.query("SELECT count(*)::int AS n FROM pg_stat_activity");
      error.message +=
        ` (${jobs.rows[0].n} jobs still queued, at most ${jobs.rows[0].attempts} attempts;` +
        ` ${connections.rows[0].n} connections to the PostgreSQL server)`;
    } catch (inner) {
      error.message += ` (the queue could not be read: ${inner.message})`;
    } finally {
      await client.end().catch(() => {});
    }
    throw error;
  }
}

/** Forks bench/graphileWorker.js on `url`; answers once its runner is up. */
function startGraphileWorker(url, concurrency, cleanups) {
  const child = fork(GRAPHILE_WORKER, [], {
    env: { ...process.env, GW_URL: url, GW_CONCURRENCY: String(concurrency), GW_POOL: String(concurrency) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send({ stop: true });
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(killer);
  };
  cleanups.push(stop);
  const next = (timeoutMs, what) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.off("message", onMessage);
        reject(new Error(`graphile-worker: no ${what} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const onMessage = (message) => {
        clearTimeout(timer);
        child.off("message", onMessage);
        if (message.error) reject(new Error(`graphile-worker: ${message.error}`));
        else resolve(message);
      };
      child.on("message", onMessage);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`graphile-worker exited (${code})`));
      });
    });
  return { child, stop, next };
}

async function benchGraphile(context) {
  const { log, cleanups } = context;
  const { events, publishConnections, graphileConcurrency } = eventSettings;
  const { makeWorkerUtils } = await import("graphile-worker");
  const database = await createThrowawayDatabase();
  cleanups.push(database.drop);
  log(`events: graphile-worker 0.17 on ${database.name}, concurrency ${graphileConcurrency}`);
  const worker = startGraphileWorker(database.url, graphileConcurrency, cleanups);
  const ready = await worker.next(60_000, "start-up");
  if (!ready.ready) throw new Error(`graphile-worker said ${JSON.stringify(ready)}`);
  const utils = await makeWorkerUtils({ connectionString: database.url, maxPoolSize: publishConnections });
  let released;
  const release = () => (released ??= utils.release().catch(() => {}));
  cleanups.push(release);
  const results = {
    concurrency: graphileConcurrency,
    poolSize: graphileConcurrency,
    events,
    loadBefore: os.loadavg()[0],
  };
  // The worker counts every success since it started; each run waits for all of its jobs.
  let finished = 0;
  const allDone = (count, what) => {
    worker.child.send({ from: finished, expect: count });
    finished += count;
    return withQueueState(database.url, () => worker.next(drainLimitMs(count), what));
  };
  const measureRun = async (label, add) => {
    const cpuBefore = treeCpu(worker.child.pid);
    const t0 = Date.now();
    await add();
    const t1 = Date.now();
    const done = await allDone(events, `completion of ${events} jobs`);
    const spent = cpuBetween(cpuBefore, treeCpu(worker.child.pid));
    const last = done.times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
    const afterAdding = done.times.filter((t) => t > t1).length;
    const result = {
      jobs: done.done,
      addSeconds: (t1 - t0) / 1000,
      addPerSecond: (events * 1000) / (t1 - t0),
      seconds: (last - t0) / 1000,
      jobsPerSecond: (done.done * 1000) / (last - t0),
      doneAfterAdding: afterAdding,
      drainSeconds: (last - t1) / 1000,
      drainPerSecond: last > t1 ? (afterAdding * 1000) / (last - t1) : Number.NaN,
      cpuMsPerJob: perRequest({ "graphile-worker": spent.server }, done.done),
    };
    log(
      `events: graphile-worker ${label}: ${done.done} jobs in ${result.seconds.toFixed(2)} s ` +
        `(${result.jobsPerSecond.toFixed(0)}/s; added in ${result.addSeconds.toFixed(2)} s; ` +
        `${afterAdding} done after adding ended, ${result.drainPerSecond.toFixed(0)}/s)`,
    );
    return result;
  };
  // Warm-up: the task, the pool's connections, the prepared statements.
  for (let i = 0; i < 200; i++) await utils.addJob("noop", { i });
  await allDone(200, "completion of the warm-up jobs");

  // As our publishes: one job per call, `publishConnections` calls at a time, while the worker runs.
  results.addJob = await measureRun(`addJob (${publishConnections} at a time)`, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: publishConnections }, async () => {
        while (next < events) {
          const i = next;
          next += 1;
          await utils.addJob("noop", { i });
        }
      }),
    );
  });
  // The whole batch in one statement: a pure drain.
  results.bulk = await measureRun("add_jobs (one statement)", async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(
        `SELECT count(*) FROM graphile_worker.add_jobs(
           ARRAY(SELECT ROW('noop', json_build_object('i', n), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec
                 FROM generate_series(1, $1) AS n))`,
        [events],
      );
    } finally {
      await client.end();
    }
  });
  await release();
  await worker.stop();
  results.loadAfter = os.loadavg()[0];
  return results;
}
