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
export function markdownReport({ machine, settings, rows, notes, functions }) {
  const lines = [];
  lines.push(`# Benchmark results (${new Date().toISOString()})`, "");
  lines.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM, ${machine.os}; Node ${machine.node}` +
      `; SQLite ${machine.sqlite ?? "?"}; PostgreSQL ${machine.postgres ?? "not measured"}` +
      `; 1-minute load average ${machine.loadBefore} before the run, ${machine.loadAfter ?? "?"} after.`,
    "",
    `Each row: ${settings.duration} s of autocannon against a server process on 127.0.0.1; ` +
      `req/s counts 2xx answers only; "vs bare" is the ratio to the bare node:http server at the same connections. ` +
      `Query collection: ${settings.records} records.`,
    "",
  );
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
  if (functions) lines.push(...functionsReport(functions, rows));
  return lines.join("\n");
}

const mib = (kib) => fmt(kib / 1024);
const goal = (met) => (met ? "goal met" : "**goal missed**");

/** The function-runtime suite: throughput goal, cold start, warm SDK calls, memory. */
function functionsReport(functions, rows) {
  const lines = ["## Functions (SQLite)", ""];
  const calls = rows.filter((r) => r.workload.startsWith("function"));
  if (calls.length > 0) {
    const worst = Math.min(...calls.map((r) => r.ratio));
    lines.push(
      `Trivial public function over \`GET /functions/:name\` (execution stored for every call): ` +
        `${calls.map((r) => `${fmt(r.requestsPerSecond)} req/s at ${r.connections}`).join(", ")}; ` +
        `lowest ratio to bare ${fmt(worst, 2)}x — ${goal(worst >= 0.5)} (>= 0.5x).`,
      "",
    );
    const bareRows = rows.filter((r) => r.store === "node:http" && r.cpuMsPerRequest);
    if (calls.some((r) => r.cpuMsPerRequest)) {
      lines.push(
        "CPU time per request (user + system, from /proc), by process:",
        "",
        "| server | connections | server ms | sandbox workers ms | load generator ms |",
        "| --- | ---: | ---: | ---: | ---: |",
      );
      for (const r of [...bareRows, ...calls]) {
        const cpu = r.cpuMsPerRequest ?? {};
        lines.push(
          `| ${r.store === "node:http" ? "bare node:http" : "function"} | ${r.connections} | ${fmt(cpu.server, 3)} | ${fmt(
            cpu["sandbox worker"],
            3,
          )} | ${fmt(cpu["load generator"], 3)} |`,
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
