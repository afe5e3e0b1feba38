// The results as a markdown table, with the machine they were measured on.
import os from "node:os";

export function describeMachine(extra = {}) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    // Other work on the machine skews every number; the 1-minute load before the run says how much.
    loadBefore: os.loadavg()[0].toFixed(2),
    ...extra,
  };
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

/** rows: { store, workload, connections, requestsPerSecond, p50, p99, ratio, errors, note? } */
export function markdownReport({ machine, settings, generator, peers, rows, notes, functions, events }) {
  const lines = [];
  lines.push(`# Benchmark results (${new Date().toISOString()})`, "");
  lines.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, ${machine.os}; Node ${machine.node}` +
      `; SQLite ${machine.sqlite ?? "?"}; PostgreSQL ${machine.postgres ?? "not measured"}` +
      `; 1-minute load average ${machine.loadBefore} before the run, ${machine.loadAfter ?? "?"} after.`,
    "",
    `Each row: ${settings.duration} s at a fixed number of keep-alive connections against a server process ` +
      `on 127.0.0.1, after a ${settings.warmup} s warm-up. Load: ${generator.tool} (${generator.version}), its own ` +
      `process, for every fixed request (hellos, /healthz, function calls, record queries); record creates ` +
      `(a new body per request) from autocannon in the bench process. req/s counts successful answers ` +
      `only (below 400 under wrk, 2xx under autocannon); ` +
      `"vs bare" is the ratio to the bare node:http server at the same connections. ` +
      `Query collection: ${settings.records} records.`,
    "",
    `**Load generator: ${generator.tool} (ceiling ${num(generator.ceiling)} req/s against bare node:http, ` +
      `at ${generator.connections} connections).** The generator drives at least that much: a row well below ` +
      `it measures the server, not the generator.` +
      (generator.ceiling < 50_000
        ? ` Below the 50,000 req/s the method asks for: the machine was busy, or slower; ratios are flattered.`
        : ""),
    "",
  );
  if (peers) {
    const described = Object.entries(peers).map(([name, p]) =>
      p.error ? `${name}: not measured (${p.error})` : `${name}: ${p.version}`,
    );
    lines.push(`Peers (same hello, same wrk settings): ${described.join("; ")}.`, "");
  }
  lines.push("| store | workload | connections | req/s | p50 ms | p99 ms | vs bare | errors |");
  lines.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    lines.push(
      `| ${r.store} | ${r.workload} | ${r.connections} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${
        r.ratio === undefined ? "1.00x" : `${fmt(r.ratio, r.ratio < 0.1 ? 3 : 2)}x`
      } | ${r.errors}${r.note ? ` (${r.note})` : ""} |`,
    );
  }
  if (notes.length > 0) lines.push("", ...notes.map((n) => `- ${n}`));
  lines.push(
    "",
    "Reference: PocketBase reports about 1,800 record creates/s on a small 2-vCPU ARM server (SQLite).",
    "",
  );
  if (functions) lines.push(...functionsReport(functions, rows, generator));
  if (events) lines.push(...eventsReport(events));
  return lines.join("\n");
}

const mib = (kib) => fmt(kib / 1024);
const goal = (met) => (met ? "goal met" : "**goal missed**");

/** The function-runtime suite: throughput goal, cold start, warm SDK calls, memory. */
function functionsReport(functions, rows, generator) {
  const lines = ["## Functions (SQLite)", ""];
  const calls = rows.filter((r) => r.workload.startsWith("function"));
  const health = rows.filter((r) => r.workload === "GET /healthz");
  if (health.length > 0) {
    lines.push(
      `\`GET /healthz\` (the server's cheapest answer): ` +
        `${health.map((r) => `${fmt(r.requestsPerSecond)} req/s at ${r.connections} (${fmt(r.ratio, 2)}x bare)`).join(", ")}.`,
      "",
    );
  }
  if (calls.length > 0) {
    const worst = Math.min(...calls.map((r) => r.ratio));
    lines.push(
      `Trivial public function over \`GET /functions/:name\` (execution stored for every call), load from ` +
        `${generator.tool} (ceiling ${num(generator.ceiling)} req/s): ` +
        `${calls.map((r) => `${fmt(r.requestsPerSecond)} req/s at ${r.connections}`).join(", ")}; ` +
        `lowest ratio to bare ${fmt(worst, 2)}x — ${goal(worst >= 0.5)} (>= 0.5x).`,
      "",
    );
    const workerd = new Map(
      rows.filter((r) => r.store === "workerd").map((r) => [r.connections, r.requestsPerSecond]),
    );
    if (workerd.size > 0) {
      const versus = calls.map((r) => [r.connections, r.requestsPerSecond / workerd.get(r.connections)]);
      const lowest = Math.min(...versus.map(([, x]) => x));
      lines.push(
        `Against workerd's hello in the same run: ` +
          `${versus.map(([c, x]) => `${fmt(x, 2)}x at ${c}`).join(", ")} — ${goal(lowest >= 1)} (ahead of workerd).`,
        "",
      );
    }
    const helloRows = rows.filter((r) => r.workload === "hello" && r.cpuMsPerRequest);
    if (calls.some((r) => r.cpuMsPerRequest)) {
      lines.push(
        "CPU time per request (user + system, from /proc), by process:",
        "",
        "| server | connections | server ms | sandbox workers ms | load generator ms |",
        "| --- | ---: | ---: | ---: | ---: |",
      );
      const label = (r) =>
        r.workload === "hello"
          ? `${r.store === "node:http" ? "bare node:http" : r.store} hello`
          : r.workload === "GET /healthz"
            ? "backend /healthz"
            : "function";
      for (const r of [...helloRows, ...health, ...calls]) {
        const cpu = r.cpuMsPerRequest ?? {};
        lines.push(
          `| ${label(r)} | ${r.connections} | ${fmt(cpu.server, 3)} | ${fmt(cpu["sandbox worker"], 3)} | ${fmt(
            cpu["load generator"],
            3,
          )} |`,
        );
      }
      lines.push("");
    }
    if (functions.throughput) {
      lines.push(
        `Executions stored as successful for it: ${functions.throughput.storedExecutions} ` +
          `(2xx answers measured: ${functions.throughput.measuredOk}, plus warm-up and probe).`,
        "",
      );
    }
  }
  const c = functions.coldStart;
  if (c) {
    lines.push(
      `Cold start: ${c.deploys} deploys of a new version of a ${c.lines}-line TypeScript function, each ` +
        `followed at once by its first call (\`POST /functions/quote\`), then, ${functions.settings.coldPauseMs} ms later, ` +
        `a second call of the same version (the warm baseline); ${functions.settings.coldPauseMs} ms pause before the next deploy.`,
      "",
      "| measure | p50 ms | p99 ms | mean ms | max ms |",
      "| --- | ---: | ---: | ---: | ---: |",
    );
    for (const [label, s] of [
      ["first call after deploy, client round trip", c.cold],
      ["first call after deploy, in the sandbox (execution durationMs)", c.coldServer],
      ["second call (warm), client round trip", c.warm],
      ["second call (warm), in the sandbox", c.warmServer],
      ["deploy (PUT /api/functions/quote)", c.deploy],
    ]) {
      lines.push(`| ${label} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.mean, 2)} | ${fmt(s.max, 2)} |`);
    }
    lines.push("", `Cold start p50 ${fmt(c.cold.p50, 2)} ms — ${goal(c.cold.p50 <= 5)} (p50 <= 5 ms).`, "");
  }
  const k = functions.sdk;
  if (k) {
    lines.push(
      `Warm SDK calls: ${k.calls} \`functions.invoke\` calls one after another: p50 ${fmt(k.p50, 2)} ms, ` +
        `p99 ${fmt(k.p99, 2)} ms, mean ${fmt(k.mean, 2)} ms, max ${fmt(k.max, 2)} ms (${fmt(k.callsPerSecond)} calls/s).`,
      "",
    );
  }
  const m = functions.memory;
  if (m) {
    lines.push(
      `Memory: ${m.functions} functions deployed (in ${fmt(m.deploySeconds, 1)} s, 4 at a time), ${m.warm} of them called.`,
      "",
      "| state | processes | RSS MiB | PSS MiB | split (RSS MiB) |",
      "| --- | ---: | ---: | ---: | --- |",
    );
    for (const s of m.snapshots) {
      const split = s.processes.map((p) => `${p.kind} ${mib(p.rssKiB)}`).join(", ");
      lines.push(`| ${s.label} | ${s.processes.length} | ${mib(s.rssKiB)} | ${mib(s.pssKiB)} | ${split} |`);
    }
    const last = m.snapshots.at(-1);
    lines.push(
      "",
      `Resident memory with ${m.functions} deployed and ${m.warm} warm: ${mib(last.rssKiB)} MiB RSS — ` +
        `${goal(last.rssKiB <= 1024 * 1024)} (<= 1 GB).`,
      "",
    );
  }
  lines.push(
    "Reference: Supabase reports 42 ms average edge-function boot; Cloudflare about 5 ms per isolate.",
    "",
  );
  return lines;
}

