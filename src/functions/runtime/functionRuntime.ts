// The function runtime as the server sees it: a pool of sandbox worker processes that run
// executions in V8 isolates. It picks a worker per execution (the one already warm for that
// function version, else the least busy), replaces a worker that dies (its executions end as
// "crashed", every other keeps running), and recycles workers after a number of executions or
// when their memory passes the mark. `prepare` gets a version ready on its worker before its first
// call. It knows nothing of HTTP or SQL: a job, a bridge, an outcome.
import type { Logger } from "pino";
import { describeExit, hostOutcome } from "./outcomes.js";
import type { WorkerSettings } from "./protocol.js";
import { type PendingExecution, SandboxWorker } from "./sandboxWorker.js";
import type { BridgeHandler, ExecutionJob, ExecutionOutcome, FunctionCode } from "./types.js";
import { resolveWorkerPath } from "./workerProcess.js";

export interface FunctionRuntimeOptions {
  workers: number;
  recycleAfter: number;
  workerMaxRssMb: number;
  idleEvictMs: number;
  log: Logger;
  /** Warm isolates kept per worker at most (default 200). */
  maxWarmIsolates?: number;
  /** Pre-built isolates per worker waiting for first calls (default 2). */
  spareIsolates?: number;
}

/** A function version stays on the worker that has it warm unless that one is this much busier. */
const STICKY_SLACK = 2;
/** The isolate memory of a prepared version when the caller does not say (functions.memoryMb's default). */
const DEFAULT_MEMORY_MB = 128;

export interface WorkerStats {
  pid: number;
  warmKeys: string[];
  spares: number;
}

export class FunctionRuntime {
  private readonly workers: SandboxWorker[] = [];
  private readonly sticky = new Map<string, { worker: SandboxWorker; until: number }>();
  private readonly settings: WorkerSettings;
  private readonly workerPath: string | undefined;
  /** Where the next tie between equally busy workers starts (see pick). */
  private turn = 0;
  private started = false;
  private closed = false;
  private startupFailures = 0;
  private readonly waitingForWorker: PendingExecution[] = [];
  private respawnTimer: NodeJS.Timeout | undefined;

