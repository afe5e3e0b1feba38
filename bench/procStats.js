// A process and all its descendants, read from /proc (Linux only). Memory: VmRSS from
// /proc/<pid>/status, and PSS from /proc/<pid>/smaps_rollup when readable (PSS shares the pages that
// several processes map — the node binary, shared libraries — between them, so PSS adds up honestly
// where RSS counts shared pages once per process). CPU: utime + stime from /proc/<pid>/stat.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let clockTicks;
function ticksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

function read(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** The fields of /proc/<pid>/stat after the parenthesised name: [0] state, [1] ppid, [11] utime, [12] stime. */
function statFields(pid) {
  const stat = read(`/proc/${pid}/stat`);
  return stat ? stat.slice(stat.lastIndexOf(")") + 2).split(" ") : undefined;
}

/** Every live process's parent. */
function parents() {
  const map = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields) map.set(Number(entry), Number(fields[1]));
  }
  return map;
}

/** `pid` and its descendants, parents first, as [pid, parent] pairs. */
export function processTree(pid) {
  const parentOf = parents();
  const tree = [[pid, parentOf.get(pid)]];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parentOf) if (parent === tree[i][0]) tree.push([child, parent]);
  }
  return tree;
}

function kib(text, field) {
  const match = text && new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** What a process is, for the report: the server, a sandbox worker, esbuild's service, or its command. */
function describe(pid, parent, rootPid) {
  const cmdline = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
  const command = cmdline.join(" ");
  if (pid === rootPid) return { kind: "server", command };
  if (/runtime\/worker\/main\.js/.test(command)) return { kind: "sandbox worker", command };
  if (/esbuild/.test(cmdline[0] ?? "")) {
    return { kind: parent === rootPid ? "esbuild (server's)" : "esbuild (a worker's)", command };
  }
  return { kind: (read(`/proc/${pid}/comm`) ?? "?").trim(), command };
}

/** CPU seconds (user + system) used so far by `pid` and each of its descendants. */
export function treeCpu(rootPid) {
  const hz = ticksPerSecond();
  const live = processTree(rootPid).flatMap(([pid, parent]) => {
    const fields = statFields(pid);
    if (!fields) return [];
    return [
      { pid, ...describe(pid, parent, rootPid), seconds: (Number(fields[11]) + Number(fields[12])) / hz },
    ];
  });
  // Sandbox workers that ended (recycled, crashed) between two readings: their CPU is gone from
  // the tree, but the server reaped them, so it is in the server's cutime + cstime.
  const root = statFields(rootPid);
  if (root) {
    live.push({
      pid: `${rootPid}:reaped`,
      kind: "sandbox worker",
      command: "sandbox workers that ended",
      seconds: (Number(root[13]) + Number(root[14])) / hz,
    });
  }
  return live;
}

/** CPU used between two treeCpu readings, summed by kind of process. */
export function cpuBetween(before, after) {
  const start = new Map(before.map((p) => [p.pid, p.seconds]));
  const byKind = {};
  for (const p of after) byKind[p.kind] = (byKind[p.kind] ?? 0) + p.seconds - (start.get(p.pid) ?? 0);
  return byKind;
}

/**
 * @returns {{ processes: Array<{ pid: number, kind: string, command: string, rssKiB: number, pssKiB: number }>,
 *   rssKiB: number, pssKiB: number }}
 */
export function treeMemory(rootPid) {
  const processes = [];
  for (const [pid, parent] of processTree(rootPid)) {
    const status = read(`/proc/${pid}/status`);
    if (!status) continue;
    processes.push({
      pid,
      ...describe(pid, parent, rootPid),
      rssKiB: kib(status, "VmRSS"),
      pssKiB: kib(read(`/proc/${pid}/smaps_rollup`), "Pss"),
    });
  }
  const sum = (key) => processes.reduce((total, p) => total + p[key], 0);
  return { processes, rssKiB: sum("rssKiB"), pssKiB: sum("pssKiB") };
}

/** True while `pid` is alive and still runs exactly `command` (guards against a reused pid). */
export function stillRuns(pid, command) {
  const cmdline = read(`/proc/${pid}/cmdline`);
  return cmdline !== undefined && cmdline.split("\0").filter(Boolean).join(" ") === command;
}
