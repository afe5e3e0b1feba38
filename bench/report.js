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
export function markdownReport({ machine, settings, rows, notes }) {
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
  return lines.join("\n");
}
