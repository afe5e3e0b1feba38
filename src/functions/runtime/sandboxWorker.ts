// The server's handle on one sandbox worker process: forks it, sends it executions once it is
// ready, answers its bridge calls, and enforces wall time — at the deadline the worker is told to
// stop the execution (it disposes the isolate), and if it does not answer within a grace period the
// process is killed, so no call ever waits on a stuck worker. A function version's code is sent to
// the worker once: later jobs for the same fn.key go without it (the worker asks again if it had
// to let it go).
import { type ChildProcess, fork } from "node:child_process";
import type { Logger } from "pino";
import { hostOutcome } from "./outcomes.js";
import { Outbox } from "./outbox.js";
import type {
  HostToWorker,
  SentJob,
  StatsMessage,
  WorkerSettings,
  WorkerToHost,
  WorkerToHostWire,
} from "./protocol.js";
import type { BridgeHandler, ExecutionJob, ExecutionOutcome, FunctionCode } from "./types.js";
import { inputToWire, IPC_SERIALIZATION, outcomeFromWire } from "./wire.js";
import { workerEnv } from "./workerProcess.js";

/** How long a worker has to answer after being told to stop an execution. */
export const STOP_GRACE_MS = 2_000;
/** How long a prepare may take before the server stops waiting for its answer. */
const PREPARE_TIMEOUT_MS = 30_000;
/** Function versions remembered as sent to the worker (the worker holds fewer: it asks). */
const MAX_SENT_KEYS = 4_096;

export interface PendingExecution {
  job: ExecutionJob;
  bridge: BridgeHandler;
  resolve(outcome: ExecutionOutcome): void;
  sentAt?: number;
  deadline?: NodeJS.Timeout;
  grace?: NodeJS.Timeout;
}

export interface SandboxWorkerEvents {
  ready(worker: SandboxWorker): void;
  result(worker: SandboxWorker): void;
  /** The process is gone; `unsent` are executions it never started (safe to run elsewhere). */
  exit(
    worker: SandboxWorker,
    code: number | null,
    signal: NodeJS.Signals | null,
    unsent: PendingExecution[],
  ): void;
}

export class SandboxWorker {
  readonly child: ChildProcess;
  ready = false;
  exited = false;
  /** No new work; replaced once its executions finish. */
  draining = false;
  /** Told to stop (killed): it gets no more work, whether or not it has exited yet. */
  stopping = false;
  /** Executions sent to this worker so far (for recycling). */
  dispatched = 0;
  rssBytes = 0;
  readonly inFlight = new Map<string, PendingExecution>();
  private unsent: PendingExecution[] = [];
  private nextRequestId = 1;
  private readonly statsWaiters = new Map<number, (stats: StatsMessage | undefined) => void>();
  private readonly prepareWaiters = new Map<number, (error: string | undefined) => void>();
  /** Prepares asked for before the worker was ready. */
  private unsentPrepares: (() => void)[] = [];
  /** fn.key of the versions whose code the worker was sent, oldest first. */
  private readonly sentKeys = new Set<string>();
  /** What this turn sends the worker, written once the turn is done. */
  private readonly outbox = new Outbox<HostToWorker>(
    (batch) => {
      if (!this.exited && this.child.connected) this.child.send(batch);
    },
    (message) => this.sendNow(message),
    setImmediate,
  );

