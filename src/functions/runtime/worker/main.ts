// The sandbox worker process, forked by FunctionRuntime with --no-node-snapshot and a scrubbed
// environment: it holds no database connection, no secrets key and no sessions. It runs executions
// in isolates and reaches the server only through its IPC channel (protocol.ts).
import { Outbox } from "../outbox.js";
import type {
  ExecuteMessage,
  HostToWorker,
  HostToWorkerWire,
  PrepareMessage,
  WorkerSettings,
  WorkerToHost,
} from "../protocol.js";
import type { ExecutionJob } from "../types.js";
import { inputFromWire, outcomeToWire } from "../wire.js";
import { BridgeClient } from "./bridgeClient.js";
import { CodeStore } from "./codeStore.js";
import { CpuWatch } from "./cpuWatch.js";
import { IsolatePool } from "./isolatePool.js";
import { loadPrelude } from "./preludeSource.js";
import { JobRunner } from "./runJob.js";

/** What is sent to the server at one moment, written as one (outbox.ts). */
const outbox = new Outbox<WorkerToHost>(
  (batch) => {
    if (process.send && process.connected) process.send(batch);
  },
  (message) => sendNow(message),
  queueMicrotask,
);

function send(message: WorkerToHost): void {
  outbox.push(message);
}

function sendNow(message: WorkerToHost): void {
  if (!process.send || !process.connected) return;
  try {
    process.send(message);
  } catch (error) {
    // An outcome that cannot be sent still has to reach the server, as an error it can record.
    if (message.type !== "result") return;
    const reason = error instanceof Error ? error.message : String(error);
    try {
      process.send({
        ...message,
        outcome: {
          ...message.outcome,
          status: "error",
          result: undefined,
          response: undefined,
          error: { message: `The outcome could not be sent to the server: ${reason}` },
        },
      });
    } catch {
      // The channel is gone; the server sees the worker exit.
    }
  }
}

/** Resident memory, read at most every RSS_EVERY_MS: reading it costs more than a warm execution's bookkeeping. */
const RSS_EVERY_MS = 100;
let rss = { bytes: 0, at: -Infinity };
function residentBytes(): number {
  const now = performance.now();
  if (now - rss.at >= RSS_EVERY_MS) rss = { bytes: process.memoryUsage.rss(), at: now };
  return rss.bytes;
}

function settingsFromArgs(): WorkerSettings {
  const given = JSON.parse(process.argv[2] ?? "{}") as Partial<WorkerSettings>;
  return {
    idleEvictMs: given.idleEvictMs ?? 5 * 60_000,
    maxWarmIsolates: given.maxWarmIsolates ?? 200,
    spareIsolates: given.spareIsolates ?? 2,
  };
}

async function main(): Promise<void> {
  // The server going away (or closing the channel) ends the worker.
  process.on("disconnect", () => process.exit(0));
  const settings = settingsFromArgs();
  const bridge = new BridgeClient(send);
  const pool = new IsolatePool(await loadPrelude(), settings, bridge);
  const runner = new JobRunner(pool, new CpuWatch(), bridge);
  const codes = new CodeStore();

  const execute = ({ job }: ExecuteMessage) => {
    if (job.fn.code === undefined) {
      if (!codes.fill(job.fn)) {
        send({ type: "need-code", executionId: job.executionId });
        return;
      }
    } else {
      codes.keep(job.fn as ExecutionJob["fn"]);
    }
    const received = { ...job, input: inputFromWire(job.input) } as ExecutionJob;
    void runner.run(received).then((outcome) => {
      send({
        type: "result",
        executionId: job.executionId,
        outcome: outcomeToWire(outcome),
        rssBytes: residentBytes(),
      });
    });
  };

  const prepare = ({ requestId, fn, memoryMb }: PrepareMessage) => {
    codes.keep(fn);
    pool.prepare(fn, memoryMb).then(
      () => send({ type: "prepared", requestId }),
      (error: unknown) =>
        send({ type: "prepared", requestId, error: error instanceof Error ? error.message : String(error) }),
    );
  };

  const onMessage = (message: HostToWorker) => {
    switch (message.type) {
      case "execute":
        execute(message);
        break;
      case "prepare":
        prepare(message);
        break;
      case "bridge-result":
        bridge.settle(message);
        break;
      case "abort":
        runner.stop(message.executionId, message.message);
        break;
      case "stats":
        send({
          type: "stats",
          requestId: message.requestId,
          warmKeys: pool.warmKeys(),
          spares: pool.spareCount,
        });
        break;
    }
  };
  process.on("message", (wire: HostToWorkerWire) => {
    if (wire.type !== "batch") onMessage(wire);
    else for (const message of wire.messages) onMessage(message);
  });
  await pool.start();
  send({ type: "ready" });
}

main().catch((error) => {
  process.stderr.write(`sandbox worker failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
