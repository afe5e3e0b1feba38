// Runs one execution in the worker: takes an isolate for the function version and its context,
// hands the execution to the prelude and turns what happened into an ExecutionOutcome. In a warm
// context (the module already loaded) that is one call into the isolate; in a fresh one, the
// prelude is told of the execution, the bundle's top-level code runs, then the handler is called.
// Limits end here too: a stop (timeout, CPU) or the memory limit disposes the isolate, and the
// outcome says which limit it was.
//
// The context stays for the next execution of the version unless: the execution was stopped, the
// top-level code threw, something it started was still pending at the end (timers, host calls,
// backend calls), or it ran out of memory. A context whose built-ins were changed is caught by the
// prelude before the next execution, which then runs in a fresh context; so is one whose secrets
// changed (IsolatePool.context).
//
// A warm execution first runs on the worker's own thread (two synchronous calls: `start`, `take`),
// which costs a fraction of a call through an isolated-vm thread. That attempt is bounded by
// SYNC_SLICE_MS and may not make backend calls, which need the worker's thread free to carry them
// to the server: an attempt that tries one, or runs out of its slice, is thrown away before
// anything of it left the worker (its host calls are queued callbacks that would arrive too late,
// its log lines are dropped) and the execution runs again in a fresh context on an isolated-vm
// thread, as every later execution of that version in this worker does (IsolatePool.isThreadOnly).
// A function that made a backend call once never tries the worker's thread again.
import {
  BREACHED,
  PENDING,
  type PreludeInput,
  type RunResult,
  STALE,
  type TakenResult,
} from "../prelude/contract.js";
import type { ExecutionJob, ExecutionOutcome } from "../types.js";
import type { BootedContext } from "./bootContext.js";
import type { BridgeClient } from "./bridgeClient.js";
import type { CpuWatch } from "./cpuWatch.js";
import { EntryGate } from "./entryGate.js";
import type { IsolatePool, PooledIsolate } from "./isolatePool.js";
import { RunningExecution } from "./runningExecution.js";
import { mapPositions } from "./sourceMaps.js";

const ARGS = { arguments: { copy: true } } as const;
const AWAIT_RESULT = { arguments: { copy: true }, result: { promise: true, copy: true } } as const;
const COPY_RESULT = { result: { copy: true } } as const;

/**
 * How long a warm execution may run on the worker's own thread before it is stopped and run again
 * on an isolated-vm thread. Meanwhile the worker's other executions wait, so it is short.
 */
export const SYNC_SLICE_MS = 20;
/** The attempt on the worker's thread must be thrown away: the execution runs again. */
const RETRY = Symbol("retry");

/** What ran: `loaded` is false when the bundle's top-level code threw (its error is the result). */
type Ran = { result: RunResult; loaded: boolean };

export class JobRunner {
  private readonly running = new Map<string, RunningExecution>();
  private readonly gate = new EntryGate();

  constructor(
    private readonly pool: IsolatePool,
    private readonly cpu: CpuWatch,
    private readonly bridge: BridgeClient,
  ) {}

  /** Stops a running execution (the host's wall clock ran out). */
  stop(executionId: string, message: string): void {
    this.running.get(executionId)?.stop({ status: "timeout", message });
  }

  async run(job: ExecutionJob): Promise<ExecutionOutcome> {
    const execution = new RunningExecution(job);
    this.running.set(job.executionId, execution);
    let pooled: PooledIsolate | undefined;
    let outcome: ExecutionOutcome;
    let reusable = false;
    let keepContext = false;
    try {
      // A warm execution on the worker's thread never awaits before it is done: the executions of
      // one batch of messages then take turns on one isolate instead of one isolate each.
      pooled =
        this.pool.takeWarm(job.fn.key, job.limits.memoryMb) ??
        (await this.pool.acquire(job.fn, job.limits.memoryMb));
      this.cpu.add(execution);
      const running = this.runIn(execution, pooled);
      const ran = running instanceof Promise ? await running : running;
      outcome = this.outcome(execution, ran.result);
      reusable = true;
      keepContext = ran.loaded && outcome.status !== "memory_limit";
    } catch (error) {
      outcome = this.failure(execution, error, pooled);
    }
    // Anything still pending would belong to an execution that has ended: the context goes.
    if (execution.hasPending() || this.bridge.hasPending(job.executionId)) keepContext = false;
    execution.end();
    this.cpu.remove(execution);
    this.running.delete(job.executionId);
    this.bridge.abandon(job.executionId);
    // Back to the pool at once: the next execution of the version may already be waiting in this
    // turn (a warm one can run without ever leaving it). What release() still has to do (a fresh
    // context, a spare) it leaves for after the outcome is on its way.
    if (pooled) this.pool.release(pooled, reusable && !execution.stopped, keepContext);
    return outcome;
  }