const STORE_NAMES = { sqlite: "SQLite", postgres: "PostgreSQL" };
const num = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";

/** The events suite: handler start latency, sustained delivery (and graphile-worker), PRE cost. */
function eventsReport(events) {
  const s = events.settings;
  const stores = Object.entries(events.stores ?? {});
  const lines = ["## Events", ""];
  const loads = [
    ...stores.map(([store, r]) => [STORE_NAMES[store] ?? store, r]),
    ...(events.graphile ? [["graphile-worker", events.graphile]] : []),
  ].filter(([, r]) => r.loadBefore !== undefined);
  if (loads.length > 0) {
    lines.push(
      `1-minute load average around each part: ${loads
        .map(([label, r]) => `${label} ${fmt(r.loadBefore, 2)} -> ${fmt(r.loadAfter, 2)}`)
        .join("; ")}.`,
      "",
    );
  }

  const latency = stores.filter(([, r]) => r.latency);
  if (latency.length > 0) {
    lines.push(
      `POST event -> handler start: ${s.latencyEvents} custom events published one at a time ` +
        `(\`POST /api/events\` on one keep-alive connection, ${s.latencyPauseMs} ms apart, after 20 warm-up events) ` +
        "to a server where one trivial function is subscribed. The handler logs `Date.now()` first thing; the " +
        "latency is that minus the client's `Date.now()` just before sending (both whole milliseconds, same " +
        "clock). The execution's `startedAt` is the server's record of the start.",
      "",
      "| store | measure | p50 ms | p90 ms | p99 ms | mean ms | max ms |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const [store, r] of latency) {
      for (const [label, x] of [
        ["handler start (its Date.now())", r.latency.handlerStart],
        ["execution startedAt", r.latency.executionStart],
        ["publish answered (202)", r.latency.publish],
      ]) {
        lines.push(
          `| ${STORE_NAMES[store] ?? store} | ${label} | ${fmt(x.p50, 2)} | ${fmt(x.p90, 2)} | ${fmt(x.p99, 2)} | ${fmt(
            x.mean,
            2,
          )} | ${fmt(x.max, 2)} |`,
        );
      }
    }
    lines.push(
      "",
      ...latency.map(
        ([store, r]) =>
          `${STORE_NAMES[store] ?? store}: handler start p50 ${fmt(r.latency.handlerStart.p50, 1)} ms — ` +
          `${goal(r.latency.handlerStart.p50 <= 10)} (p50 <= 10 ms).`,
      ),
      "",
    );
  }

  const throughput = stores.filter(([, r]) => r.throughput);
  const g = events.graphile;
  if (throughput.length > 0 || g) {
    lines.push(
      `Sustained delivery: ${num(s.events)} custom events published over ${s.publishConnections} connections ` +
        "(each connection sends the next once answered) to one trivial subscribed handler, after 500 warm-up events; " +
        "then polled until no delivery is pending or running. _delivered/s_: deliveries done from the first " +
        "publish to the last `completedAt`; _drain/s_: the deliveries completed after publishing ended, per " +
        "second from then to the last. graphile-worker 0.17 ran in its own process on the same PostgreSQL " +
        `server (own database) with concurrency ${g?.concurrency ?? s.graphileConcurrency} (our ` +
        "dispatcher's default `events.concurrency`) and a pool of as many connections, with a no-op task; " +
        `its jobs were added with \`addJob\` ${s.publishConnections} at a time while it ran, then all at once ` +
        "with `graphile_worker.add_jobs` in one statement (a pure drain). The same pure drain for us: _backlog_ " +
        "publishes the events to a server started with `events.dispatch: false` (its published/s is the publish " +
        "path alone), stops it, and starts a server on the same data with dispatching on; drain/s counts from " +
        "its start (listening) to the last delivery done.",
      "",
      "| system | events | published/s | delivered/s | total s | done after publishing | drain/s | CPU ms per event |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    for (const [store, r] of throughput) {
      const t = r.throughput;
      const cpu = Object.entries(t.cpuMsPerEvent ?? {})
        .filter(([, v]) => Number.isFinite(v) && v > 0.0005)
        .map(([kind, v]) => `${kind} ${fmt(v, 3)}`)
        .join(", ");
      lines.push(
        `| ours, ${STORE_NAMES[store] ?? store} | ${num(t.done)} / ${num(t.events)} | ${num(t.publishPerSecond)} | **${num(
          t.deliveredPerSecond,
        )}** | ${fmt(t.seconds, 2)} | ${num(t.doneAfterPublishing)} | ${num(t.drainPerSecond)} | ${cpu} |`,
      );
    }
    for (const [store, r] of stores.filter(([, x]) => x.backlog)) {
      const b = r.backlog;
      const cpu = Object.entries(b.cpuMsPerEvent ?? {})
        .filter(([, v]) => Number.isFinite(v) && v > 0.0005)
        .map(([kind, v]) => `${kind} ${fmt(v, 3)}`)
        .join(", ");
      lines.push(
        `| ours, ${STORE_NAMES[store] ?? store}, backlog after a restart | ${num(b.done)} / ${num(b.events)} | ${num(
          b.publishPerSecond,
        )} | – | ${fmt(b.seconds, 2)} | ${num(b.done)} | **${num(b.drainPerSecond)}** | ${cpu} |`,
      );
    }
    for (const [label, r] of g
      ? [
          ["addJob", g.addJob],
          ["add_jobs (bulk)", g.bulk],
        ]
      : []) {
      if (!r) continue;
      lines.push(
        `| graphile-worker, ${label} | ${num(r.jobs)} | ${num(r.addPerSecond)} | **${num(r.jobsPerSecond)}** | ${fmt(
          r.seconds,
          2,
        )} | ${num(r.doneAfterAdding)} | ${num(r.drainPerSecond)} | worker ${fmt(r.cpuMsPerJob?.["graphile-worker"], 3)} |`,
      );
    }
    lines.push("");
    const sqlite = events.stores?.sqlite?.throughput;
    if (sqlite) {
      lines.push(
        `SQLite: ${num(sqlite.deliveredPerSecond)} delivered events/s — ${goal(sqlite.deliveredPerSecond >= 3000)} ` +
          "(>= 3,000/s).",
      );
    }
    const postgres = events.stores?.postgres?.throughput;
    if (postgres && g?.addJob) {
      lines.push(
        `PostgreSQL: ${num(postgres.deliveredPerSecond)} delivered events/s against graphile-worker's ` +
          `${num(g.addJob.jobsPerSecond)} jobs/s added the same way: ${fmt(
            postgres.deliveredPerSecond / g.addJob.jobsPerSecond,
            2,
          )}x — ${goal(postgres.deliveredPerSecond >= g.addJob.jobsPerSecond)} (goal: ahead of it).`,
      );
    }
    for (const [store, r] of throughput) {
      const t = r.throughput;
      lines.push(
        `${STORE_NAMES[store] ?? store}: statuses ${JSON.stringify(t.byStatus)}, ${num(t.attempts)} attempts, ` +
          `${num(t.executionsStored)} executions of the handler stored (500 warm-up included).`,
      );
    }
    for (const [store, r] of stores.filter(([, x]) => x.backlog)) {
      const b = r.backlog;
      const cpu = (x) =>
        Object.entries(x ?? {})
          .filter(([, v]) => Number.isFinite(v) && v > 0.0005)
          .map(([kind, v]) => `${kind} ${fmt(v, 3)} ms`)
          .join(", ");
      lines.push(
        `${STORE_NAMES[store] ?? store} backlog: publishing alone cost ${cpu(b.publishCpuMsPerEvent)} of CPU per event; ` +
          `delivering alone ${cpu(b.cpuMsPerEvent)}; statuses ${JSON.stringify(b.byStatus)}; the restarted server ` +
          `listened ${fmt(b.startSeconds, 2)} s after its spawn.`,
      );
    }
    lines.push("");
  }

  const pre = stores.filter(([, r]) => r.pre);
  if (pre.length > 0) {
    lines.push(
      `PRE handler cost: \`POST /api/records/bench_pre\` with a user's token, one after another on one ` +
        `keep-alive connection; ${s.preRounds} rounds of ${s.preCreates} creates with no subscription, then ` +
        `${s.preCreates} with one trivial PRE_RECORD_CREATE handler subscribed (\`export default function () {}\`, ` +
        "subscribed through `POST /api/subscriptions` and deleted after the round), each after 20 unmeasured creates.",
      "",
      "| store | PRE handler | creates | p50 ms | p90 ms | p99 ms | mean ms |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const [store, r] of pre) {
      for (const [label, x] of [
        ["none", r.pre.without],
        ["one, trivial", r.pre.with],
      ]) {
        lines.push(
          `| ${STORE_NAMES[store] ?? store} | ${label} | ${num(x.count)} | ${fmt(x.p50, 3)} | ${fmt(x.p90, 3)} | ${fmt(
            x.p99,
            3,
          )} | ${fmt(x.mean, 3)} |`,
        );
      }
    }
    lines.push(
      "",
      ...pre.map(
        ([store, r]) =>
          `${STORE_NAMES[store] ?? store}: a PRE handler adds ${fmt(r.pre.addedP50, 3)} ms at p50 ` +
          `(${fmt(r.pre.addedP99, 2)} ms at p99, ${fmt(r.pre.addedMean, 3)} ms mean) — ${goal(r.pre.addedP50 <= 1)} (<= 1 ms p50).`,
      ),
      "",
    );
  }
  return lines;
}
