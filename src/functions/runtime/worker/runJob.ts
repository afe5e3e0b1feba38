// Runs one execution in the worker: takes an isolate for the function version, boots/gets its
// context, hands the execution to the prelude, runs the bundle's top-level code, calls the handler,
// and turns what happened into an ExecutionOutcome. Limits end here too: a stop (timeout, CPU) or
// the memory limit disposes the isolate, and the outcome says which limit it was.
import type { PreludeInput, RunResult } from "../prelude/contract.js";
import type { ExecutionJob, ExecutionOutcome } from "../types.js";
import { type BootedContext, releaseContext } from "./bootContext.js";
import type { BridgeClient } from "./bridgeClient.js";
import type { CpuWatch } from "./cpuWatch.js";
import type { IsolatePool, PooledIsolate } from "./isolatePool.js";
import { RunningExecution } from "./runningExecution.js";
import { mapPositions } from "./sourceMaps.js";

export class JobRunner {
  private readonly running = new Map<string, RunningExecution>();

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
    let booted: BootedContext | undefined;
    let reusable = false;
    let result: RunResult;
    try {
      pooled = await this.pool.acquire(job.fn, job.limits.memoryMb);
      booted = await this.pool.context(pooled);
      booted.slot.execution = execution;
      execution.attach(pooled.isolate, booted.dispatch);
      this.cpu.add(execution);
      await booted.dispatch.apply(undefined, ["begin", preludeInput(job)] as never, {
        arguments: { copy: true },
      });
      try {
        await pooled.script!.run(booted.context);
      } catch (error) {
        if (pooled.isolate.isDisposed) throw error;
        result = { kind: "error", ...describeHostError(error) };
        reusable = true;
        return this.outcome(execution, result);
      }
      result = (await booted.dispatch.apply(undefined, ["invoke"] as never, {
        result: { promise: true, copy: true },
      })) as unknown as RunResult;
      reusable = true;
      return this.outcome(execution, result);
    } catch (error) {
      return this.failure(execution, error, pooled);
    } finally {
      execution.end();
      this.cpu.remove(execution);
      this.running.delete(job.executionId);
      this.bridge.abandon(job.executionId);
      // The isolate goes back to the pool once the outcome is on its way to the server.
      const reuse = reusable && !execution.stopped;
      setImmediate(() => {
        if (booted) releaseContext(booted);
        if (pooled) this.pool.release(pooled, reuse);
      });
    }
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
