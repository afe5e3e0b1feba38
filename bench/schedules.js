// The schedules suite (issue "With 10,000 active schedules on one node: lag between scheduled time
// and function start, p50/p99 (goal p99 <= 100 ms), CPU and memory of the scheduler while idle
// between ticks"), on the real `backend start` with its default `schedules` settings, on each store
// of BENCH_STORES (SQLite, and PostgreSQL in a throwaway database):
//   1. idle: one trivial function deployed and no schedule, then N schedules made with
//      `POST /api/schedules` (timed) whose daily cron is 11-13 hours away and the server restarted
//      on the same data: CPU (% of one core) and RSS/PSS of the server's process tree over the same
//      number of seconds each;
//   2. spread: the same N schedules switched (`PATCH /api/schedules/:id`, timed) to once a minute
//      at second i % 60 (`S * * * * *`: N/60 ticks every second); for every tick scheduled in a
//      window of whole minutes: lag = the execution's `started_at` - the tick's `scheduled_at`, read
//      from the database (schedule_ticks joined to executions), with the claim and the end of the run
//      beside it; every schedule must have exactly one tick per minute at its second, and every
//      tick at most one execution;
//   3. burst: on a fresh server, B schedules all due at the same second (`*/20 * * * * *`): for
//      each of the bursts after they were made, when the first and the last of them started.
// Settings (environment): BENCH_SCHEDULES (10000), BENCH_SCHEDULE_CONNECTIONS (16) requests at once
// while making them, BENCH_SCHEDULE_WINDOW (120) seconds of ticks measured (whole minutes),
// BENCH_SCHEDULE_IDLE (30) seconds per idle measurement, BENCH_SCHEDULE_BURST (1000) schedules in the
// burst, BENCH_SCHEDULE_BURSTS (3) bursts measured, 20 s apart.
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import { json, startBackend } from "./backendServer.js";
import { percentile } from "./measure.js";
import { cpuBetween, treeCpu, treeMemory } from "./procStats.js";
import { createThrowawayDatabase } from "./throwawayPostgres.js";

export const scheduleSettings = {
  schedules: Number(process.env.BENCH_SCHEDULES ?? 10_000),
  connections: Number(process.env.BENCH_SCHEDULE_CONNECTIONS ?? 16),
  windowMinutes: Math.max(1, Math.round(Number(process.env.BENCH_SCHEDULE_WINDOW ?? 120) / 60)),
  idleSeconds: Number(process.env.BENCH_SCHEDULE_IDLE ?? 30),
  burst: Number(process.env.BENCH_SCHEDULE_BURST ?? 1000),
  bursts: Number(process.env.BENCH_SCHEDULE_BURSTS ?? 3),
};

/** The burst's schedules are all due at seconds 0, 20 and 40 of every minute. */
const BURST_CRON = "*/20 * * * * *";
const BURST_EVERY_MS = 20_000;
/** Ticks still pending or running this long after their window are reported, not waited for. */
const SETTLE_LIMIT_MS = 60_000;
/** Generous for a slow, busy machine: 50 schedule writes a second. */
const WRITES_PER_SECOND = 50;

/** A generous bound for the watchdog: every step at a slow pace on a busy machine, plus start-ups. */
export function schedulesSuiteSeconds(settings) {
  const s = scheduleSettings;
  const perStore =
    30 +
    2 * (s.idleSeconds + 15) +
    (2 * s.schedules + s.burst) / WRITES_PER_SECOND +
    60 * (s.windowMinutes + 2) +
    SETTLE_LIMIT_MS / 1000 +
    (s.bursts * BURST_EVERY_MS) / 1000 +
    BURST_EVERY_MS / 1000 +
    SETTLE_LIMIT_MS / 1000 +
    60;
  return Math.ceil(settings.stores.length * perStore + 60);
}

/** Does nothing: the cost measured is the platform's. */
const NOOP = `export default () => {};
`;
const FUNCTION = "sched_noop";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (iso) => (iso ? Date.parse(iso) : Number.NaN);
const iso = (at) => new Date(at).toISOString();