  constructor(readonly options: FunctionRuntimeOptions) {
    this.settings = {
      idleEvictMs: options.idleEvictMs,
      maxWarmIsolates: options.maxWarmIsolates ?? 200,
      spareIsolates: options.spareIsolates ?? 2,
    };
    this.workerPath = resolveWorkerPath();
  }

  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    if (!this.workerPath) {
      this.options.log.error(
        "The sandbox worker is not built (dist/functions/runtime/worker/main.js); run npm run build",
      );
      return;
    }
    for (let i = 0; i < this.options.workers; i++) this.spawn();
  }

  /** Runs one execution; never rejects: every failure is an outcome with a status and message. */
  execute(job: ExecutionJob, bridge: BridgeHandler): Promise<ExecutionOutcome> {
    if (this.closed) return Promise.resolve(hostOutcome("crashed", "The function runtime is shut down", 0));
    if (!this.workerPath) {
      return Promise.resolve(
        hostOutcome(
          "error",
          "The function runtime is not built: run `npm run build` (dist/functions/runtime/worker)",
          0,
        ),
      );
    }
    this.start();
    return new Promise((resolve) => this.dispatch({ job, bridge, resolve }));
  }

  /**
   * Gets a function version ready before its first call (after a deploy or a rollback): the worker
   * that will run it compiles it and keeps an isolate with a context booted for it. Its top-level
   * code does not run (that belongs to the first execution). A call that comes meanwhile waits for
   * the preparation rather than doing the same work again. Never rejects: a failure is logged at
   * debug level, and the first call reports it.
   */
  async prepare(fn: FunctionCode, options: { memoryMb?: number } = {}): Promise<void> {
    if (this.closed || !this.workerPath) return;
    this.start();
    const worker = this.pick(fn.key);
    if (!worker) return;
    const error = await worker.prepare(fn, options.memoryMb ?? DEFAULT_MEMORY_MB);
    if (error) this.options.log.debug({ function: fn.key, error }, "could not prepare a function version");
  }

  /** Process ids of the live sandbox workers (tests kill them to prove crash handling). */
  workerPids(): number[] {
    return this.workers.filter((w) => !w.exited && w.pid !== undefined).map((w) => w.pid!);
  }

  /** The warm isolates of every ready worker. */
  async stats(): Promise<WorkerStats[]> {
    const all = await Promise.all(this.workers.map(async (w) => ({ w, s: await w.stats() })));
    return all.flatMap(({ w, s }) =>
      s && w.pid ? [{ pid: w.pid, warmKeys: s.warmKeys, spares: s.spares }] : [],
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.respawnTimer);
    for (const pending of this.waitingForWorker.splice(0)) {
      pending.resolve(
        hostOutcome("crashed", "The function runtime shut down before the execution started", 0),
      );
    }
    const exits = this.workers.map(
      (w) => new Promise<void>((resolve) => (w.exited ? resolve() : w.child.once("exit", () => resolve()))),
    );
    for (const w of this.workers) {
      w.failInFlight((p) =>
        hostOutcome("crashed", "The function runtime shut down during the execution", elapsed(p)),
      );
      w.kill("SIGKILL");
    }
    await Promise.all(exits);
  }

  private spawn(): SandboxWorker | undefined {
    if (this.closed || !this.workerPath) return undefined;
    const worker = new SandboxWorker(
      this.workerPath,
      this.settings,
      {
        ready: () => this.onReady(),
        result: (w) => this.maybeRecycle(w),
        exit: (w, code, signal, unsent) => this.onExit(w, code, signal, unsent),
      },
      this.options.log,
    );
    this.workers.push(worker);
    return worker;
  }

  /** Starts workers until the pool has its size again (draining ones do not count). */
  private fillPool(): void {
    while (!this.closed && this.workers.filter((w) => !w.draining).length < this.options.workers) {
      if (!this.spawn()) return;
    }
  }

  private dispatch(pending: PendingExecution): void {
    const worker = this.pick(pending.job.fn.key);
    if (!worker) {
      this.waitingForWorker.push(pending);
      return;
    }
    worker.assign(pending);
    if (worker.dispatched >= this.options.recycleAfter) this.drain(worker);
  }

  private pick(key: string): SandboxWorker | undefined {
    const live = this.workers.filter((w) => !w.exited && !w.stopping);
    // Ready workers first. A draining one still serves while its replacement starts (a pool of one
    // worker would otherwise stall at every recycle); with neither, a starting worker queues it.
    let usable = live.filter((w) => w.ready && !w.draining);
    if (usable.length === 0) usable = live.filter((w) => w.ready);
    if (usable.length === 0) usable = live.filter((w) => !w.draining);
    if (usable.length === 0) return undefined;
    // Ties go round the workers, so versions new to the pool spread over all of them.
    const offset = this.turn++ % usable.length;
    let least = usable[offset]!;
    for (let i = 1; i < usable.length; i++) {
      const w = usable[(offset + i) % usable.length]!;
      if (w.load < least.load) least = w;
    }
    const now = Date.now();
    const warm = this.sticky.get(key);
    const chosen =
      warm &&
      warm.until > now &&
      usable.includes(warm.worker) &&
      warm.worker.load <= least.load + STICKY_SLACK
        ? warm.worker
        : least;
    this.sticky.set(key, { worker: chosen, until: now + this.options.idleEvictMs });
    return chosen;
  }

  private onReady(): void {
    this.startupFailures = 0;
    this.stopIdleDrained();
    for (const pending of this.waitingForWorker.splice(0)) this.dispatch(pending);
  }

  /** Draining workers with nothing left to do stop, once a worker that is not draining is ready. */
  private stopIdleDrained(): void {
    if (!this.workers.some((w) => w.ready && !w.draining && !w.stopping)) return;
    for (const w of this.workers) if (w.draining && !w.stopping && w.load === 0) w.kill("SIGTERM");
  }

  private maybeRecycle(worker: SandboxWorker): void {
    const overMemory = worker.rssBytes > this.options.workerMaxRssMb * 1024 * 1024;
    if (!worker.draining && (overMemory || worker.dispatched >= this.options.recycleAfter)) {
      this.options.log.info(
        { pid: worker.pid, executions: worker.dispatched, rssMb: Math.round(worker.rssBytes / 1048576) },
        "recycling sandbox worker",
      );
      this.drain(worker);
    }
    if (worker.draining) this.stopIdleDrained();
  }

  /**
   * A replacement for `worker` starts now; once it is ready, `worker` gets no new work and stops
   * when its executions have finished.
   */
  private drain(worker: SandboxWorker): void {
    if (worker.draining) return;
    worker.draining = true;
    this.fillPool();
    this.stopIdleDrained();
  }

  private onExit(
    worker: SandboxWorker,
    code: number | null,
    signal: NodeJS.Signals | null,
    unsent: PendingExecution[],
  ): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    for (const [key, entry] of this.sticky) if (entry.worker === worker) this.sticky.delete(key);
    if (this.closed) return;

    const how = describeExit(code, signal);
    const message = `The sandbox worker stopped during the execution (${how})`;
    if (worker.inFlight.size > 0 || !worker.draining) {
      this.options.log.warn(
        { pid: worker.pid, code, signal, inFlight: worker.inFlight.size },
        "sandbox worker stopped",
      );
    }
    worker.failInFlight((p) => hostOutcome("crashed", message, elapsed(p)));

    if (!worker.ready) this.startupFailures++;
    if (this.startupFailures === 0) this.fillPool();
    else this.respawnLater();
    if (this.startupFailures >= 3) {
      for (const pending of [...unsent, ...this.waitingForWorker.splice(0)]) {
        pending.resolve(
          hostOutcome("crashed", `The sandbox worker could not start (${how}); see the server log`, 0),
        );
      }
      return;
    }
    for (const pending of unsent) this.dispatch(pending);
  }

  /** Workers that die before they are ready are restarted with a growing delay, not in a hot loop. */
  private respawnLater(): void {
    if (this.respawnTimer) return;
    const delay = Math.min(30_000, 250 * 2 ** Math.min(this.startupFailures, 7));
    this.respawnTimer = setTimeout(() => {
      this.respawnTimer = undefined;
      this.fillPool();
    }, delay);
    this.respawnTimer.unref();
  }
}

function elapsed(pending: PendingExecution): number {
  return pending.sentAt === undefined ? 0 : performance.now() - pending.sentAt;
}
