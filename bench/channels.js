// The channels suite (issue 11 "Measure"), on the real `backend start` on SQLite, with WebSocket
// clients (`ws`) on GET /realtime:
//   1. fan-out latency: C clients (one user's token, many connections) join one channel; an admin
//      (`POST /api/channels/:channel/messages`) and then a member socket (`send` frame, which also
//      passes PRE_CHANNEL_MESSAGE; chan_in is stored only when subscribed, and nothing is) each send M messages, one at a time, PAUSE ms apart, after 20
//      warm-up messages; every message carries its send time on the machine's monotonic clock
//      (`process.hrtime`, CLOCK_MONOTONIC: one clock for every process of the machine); latency =
//      arrival at a receiver (first thing in its socket's message handler) - send time, over every
//      (message, receiver) pair, and per message the last receiver's;
//   2. messages/s through one node: on a server started with the per-connection rate limit raised
//      (`channels.framesPerSecond` and `channels.burstFrames`), S member sockets send into one
//      channel as fast as their acks allow (each keeps W sends in flight, below the server's 64 queued
//      frames per socket) while R more sockets only receive; for BENCH_DURATION seconds after a
//      warm-up: sends acked/s, messages received per second by each receiver, frames written per
//      second to all members (senders get every message too), send -> ack latency, and whether every
//      receiver got every acked message;
//   3. memory per idle connection: on a fresh server, the server process's RSS before and after N
//      idle connections (signed in, joined to one channel) and after they closed; (after - before) / N;
//      before each reading the server runs two full garbage collections (a hook this suite loads
//      into it, see HEAP_HOOK), which also gives its live JavaScript memory (heap used + external).
// The clients run in CLIENT_PROCESSES child processes forked from this file (the bench process only
// coordinates and runs the two fan-out senders), so the server process is what is measured; they
// share the machine's cores with the server, and their CPU is reported beside the server's.
// Settings (environment): BENCH_CHANNEL_CLIENTS (1000) receivers for the fan-out, BENCH_CHANNEL_MESSAGES
// (200) messages per sender, BENCH_CHANNEL_PAUSE_MS (50) between them, BENCH_CHANNEL_SENDERS (20) and
// BENCH_CHANNEL_RECEIVERS (5) sockets for the throughput, BENCH_CHANNEL_WINDOW (8) sends in flight per
// sender socket, BENCH_CHANNEL_IDLE (2000) idle connections; the throughput lasts BENCH_DURATION.
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { json, startBackend } from "./backendServer.js";
import { percentile } from "./measure.js";
import { treeCpu, treeMemory } from "./procStats.js";

const FILE = fileURLToPath(import.meta.url);

export const channelSettings = {
  clients: Number(process.env.BENCH_CHANNEL_CLIENTS ?? 1000),
  messages: Number(process.env.BENCH_CHANNEL_MESSAGES ?? 200),
  pauseMs: Number(process.env.BENCH_CHANNEL_PAUSE_MS ?? 50),
  senders: Number(process.env.BENCH_CHANNEL_SENDERS ?? 20),
  receivers: Number(process.env.BENCH_CHANNEL_RECEIVERS ?? 5),
  window: Number(process.env.BENCH_CHANNEL_WINDOW ?? 8),
  idle: Number(process.env.BENCH_CHANNEL_IDLE ?? 2000),
  processes: 2,
};

/** The throughput server's per-connection limits (the defaults are 50 frames/s, burst 100). */
const RAISED_LIMITS = { framesPerSecond: 1_000_000, burstFrames: 1_000_000 };
const CHANNEL = "bench";
const WARMUP_MESSAGES = 20;
/** Handshakes + joins in flight at once, per client process. */
const OPEN_CONCURRENCY = 25;