function summary(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

async function admin(server, method, route, body) {
  const answer = await json(`${server.url}${route}`, method, body, server.adminKey);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(
      `${method} ${route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
    );
  }
  return answer.body;
}

/** `work(i)` for i in 0..count-1, `connections` at a time; answers the seconds it took. */
async function inParallel(count, connections, work) {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(connections, count) }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await work(i);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Read-only SQL on the server's database: `$1`-style parameters on both stores. */
async function openReader(store, server, databaseUrl) {
  if (store === "postgres") {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return {
      all: async (sql, params = []) => (await client.query(sql, params)).rows,
      close: () => client.end().catch(() => {}),
    };
  }
  const db = new Database(path.join(server.dataDir, "data.db"), { readonly: true, fileMustExist: true });
  return {
    all: async (sql, params = []) => db.prepare(sql.replace(/\$\d+/g, "?")).all(...params),
    close: async () => db.close(),
  };
}

/** CPU (% of one core, by kind of process) and memory of the server's process tree over `seconds`. */
async function sampleIdle(server, seconds) {
  const loadBefore = os.loadavg()[0];
  const before = treeCpu(server.pid);
  const started = performance.now();
  const memory = [];
  for (let left = seconds; left > 0; left -= 5) {
    await sleep(Math.min(5, left) * 1000);
    memory.push(treeMemory(server.pid));
  }
  const elapsed = (performance.now() - started) / 1000;
  const spent = cpuBetween(before, treeCpu(server.pid));
  const byKind = Object.fromEntries(
    Object.entries(spent)
      .filter(([, v]) => v > 0)
      .map(([kind, v]) => [kind, (v / elapsed) * 100]),
  );
  const last = memory.at(-1);
  return {
    seconds: elapsed,
    cpuPercent: Object.values(spent).reduce((a, b) => a + b, 0) * (100 / elapsed),
    cpuPercentByKind: byKind,
    rssKiB: last.rssKiB,
    pssKiB: last.pssKiB,
    rssMaxKiB: Math.max(...memory.map((m) => m.rssKiB)),
    processes: last.processes.map((p) => ({ kind: p.kind, rssKiB: p.rssKiB })),
    loadBefore,
    loadAfter: os.loadavg()[0],
  };
}

/** Waits until no tick scheduled in [from, to) is pending or running, at most SETTLE_LIMIT_MS. */
async function settle(reader, from, to) {
  const deadline = Date.now() + SETTLE_LIMIT_MS;
  while (Date.now() < deadline) {
    const [{ n }] = await reader.all(
      `SELECT count(*) AS n FROM schedule_ticks
        WHERE scheduled_at >= $1 AND scheduled_at < $2 AND status IN ('pending', 'running')`,
      [iso(from), iso(to)],
    );
    if (Number(n) === 0) return true;
    await sleep(500);
  }
  return false;
}

/** Every tick scheduled in [from, to) with its execution, and ticks run more than once since `from`. */
async function readTicks(reader, from, to) {
  const ticks = await reader.all(
    `SELECT t.id, t.schedule_id, t.scheduled_at, t.status, t.started_at AS claimed_at, t.finished_at,
            e.started_at AS execution_started_at, e.status AS execution_status
       FROM schedule_ticks t LEFT JOIN executions e ON e.id = t.execution_id
      WHERE t.scheduled_at >= $1 AND t.scheduled_at < $2`,
    [iso(from), iso(to)],
  );
  const rerun = await reader.all(
    `SELECT cause_id, count(*) AS n FROM executions
      WHERE cause_kind = 'tick' AND started_at >= $1 GROUP BY cause_id HAVING count(*) > 1`,
    [iso(from - 5000)],
  );
  return { ticks, rerun: rerun.length };
}

/** Lags in ms from each tick's scheduled time: claimed, execution started, tick finished. */
function lags(ticks) {
  const from = (field) => ticks.map((t) => ms(t[field]) - ms(t.scheduled_at));
  const byStatus = {};
  for (const t of ticks) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  return {
    ticks: ticks.length,
    byStatus,
    notDone: ticks.length - (byStatus.done ?? 0),
    withoutExecution: ticks.filter((t) => !t.execution_started_at).length,
    claimed: summary(from("claimed_at")),
    started: summary(from("execution_started_at")),
    finished: summary(from("finished_at")),
  };
}

/**
 * @param {{ settings: object, machine: object, log: (line: string) => void, notes: string[],
 *   cleanups: Array<() => Promise<void>>, cleanUp: () => Promise<void>, stopping: () => boolean }} context
 */
export async function benchSchedules(context) {
  const { settings, machine, log, notes, cleanUp } = context;
  const results = { settings: scheduleSettings, stores: {} };
  let failed = false;
  for (const store of settings.stores) {
    if (context.stopping()) return { results, failed: true };
    const outcome = { loadBefore: os.loadavg()[0] };
    results.stores[store] = outcome;
    for (const [part, work] of [
      ["spread", () => benchSpread(context, store, outcome)],
      ["burst", () => benchBurst(context, store)],
    ]) {
      if (context.stopping()) break;
      try {
        const result = await work();
        if (part === "burst") outcome.burst = result;
      } catch (error) {
        failed = true;
        notes.push(`schedules on ${store}: ${part} not measured: ${error.message}`);
        log(`schedules (${store}) ${part} failed: ${error.stack ?? error.message}`);
      } finally {
        await cleanUp();
      }
    }
    outcome.loadAfter = os.loadavg()[0];
    if (machine && outcome.postgres) machine.postgres = outcome.postgres;
  }
  return { results, failed };
}

/** A server with the trivial function deployed, on a new database (PostgreSQL) or data folder. */
async function freshServer(context, store, outcome) {
  let databaseUrl;
  if (store === "postgres") {
    const database = await createThrowawayDatabase();
    context.cleanups.push(database.drop);
    if (outcome) outcome.postgres = database.version;
    databaseUrl = database.url;
  }
  const server = await startBackend({ cleanups: context.cleanups, databaseUrl });
  await admin(server, "PUT", `/api/functions/${FUNCTION}`, { files: { "entry.ts": NOOP } });
  const reader = await openReader(store, server, databaseUrl);
  context.cleanups.push(reader.close);
  context.log(`schedules (${store}): backend at ${server.url} (pid ${server.pid})`);
  return { server, reader, databaseUrl };
}

async function benchSpread(context, store, outcome) {
  const { log } = context;
  const { schedules: count, connections, idleSeconds, windowMinutes } = scheduleSettings;
  const fresh = await freshServer(context, store, outcome);
  const { reader } = fresh;
  let server = fresh.server;
  // The deploy's own work (esbuild, the isolate it prepares) ends first.
  await sleep(10_000);
  outcome.idleEmpty = await sampleIdle(server, idleSeconds);
  log(`schedules (${store}): idle, no schedule: ${outcome.idleEmpty.cpuPercent.toFixed(2)}% of a core`);

  // Daily, at a time 11-13 hours from now: nothing is due while idle is measured.
  const hour = (new Date().getUTCHours() + 12) % 24;
  const ids = new Array(count);
  log(`schedules (${store}): making ${count} schedules, ${connections} at a time`);
  const createSeconds = await inParallel(count, connections, async (i) => {
    const created = await admin(server, "POST", "/api/schedules", {
      function: FUNCTION,
      name: `bench.${i}`,
      schedule: `${Math.floor(i / 60) % 60} ${i % 60} ${hour} * * *`,
    });
    ids[i] = created.id;
  });
  outcome.create = { count, connections, seconds: createSeconds, perSecond: count / createSeconds };
  log(
    `schedules (${store}): made in ${createSeconds.toFixed(1)} s (${(count / createSeconds).toFixed(0)}/s)`,
  );
  // A new process on the same data, so that its memory is not the heap left by 10,000 requests.
  await server.stop();
  server = await startBackend({
    cleanups: context.cleanups,
    databaseUrl: fresh.databaseUrl,
    dataDir: server.dataDir,
  });
  await sleep(10_000);
  outcome.idleScheduled = await sampleIdle(server, idleSeconds);
  log(
    `schedules (${store}): idle, ${count} schedules: ${outcome.idleScheduled.cpuPercent.toFixed(2)}% of a core`,
  );

  // Every schedule once a minute, at second i % 60: count / 60 ticks every second.
  const switchSeconds = await inParallel(count, connections, (i) =>
    admin(server, "PATCH", `/api/schedules/${ids[i]}`, { schedule: `${i % 60} * * * * *` }),
  );
  outcome.switch = { count, seconds: switchSeconds, perSecond: count / switchSeconds };
  log(
    `schedules (${store}): switched to once a minute in ${switchSeconds.toFixed(1)} s; waiting for a minute`,
  );

  // The window: whole minutes, from the first minute that starts 5 s after the last change.
  const from = Math.ceil((Date.now() + 5000) / 60_000) * 60_000;
  const to = from + windowMinutes * 60_000;
  await sleep(from - Date.now());
  const loadBefore = os.loadavg()[0];
  const cpuBefore = treeCpu(server.pid);
  await sleep(to - Date.now());
  const spent = cpuBetween(cpuBefore, treeCpu(server.pid));
  const memory = treeMemory(server.pid);
  const loadAfter = os.loadavg()[0];
  const settled = await settle(reader, from, to);
  const { ticks, rerun } = await readTicks(reader, from, to);

  // Each schedule: exactly one tick per minute of the window, at its second.
  const index = new Map(ids.map((id, i) => [id, i]));
  const seen = new Set();
  let unexpected = 0;
  for (const t of ticks) {
    const i = index.get(t.schedule_id);
    const at = ms(t.scheduled_at);
    if (i === undefined || (at - from) % 60_000 !== (i % 60) * 1000) unexpected += 1;
    else seen.add(`${i}@${at}`);
  }
  const seconds = windowMinutes * 60;
  // Whether the lag grows: each minute of the window on its own.
  const byMinute = Array.from({ length: windowMinutes }, (_, m) => {
    const minute = ticks.filter((t) => Math.floor((ms(t.scheduled_at) - from) / 60_000) === m);
    return summary(minute.map((t) => ms(t.execution_started_at) - ms(t.scheduled_at)));
  });
  const spentTotal = Object.values(spent).reduce((a, b) => a + b, 0);
  outcome.spread = {
    from: iso(from),
    to: iso(to),
    seconds,
    expected: count * windowMinutes,
    ticksPerSecond: ticks.length / seconds,
    missing: count * windowMinutes - seen.size,
    doubled: ticks.length - unexpected - seen.size,
    unexpected,
    rerun,
    settled,
    ...lags(ticks),
    byMinute,
    cpuPercent: (spentTotal / seconds) * 100,
    cpuPercentByKind: Object.fromEntries(
      Object.entries(spent)
        .filter(([, v]) => v > 0)
        .map(([kind, v]) => [kind, (v / seconds) * 100]),
    ),
    cpuMsPerTick: (spentTotal * 1000) / (ticks.length || 1),
    rssKiB: memory.rssKiB,
    pssKiB: memory.pssKiB,
    loadBefore,
    loadAfter,
  };
  const s = outcome.spread;
  log(
    `schedules (${store}): ${s.ticks} ticks of ${s.expected} in ${seconds} s; lag to execution start p50 ${s.started.p50} ms, ` +
      `p99 ${s.started.p99} ms, max ${s.started.max} ms; statuses ${JSON.stringify(s.byStatus)}; ` +
      `missing ${s.missing}, doubled ${s.doubled + s.rerun}; CPU ${s.cpuPercent.toFixed(0)}% of a core (load ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)})`,
  );
  await server.stop();
}

async function benchBurst(context, store) {
  const { log } = context;
  const { burst: count, bursts, connections } = scheduleSettings;
  const { server, reader } = await freshServer(context, store);
  log(`schedules (${store}): making ${count} schedules all due at seconds 0, 20 and 40`);
  const createSeconds = await inParallel(count, connections, (i) =>
    admin(server, "POST", "/api/schedules", {
      function: FUNCTION,
      name: `burst.${i}`,
      schedule: BURST_CRON,
    }),
  );
  // The bursts that come 2 s or more after the last schedule was made.
  const first = Math.ceil((Date.now() + 2000) / BURST_EVERY_MS) * BURST_EVERY_MS;
  const end = first + bursts * BURST_EVERY_MS;
  const loadBefore = os.loadavg()[0];
  const cpuBefore = treeCpu(server.pid);
  await sleep(end - Date.now());
  const spent = cpuBetween(cpuBefore, treeCpu(server.pid));
  const settled = await settle(reader, first, end);
  const { ticks, rerun } = await readTicks(reader, first, end);
  const rounds = [];
  for (let at = first; at < end; at += BURST_EVERY_MS) {
    const round = ticks.filter((t) => ms(t.scheduled_at) === at);
    const l = lags(round);
    rounds.push({
      at: iso(at),
      ...l,
      missing: count - round.length,
      lastStartedMs: l.started.max,
      firstStartedMs: l.started.min,
      lastFinishedMs: l.finished.max,
    });
    log(
      `schedules (${store}): burst at ${iso(at)}: ${round.length} ticks; first started after ${l.started.min} ms, ` +
        `p50 ${l.started.p50} ms, p99 ${l.started.p99} ms, last ${l.started.max} ms; last finished ${l.finished.max} ms; ` +
        `statuses ${JSON.stringify(l.byStatus)}`,
    );
  }
  await server.stop();
  return {
    count,
    createSeconds,
    settled,
    rerun,
    unexpected: ticks.length - rounds.reduce((sum, r) => sum + r.ticks, 0),
    rounds,
    all: lags(ticks),
    cpuSeconds: Object.values(spent).reduce((a, b) => a + b, 0),
    loadBefore,
    loadAfter: os.loadavg()[0],
  };
}

const STORE_NAMES = { sqlite: "SQLite", postgres: "PostgreSQL" };
const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
const mib = (kib) => fmt(kib / 1024);

/** The suite's markdown, for bench/results/latest.md. */
export function schedulesReport(results) {
  const s = results.settings;
  const stores = Object.entries(results.stores ?? {}).map(([store, r]) => [STORE_NAMES[store] ?? store, r]);
  const lines = ["## Schedules", ""];
  lines.push(
    `1-minute load average around each store: ${stores
      .map(([name, r]) => `${name} ${fmt(r.loadBefore, 2)} -> ${fmt(r.loadAfter, 2)}`)
      .join("; ")}.`,
    "",
  );
  const spread = stores.filter(([, r]) => r.spread);
  if (spread.length > 0) {
    lines.push(
      `Spread: ${fmt(s.schedules)} schedules, each once a minute at second i % 60 (\`S * * * * *\`, ` +
        `${fmt(s.schedules / 60)} ticks a second), a trivial function; every tick scheduled in ${s.windowMinutes} ` +
        "whole minutes, from the database: lag = execution `started_at` - tick `scheduled_at` (ms); _claimed_ " +
        "is the tick row's `started_at`, _finished_ its `finished_at`.",
      "",
      "| store | lag | ticks | p50 ms | p90 ms | p99 ms | max ms |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const [name, r] of spread) {
      for (const [label, x] of [
        ["claimed", r.spread.claimed],
        ["**execution started**", r.spread.started],
        ["finished", r.spread.finished],
      ]) {
        lines.push(
          `| ${name} | ${label} | ${fmt(x.count)} | ${fmt(x.p50)} | ${fmt(x.p90)} | ${fmt(x.p99)} | ${fmt(x.max)} |`,
        );
      }
    }
    lines.push("");
    for (const [name, r] of spread) {
      const x = r.spread;
      const cpu = Object.entries(x.cpuPercentByKind)
        .map(([kind, v]) => `${kind} ${fmt(v, 1)}%`)
        .join(", ");
      lines.push(
        `${name}: p99 ${fmt(x.started.p99)} ms — ${x.started.p99 <= 100 ? "goal met" : "**goal missed**"} (p99 <= 100 ms). ` +
          `${fmt(x.ticks)} of ${fmt(x.expected)} ticks (${fmt(x.ticksPerSecond, 1)}/s), statuses ${JSON.stringify(x.byStatus)}, ` +
          `missing ${fmt(x.missing)}, doubled ${fmt(x.doubled)}, run twice ${fmt(x.rerun)}, off their second ${fmt(x.unexpected)}. ` +
          `CPU ${fmt(x.cpuPercent, 1)}% of a core (${cpu}; ${fmt(x.cpuMsPerTick, 2)} ms per tick), RSS ${mib(x.rssKiB)} MiB at the end. ` +
          `Execution started, minute by minute: ${x.byMinute.map((m) => `p50 ${fmt(m.p50)} / p99 ${fmt(m.p99)} ms`).join(", ")}; ` +
          `load ${fmt(x.loadBefore, 2)} -> ${fmt(x.loadAfter, 2)}. Made with \`POST /api/schedules\` in ${fmt(r.create.seconds, 1)} s ` +
          `(${fmt(r.create.perSecond)}/s, ${r.create.connections} at a time); switched with PATCH in ${fmt(r.switch.seconds, 1)} s.`,
      );
    }
    lines.push("");
  }
  const idle = stores.filter(([, r]) => r.idleEmpty && r.idleScheduled);
  if (idle.length > 0) {
    lines.push(
      `Idle: ${s.idleSeconds} s with nothing due, the server's process tree, 10 s after it was ready; first a fresh ` +
        `server with the function deployed and no schedule, then a new server process on the same data once ` +
        `${fmt(s.schedules)} schedules were made (daily, 11-13 hours away).`,
      "",
      "| store | schedules | CPU % of a core | of which server | RSS MiB | PSS MiB | load |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    for (const [name, r] of idle) {
      for (const [n, x] of [
        [0, r.idleEmpty],
        [s.schedules, r.idleScheduled],
      ]) {
        lines.push(
          `| ${name} | ${fmt(n)} | ${fmt(x.cpuPercent, 2)} | ${fmt(x.cpuPercentByKind.server ?? 0, 2)} | ${mib(
            x.rssKiB,
          )} | ${mib(x.pssKiB)} | ${fmt(x.loadBefore, 2)} -> ${fmt(x.loadAfter, 2)} |`,
        );
      }
    }
    lines.push("");
  }
  const burst = stores.filter(([, r]) => r.burst);
  if (burst.length > 0) {
    lines.push(
      `Burst: ${fmt(s.burst)} schedules \`${BURST_CRON}\` on a fresh server: all due at the same second, ${s.bursts} bursts ` +
        "20 s apart; per burst, ms from the scheduled second to the first and the last execution start, and the last tick finished.",
      "",
      "| store | burst | ticks | first started | p50 | p99 | last started | last finished | not done |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const [name, r] of burst) {
      for (const round of r.burst.rounds) {
        lines.push(
          `| ${name} | ${round.at.slice(11, 19)} | ${fmt(round.ticks)} | ${fmt(round.firstStartedMs)} | ${fmt(
            round.started.p50,
          )} | ${fmt(round.started.p99)} | ${fmt(round.lastStartedMs)} | ${fmt(round.lastFinishedMs)} | ${fmt(round.notDone)} |`,
        );
      }
    }
    lines.push("");
  }
  return lines;
}
