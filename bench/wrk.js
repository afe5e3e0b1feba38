// One wrk measurement: Debian's `wrk` (C, epoll) as a child process, for a fixed duration at a fixed
// number of connections and threads, so the load generator has a core of its own instead of sharing
// the bench process's event loop (autocannon, in process, topped out near 15,000 req/s here).
// A generated Lua script sets the method, headers and body, cycles through `paths` when given (the
// requests are built once, in init(), so wrk stays cheap per request), and prints a JSON summary
// from done(): counts, socket errors and latency percentiles in microseconds.
// Answers the same shape as measure.js's `measure`, plus the generator's own CPU seconds.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** wrk threads: one on a 2-core machine (one core for the generator, one for the server). */
export const WRK_THREADS = Number(process.env.BENCH_WRK_THREADS ?? 1);
/** Requests slower than this count as timeouts (autocannon's setting in measure.js: 10 s). */
const TIMEOUT_SECONDS = 10;
const MARKER = "WRK_JSON ";

/** The wrk on PATH and its version line, or undefined when there is none. */
export function findWrk() {
  try {
    // `wrk --version` prints its banner and exits 1.
    execFileSync("wrk", ["--version"], { stdio: "pipe" });
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    const banner = `${error.stdout ?? ""}`
      .split("\n")[0]
      .replace(/\s*Copyright.*$/, "")
      .trim();
    if (banner.startsWith("wrk")) return banner;
    return undefined;
  }
  return "wrk";
}

/** A Lua string literal (double-quoted, with escapes) for any JavaScript string. */
function luaString(text) {
  let out = '"';
  for (const byte of Buffer.from(text, "utf8")) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += "\\\\";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

/** The Lua script for one measurement: the fixed request (or the cycle of paths) and done()'s JSON. */
function luaScript({ method, headers, body, paths }) {
  const lines = [`wrk.method = ${luaString(method)}`];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  }
  if (body !== undefined) lines.push(`wrk.body = ${luaString(body)}`);
  if (paths) {
    // Each thread builds its requests once and takes them in turn; wrk calls request() per request.
    lines.push(
      `local paths = { ${paths.map(luaString).join(", ")} }`,
      "local requests = {}",
      "local counter = 0",
      "function init(args)",
      "  for i, p in ipairs(paths) do requests[i] = wrk.format(nil, p) end",
      "end",
      "function request()",
      "  counter = counter + 1",
      "  return requests[(counter % #requests) + 1]",
      "end",
    );
  }
  lines.push(
    "function done(summary, latency, requests)",
    "  local e = summary.errors",
    "  io.write(string.format(",
    `    '\\n${MARKER}{"durationUs":%d,"requests":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..`,
    `    '"status":%d,"timeout":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"meanUs":%.3f,"maxUs":%d}\\n',`,
    "    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,",
    "    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))",
    "end",
  );
  return `${lines.join("\n")}\n`;
}

/** CPU seconds of this process's children that have ended and been waited for (cutime + cstime). */
function reapedChildrenSeconds() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // CLK_TCK is 100 on Linux x64 (procStats.js asks getconf; this runs too often for that).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/**
 * @param {{ url: string, path: string, connections: number, duration: number, method?: string,
 *   headers?: Record<string,string>, body?: string, paths?: string[], threads?: number }} options
 * @returns {Promise<{ requestsPerSecond: number, p50: number, p99: number, ok: number, errors: number,
 *   timeouts: number, statusCodes: object, duration: number, generatorCpuSeconds: number,
 *   socketErrors: object, command: string }>} latencies in ms, as measure.js answers
 */
export async function wrk(options) {
  const threads = Math.min(options.threads ?? WRK_THREADS, options.connections);
  const dir = mkdtempSync(path.join(tmpdir(), "backend-bench-wrk-"));
  try {
    const script = path.join(dir, "request.lua");
    writeFileSync(
      script,
      luaScript({
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        body: options.body,
        paths: options.paths,
      }),
    );
    const args = [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.duration}s`,
      `--timeout`,
      `${TIMEOUT_SECONDS}s`,
      "-s",
      script,
      `${options.url}${options.path}`,
    ];
    const cpuBefore = reapedChildrenSeconds();
    const { code, stdout, stderr } = await new Promise((resolve, reject) => {
      const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (c) => (out += c));
      child.stderr.on("data", (c) => (err += c));
      // A bound of its own: wrk ends by itself after its duration, this only catches a hang.
      const killer = setTimeout(() => child.kill("SIGKILL"), (options.duration + 30) * 1000);
      child.on("error", (error) => {
        clearTimeout(killer);
        reject(error.code === "ENOENT" ? new Error("wrk is not on PATH: bash scripts/installWrk.sh") : error);
      });
      child.on("close", (exitCode) => {
        clearTimeout(killer);
        resolve({ code: exitCode, stdout: out, stderr: err });
      });
    });
    const generatorCpuSeconds = reapedChildrenSeconds() - cpuBefore;
    const line = stdout.split("\n").find((l) => l.startsWith(MARKER));
    if (code !== 0 || !line) {
      throw new Error(`wrk ${args.join(" ")} exited ${code}: ${stderr.trim() || stdout.trim()}`);
    }
    const s = JSON.parse(line.slice(MARKER.length));
    const seconds = s.durationUs / 1e6;
    // wrk counts answers with a status above 399 apart ("Non-2xx or 3xx responses"); the rest are ok.
    const ok = s.requests - s.status;
    const socketErrors = { connect: s.connect, read: s.read, write: s.write, timeout: s.timeout };
    return {
      requestsPerSecond: ok / seconds,
      // wrk's percentiles cover every answer (the error rows say how many were not 2xx).
      p50: s.p50Us / 1000,
      p99: s.p99Us / 1000,
      ok,
      errors: s.status + s.connect + s.read + s.write + s.timeout,
      timeouts: s.timeout,
      statusCodes: s.status > 0 ? { "4xx/5xx": { count: s.status } } : {},
      socketErrors,
      duration: seconds,
      generatorCpuSeconds,
      command: `wrk -t${threads} -c${options.connections} -d${options.duration}s`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