  constructor(
    path: string,
    settings: WorkerSettings,
    private readonly events: SandboxWorkerEvents,
    private readonly log: Logger,
  ) {
    this.child = fork(path, [JSON.stringify(settings)], {
      execArgv: ["--no-node-snapshot"],
      serialization: IPC_SERIALIZATION,
      env: workerEnv(),
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.child.on("message", (wire: WorkerToHostWire) => {
      if (wire.type !== "batch") this.onMessage(wire);
      else for (const message of wire.messages) this.onMessage(message);
    });
    this.child.on("error", (error) =>
      this.log.warn({ err: error, pid: this.child.pid }, "sandbox worker error"),
    );
    this.child.on("exit", (code, signal) => this.onExit(code, signal));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Executions sent or waiting: what "least busy" compares. */
  get load(): number {
    return this.inFlight.size + this.unsent.length;
  }

  assign(pending: PendingExecution): void {
    if (this.ready) this.start(pending);
    else this.unsent.push(pending);
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.stopping = true;
    if (this.exited) return;
    try {
      this.child.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /**
   * Gets `fn` ready on this worker before its first call; answers the worker's error, if any.
   * Never rejects (a worker that exits or does not answer in time counts as an error).
   */
  prepare(fn: FunctionCode, memoryMb: number): Promise<string | undefined> {
    if (this.exited) return Promise.resolve("The sandbox worker has stopped");
    return new Promise((resolve) => {
      const requestId = this.nextRequestId++;
      const timer = setTimeout(() => settle("The sandbox worker did not answer in time"), PREPARE_TIMEOUT_MS);
      const settle = (error: string | undefined) => {
        clearTimeout(timer);
        this.prepareWaiters.delete(requestId);
        resolve(error);
      };
      this.prepareWaiters.set(requestId, settle);
      const sendIt = () => {
        this.noteSent(fn.key);
        this.send({ type: "prepare", requestId, fn, memoryMb });
      };
      if (this.ready) sendIt();
      else this.unsentPrepares.push(sendIt);
    });
  }

  /** The warm isolates of this worker; undefined when it does not answer quickly. */
  stats(timeoutMs = 2_000): Promise<StatsMessage | undefined> {
    if (!this.ready || this.exited) return Promise.resolve(undefined);
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.statsWaiters.delete(requestId);
        resolve(undefined);
      }, timeoutMs);
      this.statsWaiters.set(requestId, (stats) => {
        clearTimeout(timer);
        resolve(stats);
      });
      this.send({ type: "stats", requestId });
    });
  }

  private start(pending: PendingExecution): void {
    const { job } = pending;
    this.inFlight.set(job.executionId, pending);
    this.dispatched++;
    pending.sentAt = performance.now();
    pending.deadline = setTimeout(() => this.onDeadline(pending), job.limits.timeoutMs);
    this.send({ type: "execute", job: sentJob(job, !this.sentKeys.has(job.fn.key)) });
    this.noteSent(job.fn.key);
  }

  private noteSent(key: string): void {
    this.sentKeys.delete(key);
    this.sentKeys.add(key);
    if (this.sentKeys.size > MAX_SENT_KEYS) this.sentKeys.delete(this.sentKeys.values().next().value!);
  }

  private onDeadline(pending: PendingExecution): void {
    const { job } = pending;
    const message = `Timed out after ${job.limits.timeoutMs} ms`;
    this.send({ type: "abort", executionId: job.executionId, reason: "timeout", message });
    pending.grace = setTimeout(() => {
      if (!this.inFlight.has(job.executionId)) return;
      this.log.warn(
        { pid: this.pid, executionId: job.executionId },
        "sandbox worker did not stop a timed-out execution; killing it",
      );
      this.finish(pending, hostOutcome("timeout", message, performance.now() - (pending.sentAt ?? 0)));
      this.kill("SIGKILL");
    }, STOP_GRACE_MS);
  }

  private finish(pending: PendingExecution, outcome: ExecutionOutcome): void {
    if (!this.inFlight.delete(pending.job.executionId)) return;
    clearTimeout(pending.deadline);
    clearTimeout(pending.grace);
    pending.resolve(outcome);
  }

  private onMessage(message: WorkerToHost): void {
    switch (message.type) {
      case "ready": {
        this.ready = true;
        const waiting = this.unsent.splice(0);
        this.events.ready(this);
        for (const sendIt of this.unsentPrepares.splice(0)) sendIt();
        for (const pending of waiting) this.start(pending);
        return;
      }
      case "need-code": {
        const pending = this.inFlight.get(message.executionId);
        if (!pending) return;
        this.noteSent(pending.job.fn.key);
        this.send({ type: "execute", job: sentJob(pending.job, true) });
        return;
      }
      case "prepared": {
        this.prepareWaiters.get(message.requestId)?.(message.error);
        return;
      }
      case "result": {
        const pending = this.inFlight.get(message.executionId);
        this.rssBytes = message.rssBytes;
        if (pending) this.finish(pending, outcomeFromWire(message.outcome));
        this.events.result(this);
        return;
      }
      case "bridge": {
        void this.runBridge(message.executionId, message.callId, message.op, message.args, message.as);
        return;
      }
      case "stats": {
        this.statsWaiters.get(message.requestId)?.(message);
        this.statsWaiters.delete(message.requestId);
        return;
      }
    }
  }

  private async runBridge(
    executionId: string,
    callId: number,
    op: string,
    args: unknown[],
    as: "service" | "caller",
  ): Promise<void> {
    const pending = this.inFlight.get(executionId);
    if (!pending) {
      this.send({
        type: "bridge-result",
        executionId,
        callId,
        ok: false,
        error: { message: "The execution has ended" },
      });
      return;
    }
    try {
      const value = await pending.bridge(
        op,
        Array.isArray(args) ? args : [],
        as === "caller" ? "caller" : "service",
      );
      this.send({ type: "bridge-result", executionId, callId, ok: true, value });
    } catch (error) {
      const e = error as { message?: unknown; code?: unknown };
      const message = typeof e?.message === "string" ? e.message : String(error);
      const code = typeof e?.code === "string" ? e.code : undefined;
      this.send({
        type: "bridge-result",
        executionId,
        callId,
        ok: false,
        error: { message, ...(code ? { code } : {}) },
      });
    }
  }

  private send(message: HostToWorker): void {
    if (this.exited || !this.child.connected) return;
    this.outbox.push(message);
  }

  private sendNow(message: HostToWorker): void {
    if (this.exited || !this.child.connected) return;
    try {
      this.child.send(message, (error) => {
        if (!error) return;
        // A value JSON cannot hold (a BigInt, a cycle in a bridge answer) must still get an answer.
        if (message.type === "bridge-result" && message.ok) {
          this.sendNow({
            ...message,
            ok: false,
            value: undefined,
            error: { message: `The answer could not be sent: ${error.message}` },
          });
        }
      });
    } catch (error) {
      if (message.type === "bridge-result" && message.ok) {
        this.sendNow({
          ...message,
          ok: false,
          value: undefined,
          error: { message: `The answer could not be sent: ${(error as Error).message}` },
        });
      }
    }
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = true;
    for (const waiter of this.statsWaiters.values()) waiter(undefined);
    this.statsWaiters.clear();
    for (const waiter of [...this.prepareWaiters.values()]) waiter("The sandbox worker has stopped");
    this.unsentPrepares = [];
    const unsent = this.unsent.splice(0);
    this.events.exit(this, code, signal, unsent);
  }

  /** Resolves every execution sent to this worker with `outcome(pending)`. */
  failInFlight(outcome: (pending: PendingExecution) => ExecutionOutcome): void {
    for (const pending of [...this.inFlight.values()]) this.finish(pending, outcome(pending));
  }
}

/** The job as it crosses: without its bundle and source map for a worker that has them already. */
function sentJob(job: ExecutionJob, withCode: boolean): SentJob {
  const input = inputToWire(job.input);
  if (withCode) return { ...job, input };
  const { code: _code, sourceMap: _sourceMap, ...fn } = job.fn;
  return { ...job, fn, input };
}
