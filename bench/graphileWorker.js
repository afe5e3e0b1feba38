// The reference for the events suite: a graphile-worker 0.17 runner with one trivial task ("noop"),
// run as its own process (as our dispatcher runs in the server's), forked by bench/events.js with an
// IPC channel. Environment: GW_URL (its throwaway database), GW_CONCURRENCY, GW_POOL.
// It counts every job that succeeds since it started (a count that only grows: a "reset" message could
// arrive after the first of the next jobs already ran). Messages in: { from: k, expect: n } (answer once
// k + n jobs have succeeded), { stop: true }. Messages out: { ready: true } once the runner listens,
// { done: n, times: [ms since the epoch of the successes after the first k] }, { error }.
import { Logger, run } from "graphile-worker";

const url = process.env.GW_URL;
const concurrency = Number(process.env.GW_CONCURRENCY ?? 10);
const maxPoolSize = Number(process.env.GW_POOL ?? concurrency);

// Only warnings and errors reach the bench's stderr.
const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`graphile-worker: ${level}: ${message}`);
});

const times = [];
let waiting;

function maybeDone() {
  if (waiting && times.length >= waiting.from + waiting.expect) {
    const after = times.slice(waiting.from);
    waiting = undefined;
    process.send({ done: after.length, times: after });
  }
}

// The parent's channel closing means the bench ended: never outlive it.
process.on("disconnect", () => process.exit(0));

try {
  const runner = await run({
    connectionString: url,
    concurrency,
    maxPoolSize,
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
    taskList: { noop: async () => {} },
  });
  runner.events.on("job:success", () => {
    times.push(Date.now());
    maybeDone();
  });
  process.on("message", async (message) => {
    if (message.expect !== undefined) {
      waiting = { from: message.from, expect: message.expect };
      maybeDone();
    } else if (message.stop) {
      await runner.stop().catch(() => {});
      process.exit(0);
    }
  });
  process.send({ ready: true });
} catch (error) {
  process.send({ error: error.stack ?? error.message });
  process.exit(1);
}
