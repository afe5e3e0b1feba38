// One execution inside the worker: its logs, its host timers and host calls, and how it was
// stopped. Stopping disposes the execution's isolate, which ends any code running in it at once
// (loops, awaits, a pending backend call) — that is why an isolate serves one execution at a time.
// What is still pending when the execution ends (timers, host calls) is cancelled, and tells the
// worker not to reuse the context for the next execution.
import type ivm from "isolated-vm";
import type { Dispatcher } from "../prelude/contract.js";
import type { ExecutionJob, ExecutionStatus } from "../types.js";
import { hostAsyncCall } from "./hostCalls.js";
import { LogBuffer } from "./logBuffer.js";

/** Host timers per execution, a little above the prelude's own limit. */
const MAX_HOST_TIMERS = 10_050;

export interface StopReason {
  status: Extract<ExecutionStatus, "timeout" | "cpu_limit">;
  message: string;
}

export class RunningExecution {
  readonly logs: LogBuffer;
  readonly startedAt = performance.now();
  stopped: StopReason | undefined;
  ended = false;
  private isolate: ivm.Isolate | undefined;
  private cpuStart = 0n;
  private dispatch: ivm.Reference<Dispatcher> | undefined;
  /** The execution's number in its context (host callbacks and deliveries carry it). */
  private seq = 0;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private hostCallsInFlight = 0;
  /** Created with the first host call: most executions make none. */
  private abort: AbortController | undefined;

  constructor(readonly job: ExecutionJob) {
    this.logs = new LogBuffer(job.limits.maxLogBytes);
  }

  get id(): string {
    return this.job.executionId;
  }

  get cpuLimitMs(): number {
    return this.job.limits.cpuMs ?? this.job.limits.timeoutMs;
  }

  /**
   * The execution now runs in `isolate`, as number `seq` of the context behind `dispatch` (again,
   * in a fresh context of the same isolate, when the warm one turned out stale). A stop that came
   * earlier takes effect right away.
   */
  attach(isolate: ivm.Isolate, dispatch: ivm.Reference<Dispatcher>, seq: number): void {
    if (this.isolate !== isolate) this.cpuStart = isolate.cpuTime;
    this.isolate = isolate;
    this.dispatch = dispatch;
    this.seq = seq;
    if (this.stopped) this.disposeIsolate();
  }

  cpuUsedMs(): number {
    try {
      return this.isolate ? Number(this.isolate.cpuTime - this.cpuStart) / 1e6 : 0;
    } catch {
      return 0;
    }
  }

  stop(reason: StopReason): void {
    if (this.ended || this.stopped) return;
    this.stopped = reason;
    this.disposeIsolate();
  }

  private disposeIsolate(): void {
    try {
      if (this.isolate && !this.isolate.isDisposed) this.isolate.dispose();
    } catch {
      // Already gone.
    }
  }

  setTimer(id: number, ms: number): void {
    if (this.ended || this.timers.size >= MAX_HOST_TIMERS) return;
    clearTimeout(this.timers.get(id));
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        this.deliver(["fire", id, this.seq]);
      }, ms),
    );
  }

  clearTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  /** Runs an async host function and settles the isolate's promise with its envelope. */
  hostCall(opId: number, name: unknown, args: unknown[]): void {
    if (this.ended) return;
    this.abort ??= new AbortController();
    const ctx = { fetchPolicy: this.job.fetch, signal: this.abort.signal };
    this.hostCallsInFlight++;
    void hostAsyncCall(ctx, name, args).then((envelope) => {
      this.hostCallsInFlight--;
      this.deliver(["settle", opId, envelope, this.seq]);
    });
  }

  /** Hands a fired timer or a settled host call to the prelude. */
  private deliver(message: ["fire", number, number] | ["settle", number, unknown, number]): void {
    if (this.ended || !this.dispatch) return;
    try {
      this.dispatch.applyIgnored(undefined, message as never, { arguments: { copy: true } });
    } catch {
      // The isolate is gone; the execution is ending.
    }
  }

  /**
   * The attempt so far is thrown away and the execution starts over (runJob.ts): its log lines and
   * timers go. Its host calls never started: they were queued callbacks of a dropped context.
   */
  restart(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.logs.clear();
  }

  /** Set when the prelude reports host calls the worker has not seen yet (runJob.ts). */
  leftPending = false;

  /** Timers or host calls (fetch, digest ...) the function left running. */
  hasPending(): boolean {
    return this.leftPending || this.timers.size > 0 || this.hostCallsInFlight > 0;
  }

  /** Ends everything the execution started on the host: timers, fetches. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.abort?.abort();
  }
}