/** A generous bound for the watchdog: every step at a slow pace on a busy machine, plus start-ups. */
export function channelsSuiteSeconds(settings) {
  const s = channelSettings;
  return Math.ceil(
    3 * 40 +
      (s.clients + s.idle + 200 + s.senders + s.receivers) / 50 +
      2 * (s.messages + WARMUP_MESSAGES) * (s.pauseMs / 1000 + 0.2) +
      settings.warmup +
      settings.duration +
      30 +
      3 * 15 +
      60,
  );
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Milliseconds on CLOCK_MONOTONIC, which every process of the machine reads alike (Linux). */
const now = () => Number(process.hrtime.bigint()) / 1e6;

function summary(values) {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    mean: sorted.length > 0 ? sum / sorted.length : Number.NaN,
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// The client processes: forked from this file with the argument "client", driven over IPC.

if (process.argv[1] === FILE && process.argv[2] === "client") clientMain();

function clientMain() {
  const sockets = [];
  const state = {
    flooding: false,
    recording: false,
    window: 1,
    /** Fan-out: `${kind}` -> per message index, the latencies its receivers saw. */
    latencies: new Map(),
    ackLatencies: [],
    unexpectedCloses: 0,
  };

  const typeOf = (data) => data.toString("latin1", 9, 13);

  const handlers = {
    idle: () => {},
    receiver: (s, data) => {
      const at = now();
      if (typeOf(data) !== "mess") return;
      const frame = JSON.parse(data.toString());
      const m = frame.message;
      s.received += 1;
      if (!state.recording || !m || m.w || typeof m.t !== "number") return;
      let byIndex = state.latencies.get(m.k);
      if (!byIndex) state.latencies.set(m.k, (byIndex = []));
      (byIndex[m.i] ??= []).push(at - m.t);
    },
    counter: (s, data) => {
      if (typeOf(data) === "mess") s.received += 1;
    },
    sender: (s, data) => {
      const type = typeOf(data);
      if (type === "mess") {
        s.received += 1;
        return;
      }
      if (type === "sent") {
        s.acked += 1;
        const sentAt = s.sentTimes.shift();
        if (state.recording) state.ackLatencies.push(now() - sentAt);
      } else if (type === "erro") {
        s.errors += 1;
        s.sentTimes.shift();
        const code = JSON.parse(data.toString()).code;
        s.errorCodes[code] = (s.errorCodes[code] ?? 0) + 1;
      } else {
        return;
      }
      s.inflight -= 1;
      pump(s);
    },
  };

  function pump(s) {
    while (state.flooding && !s.closed && s.inflight < state.window) {
      s.inflight += 1;
      s.seq += 1;
      s.sentTimes.push(now());
      s.ws.send(
        `{"type":"send","channel":${JSON.stringify(s.channel)},"message":{"text":"bench message","n":${s.seq}},"ref":${s.seq}}`,
      );
    }
  }

  /** One socket: connected, then joined to `channel`; answers it once joined. */
  function openOne(url, channel, role) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
      const s = {
        ws,
        role,
        channel,
        received: 0,
        acked: 0,
        errors: 0,
        errorCodes: {},
        inflight: 0,
        seq: 0,
        sentTimes: [],
        closed: false,
        closing: false,
      };
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error("no `joined` within 30 s"));
      }, 30_000);
      let joined = false;
      ws.on("error", (error) => {
        if (!joined) {
          clearTimeout(timer);
          reject(error);
        }
      });
      ws.on("close", (code) => {
        s.closed = true;
        if (!joined) {
          clearTimeout(timer);
          reject(new Error(`closed (${code}) before joining`));
        } else if (!s.closing) state.unexpectedCloses += 1;
      });
      ws.on("message", (data) => {
        if (joined) {
          handlers[role](s, data);
          return;
        }
        const frame = JSON.parse(data.toString());
        if (frame.type === "connected") ws.send(JSON.stringify({ type: "join", channel, ref: "join" }));
        else if (frame.type === "joined") {
          joined = true;
          clearTimeout(timer);
          sockets.push(s);
          resolve(s);
        } else if (frame.type === "error") {
          clearTimeout(timer);
          ws.terminate();
          reject(new Error(`${frame.code}: ${frame.message}`));
        }
      });
    });
  }

  const commands = {
    async open({ url, channel, role, count }) {
      const started = now();
      let next = 0;
      const failures = [];
      await Promise.all(
        Array.from({ length: Math.min(OPEN_CONCURRENCY, count) }, async () => {
          while (next < count) {
            next += 1;
            await openOne(url, channel, role).catch((error) => failures.push(error.message));
          }
        }),
      );
      return { opened: count - failures.length, failures: failures.slice(0, 5), ms: now() - started };
    },
    record({ on }) {
      state.recording = on;
      if (on) {
        state.latencies = new Map();
        state.ackLatencies = [];
      }
      return {};
    },
    latencies() {
      const out = {};
      for (const [kind, byIndex] of state.latencies) {
        out[kind] = Array.from(byIndex, (values) => Float64Array.from(values ?? []));
      }
      return out;
    },
    flood({ window }) {
      state.window = window;
      state.flooding = true;
      for (const s of sockets) if (s.role === "sender") pump(s);
      return {};
    },
    /** Stops sending and waits (at most 10 s) for the acks of the sends in flight. */
    async stopFlood() {
      state.flooding = false;
      const deadline = Date.now() + 10_000;
      while (
        Date.now() < deadline &&
        sockets.some((s) => s.role === "sender" && !s.closed && s.inflight > 0)
      ) {
        await sleep(50);
      }
      return { inflight: sockets.reduce((n, s) => n + s.inflight, 0) };
    },
    counters({ recording, ackLatencies }) {
      const totals = { acked: 0, errors: 0, errorCodes: {}, senderReceived: 0, receiverReceived: [] };
      for (const s of sockets) {
        if (s.role === "sender") {
          totals.acked += s.acked;
          totals.errors += s.errors;
          totals.senderReceived += s.received;
          for (const [code, n] of Object.entries(s.errorCodes))
            totals.errorCodes[code] = (totals.errorCodes[code] ?? 0) + n;
        } else {
          totals.receiverReceived.push(s.received);
        }
      }
      totals.at = now();
      totals.unexpectedCloses = state.unexpectedCloses;
      totals.open = sockets.filter((s) => !s.closed).length;
      if (ackLatencies) totals.ackLatencies = Float64Array.from(state.ackLatencies);
      if (recording !== undefined) {
        state.recording = recording;
        if (recording) state.ackLatencies = [];
      }
      return totals;
    },
    /** Closes every socket; answers once all are closed (at most 10 s, then the rest are cut). */
    async close() {
      const open = sockets.splice(0);
      await Promise.all(
        open.map(
          (s) =>
            new Promise((resolve) => {
              if (s.closed) return resolve();
              s.closing = true;
              const timer = setTimeout(() => {
                s.ws.terminate();
                resolve();
              }, 10_000);
              s.ws.once("close", () => {
                clearTimeout(timer);
                resolve();
              });
              s.ws.close(1000, "bench done");
            }),
        ),
      );
      state.unexpectedCloses = 0;
      return { closed: open.length };
    },
  };

  process.on("message", async (m) => {
    try {
      process.send({ id: m.id, result: await commands[m.cmd](m) });
    } catch (error) {
      process.send({ id: m.id, error: error.stack ?? error.message });
    }
  });
  // The bench process went away (a crash, a kill): so does this one, with its sockets.
  process.on("disconnect", () => process.exit(0));
  process.send({ ready: true });
}

