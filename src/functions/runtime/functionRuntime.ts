// PLACEHOLDER (runtime helper replaces this): the pool of sandbox workers that runs functions.
import type { Logger } from "pino";
import type { BridgeHandler, ExecutionJob, ExecutionOutcome } from "./types.js";

export interface FunctionRuntimeOptions {
  workers: number;
  recycleAfter: number;
  workerMaxRssMb: number;
  idleEvictMs: number;
  log: Logger;
}

export class FunctionRuntime {
  constructor(readonly options: FunctionRuntimeOptions) {}

  start(): void {}

  /** Runs one execution; never rejects: every failure is an outcome with a status and message. */
  async execute(_job: ExecutionJob, _bridge: BridgeHandler): Promise<ExecutionOutcome> {
    return {
      status: "error",
      error: { message: "The function runtime is not available yet" },
      logs: [],
      logsTruncated: false,
      durationMs: 0,
      resultSize: 0,
    };
  }

  async close(): Promise<void> {}
}