  /**
   * Runs the execution in the context of `pooled`; `loaded` is false when the bundle's top-level
   * code threw (its error is the result). Throws what went wrong on the host side (a disposed
   * isolate, the memory limit).
   */
  private runIn(execution: RunningExecution, pooled: PooledIsolate): Ran | Promise<Ran> {
    const { job } = execution;
    const input = preludeInput(job);
    const booted = this.pool.usableContext(pooled, job.env);
    if (booted?.loaded && fitsSlice(job) && !this.pool.isThreadOnly(job.fn.key)) {
      const ran = this.runOnWorkerThread(execution, pooled, booted, input);
      if (ran === RETRY) {
        this.pool.markThreadOnly(job.fn.key);
        this.pool.dropContext(pooled);
        execution.restart();
      } else if (ran === STALE) {
        this.pool.dropContext(pooled);
      } else if (ran instanceof Promise) {
        return ran.then((result) => ({ result, loaded: true }));
      } else {
        return { result: ran, loaded: true };
      }
    }
    return this.runOnThread(execution, pooled, input);
  }

  /** The execution on an isolated-vm thread, in the context of `pooled` (booted if need be). */
  private async runOnThread(
    execution: RunningExecution,
    pooled: PooledIsolate,
    input: PreludeInput,
  ): Promise<Ran> {
    const { job } = execution;
    let booted = await this.pool.context(pooled, job.env);
    if (booted.loaded) {
      const seq = this.enter(execution, pooled, booted);
      const result = (await this.gate.run(() =>
        booted.dispatch.apply(undefined, ["run", input, seq] as never, AWAIT_RESULT),
      )) as unknown as RunResult | typeof STALE;
      if (result !== STALE) return { result, loaded: true };
      // An earlier execution changed the built-ins: this one runs in a fresh context.
      this.pool.dropContext(pooled);
      booted = await this.pool.context(pooled, job.env);
    }
    const seq = this.enter(execution, pooled, booted);
    await booted.dispatch.apply(undefined, ["begin", input, seq] as never, ARGS);
    try {
      await pooled.script!.run(booted.context);
    } catch (error) {
      if (pooled.isolate.isDisposed) throw error;
      return { result: { kind: "error", ...describeHostError(error) }, loaded: false };
    }
    booted.loaded = true;
    booted.env = job.env;
    const result = (await booted.dispatch.apply(
      undefined,
      ["invoke"] as never,
      AWAIT_RESULT,
    )) as unknown as RunResult;
    return { result, loaded: true };
  }

  /**
   * `start` + `take` on the worker's thread: the result, or a promise of it when the execution
   * waits on something (a timer, a fetch), or RETRY / STALE. Throws when the isolate is gone.
   */
  private runOnWorkerThread(
    execution: RunningExecution,
    pooled: PooledIsolate,
    booted: BootedContext,
    input: PreludeInput,
  ): RunResult | Promise<RunResult> | typeof RETRY | typeof STALE {
    const seq = this.enter(execution, pooled, booted);
    let started: unknown;
    try {
      started = booted.dispatch.applySync(undefined, ["start", input, seq] as never, {
        arguments: { copy: true },
        timeout: SYNC_SLICE_MS,
      });
    } catch (error) {
      if (pooled.isolate.isDisposed || !/timed out/i.test((error as Error)?.message ?? "")) throw error;
      return RETRY;
    }
    if (started === STALE) return STALE;
    const taken = booted.dispatch.applySync(undefined, ["take"] as never, COPY_RESULT) as unknown as
      TakenResult | typeof PENDING | typeof BREACHED;
    if (taken === BREACHED) return RETRY;
    if (taken !== PENDING) {
      if (taken.leftPending) execution.leftPending = true;
      return taken;
    }
    return this.gate.run(
      () =>
        booted.dispatch.apply(undefined, ["wait"] as never, AWAIT_RESULT) as unknown as Promise<RunResult>,
    );
  }

  /** Puts `execution` in the slot of `booted`; answers its number there. */
  private enter(execution: RunningExecution, pooled: PooledIsolate, booted: BootedContext): number {
    const seq = ++booted.slot.seq;
    booted.slot.execution = execution;
    execution.attach(pooled.isolate, booted.dispatch, seq);
    return seq;
  }

  private base(execution: RunningExecution): Pick<ExecutionOutcome, "logs" | "logsTruncated" | "durationMs"> {
    const { fn } = execution.job;
    return {
      logs: fn.sourceMap
        ? execution.logs.lines.map((line) => ({ ...line, message: mapPositions(line.message, fn) }))
        : execution.logs.lines,
      logsTruncated: execution.logs.truncated,
      durationMs: Math.round((performance.now() - execution.startedAt) * 1000) / 1000,
    };
  }