// ---------------------------------------------------------------------------------------------
// The bench process's side.

/** A client process: `call(cmd, args)` runs a command in it; `stop()` ends it. */
async function startClients(cleanups) {
  const child = fork(FILE, ["client"], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  const pending = new Map();
  let nextId = 0;
  let exited = false;
  const exit = new Promise((resolve) => child.on("exit", resolve));
  void exit.then((code) => {
    exited = true;
    for (const { reject } of pending.values()) reject(new Error(`a client process exited (${code})`));
    pending.clear();
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exit;
    clearTimeout(killer);
  };
  cleanups.push(stop);
  await new Promise((resolve, reject) => {
    child.once("message", resolve);
    void exit.then((code) => reject(new Error(`a client process exited (${code}) before it was ready`)));
  });
  child.on("message", (m) => {
    const waiting = pending.get(m.id);
    if (!waiting) return;
    pending.delete(m.id);
    if (m.error) waiting.reject(new Error(`client process: ${m.error}`));
    else waiting.resolve(m.result);
  });
  const call = (cmd, args = {}) =>
    new Promise((resolve, reject) => {
      if (exited) return reject(new Error("the client process has exited"));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...args, id, cmd });
    });
  return { pid: child.pid, call, stop };
}

/** CPU seconds (user + system) of a process and its descendants so far. */
const cpuOf = (pid) => treeCpu(pid).reduce((sum, p) => sum + p.seconds, 0);

function cpuSnapshot(server, clients) {
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    server: cpuOf(server.pid),
    clients: clients.reduce((sum, c) => sum + cpuOf(c.pid), 0),
    bench: (own.user + own.system) / 1e6,
  };
}

/** % of one core used between two snapshots, by who. */
function cpuPercent(before, after) {
  const seconds = (after.at - before.at) / 1000;
  return {
    seconds,
    server: ((after.server - before.server) / seconds) * 100,
    clients: ((after.clients - before.clients) / seconds) * 100,
    bench: ((after.bench - before.bench) / seconds) * 100,
    serverSeconds: after.server - before.server,
    clientSeconds: after.clients - before.clients,
    benchSeconds: after.bench - before.bench,
  };
}

/** Splits `count` as evenly as possible over the client processes. */
const share = (count, parts) => Array.from({ length: parts }, (_, i) => Math.floor((count + i) / parts));

/** Opens `count` sockets of `role` in `channel`, spread over the client processes. */
async function openSockets(server, token, clients, role, count, channel = CHANNEL) {
  const url = `${server.url.replace(/^http/, "ws")}/realtime?token=${encodeURIComponent(token)}`;
  const started = performance.now();
  const answers = await Promise.all(
    share(count, clients.length).map((n, i) => clients[i].call("open", { url, channel, role, count: n })),
  );
  const opened = answers.reduce((sum, a) => sum + a.opened, 0);
  if (opened < count) {
    throw new Error(
      `opened ${opened} of ${count} ${role} sockets: ${answers.flatMap((a) => a.failures).join("; ")}`,
    );
  }
  return { count, seconds: (performance.now() - started) / 1000 };
}

async function registerUser(server) {
  const answer = await json(`${server.url}/api/auth/register`, "POST", {
    email: `bench-${randomBytes(4).toString("hex")}@example.com`,
    password: "benchmark password",
  });
  if (answer.status !== 201) {
    throw new Error(`POST /api/auth/register answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return answer.body.token;
}

/** How many connections the server says are in `channel` (GET /api/channels). */
async function membersOnServer(server, channel = CHANNEL) {
  const answer = await json(`${server.url}/api/channels`, "GET", undefined, server.adminKey);
  if (answer.status !== 200) throw new Error(`GET /api/channels answered ${answer.status}`);
  return answer.body.items.find((c) => c.channel === channel)?.connections ?? 0;
}

/** The server process's own RSS and PSS (KiB), the median of `samples` readings 1 s apart. */
async function serverMemory(server, heapFile, samples = 3) {
  const heap = heapFile ? await heapAfterGc(server, heapFile) : undefined;
  const readings = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(1000);
    const own = treeMemory(server.pid).processes.find((p) => p.pid === server.pid);
    if (!own) throw new Error("the server process is gone");
    readings.push(own);
  }
  const median = (key) => Float64Array.from(readings.map((r) => r[key])).sort()[Math.floor(samples / 2)];
  return { rssKiB: median("rssKiB"), pssKiB: median("pssKiB"), ...(heap ? { heap } : {}) };
}

/**
 * The memory part's server loads this (NODE_OPTIONS `--import`, with `--expose-gc`): on SIGUSR2 its
 * main thread runs two full garbage collections and writes `process.memoryUsage()` to BENCH_HEAP_FILE.
 * Nothing else in the server changes; it lets every reading count live memory, not garbage.
 */
const HEAP_HOOK = `import { renameSync, writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
const file = process.env.BENCH_HEAP_FILE;
if (isMainThread && file) {
  process.on("SIGUSR2", () => {
    globalThis.gc();
    globalThis.gc();
    writeFileSync(file + ".tmp", JSON.stringify(process.memoryUsage()));
    renameSync(file + ".tmp", file);
  });
}`;

/** NODE_OPTIONS and BENCH_HEAP_FILE set while `start` spawns the server, then put back. */
async function withHeapHook(heapFile, start) {
  const saved = { NODE_OPTIONS: process.env.NODE_OPTIONS, BENCH_HEAP_FILE: process.env.BENCH_HEAP_FILE };
  process.env.NODE_OPTIONS = [
    saved.NODE_OPTIONS,
    "--expose-gc",
    `--import=data:text/javascript,${encodeURIComponent(HEAP_HOOK)}`,
  ]
    .filter(Boolean)
    .join(" ");
  process.env.BENCH_HEAP_FILE = heapFile;
  try {
    return await start();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Full garbage collections in the server (see HEAP_HOOK), then its process.memoryUsage() in KiB. */
async function heapAfterGc(server, heapFile) {
  rmSync(heapFile, { force: true });
  process.kill(server.pid, "SIGUSR2");
  const deadline = Date.now() + 10_000;
  while (!existsSync(heapFile)) {
    if (Date.now() > deadline)
      throw new Error("the server did not answer SIGUSR2 with its memory within 10 s");
    await sleep(50);
  }
  const usage = JSON.parse(readFileSync(heapFile, "utf8"));
  // What V8 and Node hold for JavaScript: the heap's live objects and the memory outside it (buffers).
  return {
    heapUsedKiB: usage.heapUsed / 1024,
    externalKiB: usage.external / 1024,
    liveKiB: (usage.heapUsed + usage.external) / 1024,
  };
}

/** A member socket in the bench process: sends a message and answers when its `sent` ack came. */
async function memberSender(server, token) {
  const ws = new WebSocket(
    `${server.url.replace(/^http/, "ws")}/realtime?token=${encodeURIComponent(token)}`,
    {
      perMessageDeflate: false,
    },
  );
  const waiting = new Map();
  let ready;
  const joined = new Promise((resolve, reject) => {
    ready = resolve;
    ws.on("error", reject);
    setTimeout(() => reject(new Error("the member sender did not join within 30 s")), 30_000).unref();
  });
  ws.on("message", (data) => {
    const frame = JSON.parse(data.toString());
    if (frame.type === "connected") ws.send(JSON.stringify({ type: "join", channel: CHANNEL, ref: "join" }));
    else if (frame.type === "joined") ready();
    else if ((frame.type === "sent" || frame.type === "error") && waiting.has(frame.ref)) {
      const { resolve, reject } = waiting.get(frame.ref);
      waiting.delete(frame.ref);
      if (frame.type === "sent") resolve();
      else reject(new Error(`send answered ${frame.code}: ${frame.message}`));
    }
  });
  await joined;
  let ref = 0;
  return {
    send(message) {
      ref += 1;
      const id = ref;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        ws.send(JSON.stringify({ type: "send", channel: CHANNEL, message, ref: id }));
      });
    },
    close: () => ws.close(1000, "bench done"),
  };
}

/** The admin's HTTP send, on one keep-alive connection. */
function adminSender(server) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const route = `${server.url}/api/channels/${CHANNEL}/messages`;
  return {
    send(message) {
      const payload = JSON.stringify({ message });
      return new Promise((resolve, reject) => {
        const request = http.request(
          route,
          {
            method: "POST",
            agent,
            headers: {
              authorization: `Bearer ${server.adminKey}`,
              "content-type": "application/json",
              "content-length": Buffer.byteLength(payload),
            },
          },
          (response) => {
            const chunks = [];
            response.on("data", (chunk) => chunks.push(chunk));
            response.on("end", () =>
              response.statusCode === 201
                ? resolve()
                : reject(
                    new Error(`POST ${route} answered ${response.statusCode}: ${Buffer.concat(chunks)}`),
                  ),
            );
          },
        );
        request.setTimeout(30_000, () => request.destroy(new Error(`POST ${route} timed out`)));
        request.on("error", reject);
        request.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * @param {{ settings: object, machine: object, log: (line: string) => void, notes: string[],
 *   cleanups: Array<() => Promise<void>>, cleanUp: () => Promise<void>, stopping: () => boolean }} context
 */
export async function benchChannels(context) {
  const { log, notes, cleanUp } = context;
  const results = { settings: channelSettings, raisedLimits: RAISED_LIMITS, cpus: os.cpus().length };
  let failed = false;
  for (const [part, work] of [
    ["fanout", () => benchFanout(context)],
    ["throughput", () => benchThroughput(context)],
    ["memory", () => benchMemory(context)],
  ]) {
    if (context.stopping()) return { results, failed: true };
    try {
      results[part] = await work();
    } catch (error) {
      failed = true;
      notes.push(`channels: ${part} not measured: ${error.message}`);
      log(`channels: ${part} failed: ${error.stack ?? error.message}`);
    } finally {
      await cleanUp();
    }
  }
  return { results, failed };
}

/** A server (defaults, or with `server` config), its user's token and the client processes. */
async function setUp(context, server, heapFile) {
  const start = () => startBackend({ cleanups: context.cleanups, ...(server ? { server } : {}) });
  const backend = heapFile ? await withHeapHook(heapFile, start) : await start();
  const token = await registerUser(backend);
  const clients = await Promise.all(
    Array.from({ length: channelSettings.processes }, () => startClients(context.cleanups)),
  );
  context.log(
    `channels: backend at ${backend.url} (pid ${backend.pid}); clients in pids ${clients.map((c) => c.pid).join(", ")}`,
  );
  return { server: backend, token, clients };
}

async function benchFanout(context) {
  const { log } = context;
  const { clients: count, messages, pauseMs } = channelSettings;
  const loadBefore = os.loadavg()[0];
  const { server, token, clients } = await setUp(context);
  const opening = await openSockets(server, token, clients, "receiver", count);
  log(`channels: ${count} receivers joined in ${opening.seconds.toFixed(1)} s`);
  const senders = { admin: adminSender(server), member: await memberSender(server, token) };
  const members = await membersOnServer(server);
  if (members !== count + 1)
    throw new Error(`the server counts ${members} connections in '${CHANNEL}', not ${count + 1}`);

  for (const kind of Object.keys(senders)) {
    for (let i = 0; i < WARMUP_MESSAGES; i++) {
      await senders[kind].send({ k: kind, i, w: true, t: now() });
      await sleep(pauseMs);
    }
  }
  await sleep(500);
  await Promise.all(clients.map((c) => c.call("record", { on: true })));

  const out = { receivers: count, members, connectSeconds: opening.seconds, loadBefore, kinds: {} };
  for (const [kind, sender] of Object.entries(senders)) {
    const answers = [];
    const cpuBefore = cpuSnapshot(server, clients);
    const started = performance.now();
    for (let i = 0; i < messages; i++) {
      const t = now();
      await sender.send({ k: kind, i, t, text: "fan-out bench message" });
      answers.push(now() - t);
      const wait = t + pauseMs - now();
      if (wait > 0) await sleep(wait);
    }
    const seconds = (performance.now() - started) / 1000;
    await sleep(Math.max(pauseMs, 200));
    const cpu = cpuPercent(cpuBefore, cpuSnapshot(server, clients));
    out.kinds[kind] = { answers: summary(answers), seconds, cpu };
  }
  await sleep(1000);
  const gathered = await Promise.all(clients.map((c) => c.call("latencies")));
  for (const kind of Object.keys(senders)) {
    const all = [];
    const last = [];
    let pairs = 0;
    for (let i = 0; i < messages; i++) {
      let max = Number.NEGATIVE_INFINITY;
      let got = 0;
      for (const g of gathered) {
        const values = g[kind]?.[i] ?? new Float64Array();
        got += values.length;
        for (const v of values) {
          all.push(v);
          if (v > max) max = v;
        }
      }
      pairs += got;
      if (got > 0) last.push(max);
    }
    const k = out.kinds[kind];
    Object.assign(k, {
      messages,
      pairs,
      expected: messages * count,
      missing: messages * count - pairs,
      latency: summary(all),
      last: summary(last),
      serverCpuMsPerMessage: (k.cpu.serverSeconds * 1000) / messages,
      clientCpuMsPerMessage: (k.cpu.clientSeconds * 1000) / messages,
    });
    log(
      `channels: fan-out from ${kind} to ${count}: p50 ${k.latency.p50.toFixed(2)} ms, p99 ${k.latency.p99.toFixed(2)} ms; ` +
        `last receiver p50 ${k.last.p50.toFixed(2)} ms, p99 ${k.last.p99.toFixed(2)} ms; ${k.missing} missing; ` +
        `CPU server ${k.cpu.server.toFixed(0)}%, clients ${k.cpu.clients.toFixed(0)}% of a core`,
    );
  }
  senders.admin.close();
  senders.member.close();
  await Promise.all(clients.map((c) => c.call("close")));
  out.loadAfter = os.loadavg()[0];
  return out;
}

async function benchThroughput(context) {
  const { log, settings } = context;
  const { senders, receivers, window } = channelSettings;
  const loadBefore = os.loadavg()[0];
  const { server, token, clients } = await setUp(context, { channels: RAISED_LIMITS });
  await openSockets(server, token, clients, "counter", receivers);
  await openSockets(server, token, clients, "sender", senders);
  const counters = (args = {}) => Promise.all(clients.map((c) => c.call("counters", args)));
  const total = (snapshot, key) => snapshot.reduce((sum, c) => sum + c[key], 0);
  const receiverCounts = (snapshot) => snapshot.flatMap((c) => c.receiverReceived);

  await Promise.all(clients.map((c) => c.call("flood", { window })));
  await sleep(settings.warmup * 1000);
  const first = await counters({ recording: true });
  const cpuBefore = cpuSnapshot(server, clients);
  await sleep(settings.duration * 1000);
  const second = await counters({ recording: false, ackLatencies: true });
  const cpu = cpuPercent(cpuBefore, cpuSnapshot(server, clients));
  const stopped = await Promise.all(clients.map((c) => c.call("stopFlood")));
  await sleep(1000);
  const final = await counters();

  const seconds = (Math.max(...second.map((c) => c.at)) - Math.min(...first.map((c) => c.at))) / 1000;
  const acked = total(second, "acked") - total(first, "acked");
  const before = receiverCounts(first);
  const perReceiver = receiverCounts(second).map((n, i) => (n - before[i]) / seconds);
  const ackedTotal = total(final, "acked");
  const out = {
    senders,
    receivers,
    window,
    seconds,
    loadBefore,
    ackedPerSecond: acked / seconds,
    receivedPerSecond: perReceiver.reduce((a, b) => a + b, 0) / perReceiver.length,
    receivedPerSecondMin: Math.min(...perReceiver),
    framesOutPerSecond:
      (total(second, "senderReceived") -
        total(first, "senderReceived") +
        perReceiver.reduce((a, b) => a + b, 0) * seconds) /
      seconds,
    ack: summary(second.flatMap((c) => Array.from(c.ackLatencies))),
    errors: total(final, "errors"),
    errorCodes: Object.assign({}, ...final.map((c) => c.errorCodes)),
    ackedTotal,
    /** Acked messages a receiver did not get, summed over the receivers. */
    lost: receiverCounts(final).reduce((sum, n) => sum + Math.max(0, ackedTotal - n), 0),
    inflightLeft: stopped.reduce((sum, s) => sum + s.inflight, 0),
    unexpectedCloses: total(final, "unexpectedCloses"),
    cpu,
  };
  out.serverCpuMsPerMessage = (cpu.serverSeconds * 1000) / acked;
  log(
    `channels: ${senders} senders (window ${window}), ${receivers} receivers: ${out.ackedPerSecond.toFixed(0)} sends acked/s, ` +
      `${out.receivedPerSecond.toFixed(0)} received/s per receiver, ack p50 ${out.ack.p50.toFixed(2)} ms p99 ${out.ack.p99.toFixed(2)} ms; ` +
      `${out.errors} errors, ${out.lost} lost; CPU server ${cpu.server.toFixed(0)}%, clients ${cpu.clients.toFixed(0)}%, bench ${cpu.bench.toFixed(0)}%`,
  );
  await Promise.all(clients.map((c) => c.call("close")));
  out.loadAfter = os.loadavg()[0];
  return out;
}

async function benchMemory(context) {
  const { log } = context;
  const { idle } = channelSettings;
  const loadBefore = os.loadavg()[0];
  const heapFile = path.join(os.tmpdir(), `backend-bench-heap-${randomBytes(6).toString("hex")}.json`);
  context.cleanups.push(async () => rmSync(heapFile, { force: true }));
  const { server, token, clients } = await setUp(context, undefined, heapFile);
  // The code paths warmed first: 200 connections opened, joined and closed.
  await openSockets(server, token, clients, "idle", 200);
  await Promise.all(clients.map((c) => c.call("close")));
  await sleep(2000);
  const before = await serverMemory(server, heapFile);
  // In two halves: the second half's cost alone shows whether the first one's is linear.
  const firstHalf = Math.floor(idle / 2);
  const opening = await openSockets(server, token, clients, "idle", firstHalf);
  await sleep(3000);
  const half = await serverMemory(server, heapFile);
  const rest = await openSockets(server, token, clients, "idle", idle - firstHalf);
  const members = await membersOnServer(server);
  await sleep(3000);
  const open = await serverMemory(server, heapFile);
  const check = await Promise.all(clients.map((c) => c.call("counters")));
  const stillOpen = check.reduce((sum, c) => sum + c.open, 0);
  await Promise.all(clients.map((c) => c.call("close")));
  await sleep(3000);
  const after = await serverMemory(server, heapFile);
  const out = {
    connections: idle,
    members,
    stillOpen,
    connectSeconds: opening.seconds + rest.seconds,
    firstHalf,
    before,
    half,
    open,
    closed: after,
    rssKiBPerConnection: (open.rssKiB - before.rssKiB) / idle,
    pssKiBPerConnection: (open.pssKiB - before.pssKiB) / idle,
    rssKiBPerConnectionSecondHalf: (open.rssKiB - half.rssKiB) / (idle - firstHalf),
    liveKiBPerConnection: (open.heap.liveKiB - before.heap.liveKiB) / idle,
    heapKiBPerConnection: (open.heap.heapUsedKiB - before.heap.heapUsedKiB) / idle,
    liveKiBPerConnectionSecondHalf: (open.heap.liveKiB - half.heap.liveKiB) / (idle - firstHalf),
    loadBefore,
    loadAfter: os.loadavg()[0],
  };
  log(
    `channels: ${idle} idle connections (joined in ${out.connectSeconds.toFixed(1)} s): RSS ${(before.rssKiB / 1024).toFixed(1)} -> ` +
      `${(open.rssKiB / 1024).toFixed(1)} MiB (${out.rssKiBPerConnection.toFixed(1)} KiB each), ${(after.rssKiB / 1024).toFixed(1)} MiB after closing; ` +
      `live JS heap + external ${out.liveKiBPerConnection.toFixed(1)} KiB each`,
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// The report.

const fmt = (n, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
const mib = (kib) => fmt(kib / 1024, 1);
const KIND_LABELS = {
  admin: "admin, `POST /api/channels/:channel/messages`",
  member: "member socket, `send` frame",
};

/** The suite's markdown, for bench/results/latest.md. */
export function channelsReport(results) {
  const s = results.settings;
  const lines = ["## Channels (SQLite)", ""];
  const parts = ["fanout", "throughput", "memory"].filter((p) => results[p]);
  lines.push(
    `The clients (\`ws\`) ran in ${s.processes} child processes of the bench, the server was a real \`backend start\` ` +
      `on SQLite; all on one machine with ${results.cpus} cores, shared by the server, the client processes and ` +
      "the bench process (which ran the two fan-out senders): the clients' CPU is shown beside the server's. " +
      `1-minute load average around each part: ${parts
        .map((p) => `${p} ${fmt(results[p].loadBefore, 2)} -> ${fmt(results[p].loadAfter, 2)}`)
        .join("; ")}.`,
    "",
  );
  const f = results.fanout;
  if (f) {
    lines.push(
      `Fan-out: ${fmt(f.receivers)} receivers (one user's token, ${s.processes} processes) joined one channel in ` +
        `${fmt(f.connectSeconds, 1)} s; the server counted ${fmt(f.members)} connections in it (the receivers and the ` +
        `member sender). Each sender sent ${fmt(s.messages)} messages one at a time, ${s.pauseMs} ms apart (after ` +
        `${WARMUP_MESSAGES} warm-up messages); latency = arrival at a receiver - send time (one monotonic clock), over ` +
        "every (message, receiver) pair; _last receiver_: per message, the slowest receiver's; _answer_: the sender's " +
        "201 or `sent` ack, which the server sends once it has written the message to every socket of this node " +
        "(the fan-out loop runs before the reply), so it bounds the server's part. Default limits. A member's send " +
        "goes through PRE_CHANNEL_MESSAGE and stores no chan_in event (none is subscribed, the default).",
      "",
      "| sender | pairs | p50 ms | p90 ms | p99 ms | max ms | last receiver p50 | last receiver p99 | answer p50 / p99 ms | CPU ms per message: server, clients |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    );
    for (const [kind, k] of Object.entries(f.kinds)) {
      if (!k.latency) continue;
      lines.push(
        `| ${KIND_LABELS[kind] ?? kind} | ${fmt(k.pairs)} / ${fmt(k.expected)} | ${fmt(k.latency.p50, 2)} | ${fmt(
          k.latency.p90,
          2,
        )} | **${fmt(k.latency.p99, 2)}** | ${fmt(k.latency.max, 2)} | ${fmt(k.last.p50, 2)} | ${fmt(k.last.p99, 2)} | ${fmt(
          k.answers.p50,
          2,
        )} / ${fmt(k.answers.p99, 2)} | ${fmt(k.serverCpuMsPerMessage, 2)}, ${fmt(k.clientCpuMsPerMessage, 2)} |`,
      );
    }
    lines.push("");
    for (const [kind, k] of Object.entries(f.kinds)) {
      if (!k.latency) continue;
      lines.push(
        `${KIND_LABELS[kind] ?? kind}: answered after ${fmt(k.answers.p50, 1)} ms at p50 (wall clock, ` +
          `${fmt((k.answers.p50 * 1000) / f.members)} µs per socket); server CPU ` +
          `${fmt((k.serverCpuMsPerMessage * 1000) / f.members)} µs per socket and message; CPU while sending: server ` +
          `${fmt(k.cpu.server)}%, clients ${fmt(k.cpu.clients)}%, bench ${fmt(k.cpu.bench)}% of a core.`,
      );
    }
    lines.push("");
  }
  const t = results.throughput;
  if (t) {
    const cpu = t.cpu;
    lines.push(
      `Messages/s through one node: ${t.senders} member sockets send into one channel, each keeping ${t.window} sends ` +
        `in flight (the next goes when an ack comes), while ${t.receivers} more sockets only receive; ` +
        `${fmt(t.seconds, 1)} s measured after a warm-up. **Per-connection limits raised** for this part only ` +
        `(\`channels.framesPerSecond\` ${fmt(results.raisedLimits.framesPerSecond)}, \`channels.burstFrames\` ` +
        `${fmt(results.raisedLimits.burstFrames)}; the defaults, 50/s and 100, would cap ${t.senders} sockets at ` +
        `${fmt(t.senders * 50)} messages/s). No send stores a chan_in event (none is subscribed, the default). ` +
        "_Frames out_: messages written to all members (the senders get every message too).",
      "",
      "| senders × window | receivers | sends acked/s | received/s per receiver (min) | frames out/s | ack p50 ms | ack p99 ms | errors | lost | CPU % of a core: server, clients, bench |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
      `| ${t.senders} × ${t.window} | ${t.receivers} | **${fmt(t.ackedPerSecond)}** | ${fmt(t.receivedPerSecond)} (${fmt(
        t.receivedPerSecondMin,
      )}) | ${fmt(t.framesOutPerSecond)} | ${fmt(t.ack.p50, 2)} | ${fmt(t.ack.p99, 2)} | ${fmt(t.errors)}${
        t.errors > 0 ? ` (${JSON.stringify(t.errorCodes)})` : ""
      } | ${fmt(t.lost)} | ${fmt(cpu.server)}, ${fmt(cpu.clients)}, ${fmt(cpu.bench)} |`,
      "",
      `Server CPU per message: ${fmt(t.serverCpuMsPerMessage, 3)} ms. _lost_: acked messages (${fmt(t.ackedTotal)} ` +
        `in all) that a receiver never got, summed over receivers; ${fmt(t.unexpectedCloses)} sockets closed by the server.`,
      "",
    );
  }
  const m = results.memory;
  if (m) {
    lines.push(
      `Memory per idle connection: on a fresh server (default limits), 200 connections opened and closed first ` +
        `(warm-up), then ${fmt(m.connections)} idle connections opened (one user's token), each joined to one ` +
        `channel (${fmt(m.connectSeconds, 1)} s; the server counted ${fmt(m.members)}), then closed; the server ` +
        "process's own memory, 2-3 s after each step: two full garbage collections in the server first (the " +
        "suite starts this server with `--expose-gc` and a small hook, loaded with `--import`, that runs them on " +
        "SIGUSR2 and writes `process.memoryUsage()`), then RSS and PSS, the median of 3 readings 1 s apart.",
      "",
      "| state | server RSS MiB | server PSS MiB | JS heap used MiB | heap used + external MiB |",
      "| --- | ---: | ---: | ---: | ---: |",
      ...[
        ["before", m.before],
        [`${fmt(m.firstHalf)} idle connections`, m.half],
        [`${fmt(m.connections)} idle connections`, m.open],
        ["after they closed", m.closed],
      ].map(
        ([label, x]) =>
          `| ${label} | ${mib(x.rssKiB)} | ${mib(x.pssKiB)} | ${mib(x.heap.heapUsedKiB)} | ${mib(x.heap.liveKiB)} |`,
      ),
      "",
      `Memory per idle connection: **${fmt(m.rssKiBPerConnection, 1)} KiB** RSS (${fmt(m.pssKiBPerConnection, 1)} KiB PSS); ` +
        `the second ${fmt(m.connections - m.firstHalf)} alone ${fmt(m.rssKiBPerConnectionSecondHalf, 1)} KiB each; ` +
        `live JavaScript memory (heap used + external) ${fmt(m.liveKiBPerConnection, 1)} KiB each ` +
        `(${fmt(m.heapKiBPerConnection, 1)} KiB of it heap; the second half alone ${fmt(m.liveKiBPerConnectionSecondHalf, 1)} KiB); ` +
        `${fmt(m.stillOpen)} of ${fmt(m.connections)} still open when measured. RSS also holds native memory ` +
        "(libuv handles, malloc arenas) beside the JavaScript heap; the kernel's socket buffers are in neither.",
      "",
    );
  }
  return lines;
}