  private outcome(execution: RunningExecution, result: RunResult): ExecutionOutcome {
    const base = this.base(execution);
    const max = execution.job.limits.maxResultBytes;
    switch (result.kind) {
      case "value": {
        if (result.json === undefined) return { status: "success", ...base, resultSize: 0 };
        const size = Buffer.byteLength(result.json);
        if (size > max) {
          return {
            status: "too_large",
            error: { message: `The result is too large: ${size} bytes, over the limit of ${max} bytes` },
            ...base,
            resultSize: size,
          };
        }
        return { status: "success", result: JSON.parse(result.json), ...base, resultSize: size };
      }
      case "response": {
        const response = { status: result.status, headers: result.headers, body: result.body };
        const size = result.body.byteLength;
        if (result.status >= 400) {
          return {
            status: "error",
            error: { message: `The function answered with HTTP ${result.status}` },
            response,
            ...base,
            resultSize: size,
          };
        }
        return { status: "success", response, ...base, resultSize: size };
      }
      case "too_large":
        return { status: "too_large", error: { message: result.message }, ...base, resultSize: 0 };
      case "error":
        result = {
          ...result,
          ...(result.stack ? { stack: mapPositions(result.stack, execution.job.fn) } : {}),
        };
        if (/Array buffer allocation failed/.test(result.message)) {
          const { memoryMb } = execution.job.limits;
          return {
            status: "memory_limit",
            error: { message: `Memory limit of ${memoryMb} MB exceeded (an ArrayBuffer allocation failed)` },
            ...base,
            resultSize: 0,
          };
        }
        return {
          status: "error",
          error: { message: result.message, ...(result.stack ? { stack: result.stack } : {}) },
          ...base,
          resultSize: 0,
        };
    }
  }

  private failure(
    execution: RunningExecution,
    error: unknown,
    pooled: PooledIsolate | undefined,
  ): ExecutionOutcome {
    const base = { ...this.base(execution), resultSize: 0 };
    if (execution.stopped) {
      return { status: execution.stopped.status, error: { message: execution.stopped.message }, ...base };
    }
    const message = error instanceof Error ? error.message : String(error);
    if (/memory limit/i.test(message) || (pooled?.isolate.isDisposed && /disposed/i.test(message))) {
      return {
        status: "memory_limit",
        error: { message: `Memory limit of ${execution.job.limits.memoryMb} MB exceeded` },
        ...base,
      };
    }
    if (!pooled) {
      // The bundle did not compile (a syntax error that slipped past deploy, or a corrupt bundle).
      return {
        status: "error",
        error: { message: `The function's code could not be loaded: ${message}` },
        ...base,
      };
    }
    const described = describeHostError(error);
    if (described.stack) described.stack = mapPositions(described.stack, execution.job.fn);
    return { status: "error", error: described, ...base };
  }
}

/** Limits shorter than the slice would end the attempt as a retry rather than as what they are. */
function fitsSlice(job: ExecutionJob): boolean {
  return job.limits.timeoutMs > SYNC_SLICE_MS && (job.limits.cpuMs ?? Infinity) > SYNC_SLICE_MS;
}

function preludeInput(job: ExecutionJob): PreludeInput {
  const { input, fn, limits } = job;
  return {
    executionId: job.executionId,
    functionName: fn.name,
    form: fn.form,
    trigger: input.trigger,
    ...(input.payload !== undefined ? { payload: input.payload } : {}),
    ...(input.request ? { request: input.request } : {}),
    ...(input.event ? { event: input.event } : {}),
    ...(input.schedule ? { schedule: input.schedule } : {}),
    caller: input.caller,
    env: job.env,
    maxLogBytes: limits.maxLogBytes,
    maxResultBytes: limits.maxResultBytes,
  };
}

/**
 * An error that crossed out of the isolate (a throw in the bundle's top-level code). isolated-vm
 * appends the worker's own frames after "<isolated-vm boundary>"; those are cut off.
 */
function describeHostError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) {
    const name = error.name && error.name !== "Error" ? `${error.name}: ` : "";
    const stack = typeof error.stack === "string" ? cutAtBoundary(error.stack) : undefined;
    return { message: `${name}${error.message}`, ...(stack ? { stack } : {}) };
  }
  let shown: string;
  try {
    shown = typeof error === "string" ? JSON.stringify(error) : (JSON.stringify(error) ?? String(error));
  } catch {
    shown = String(error);
  }
  return { message: `The function threw a non-Error value: ${shown}` };
}

function cutAtBoundary(stack: string): string {
  const lines = stack.split("\n");
  const end = lines.findIndex((line) => line.includes("<isolated-vm boundary>"));
  return (end >= 0 ? lines.slice(0, end) : lines).join("\n");
}
