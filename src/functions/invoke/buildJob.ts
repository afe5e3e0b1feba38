// What the runtime gets for one execution: the code, the input, the secrets and the limits.
// Limits come from the server's config, narrowed or widened by the function's own `timeout` and
// `memory` (function.jsonc), never past `functions.maxTimeoutMs`.
import type { Config } from "../../config/config.js";
import type { ActiveFunction } from "../catalog/getActiveFunction.js";
import type { ExecutionInput, ExecutionJob, ExecutionLimits, Trigger } from "../runtime/types.js";

export function limitsFor(
  config: Config["functions"],
  fn: ActiveFunction,
  trigger: Trigger,
): ExecutionLimits {
  const byTrigger = trigger === "event" ? config.eventTimeoutMs : config.callTimeoutMs;
  const timeoutMs = Math.min(fn.config.timeout ?? byTrigger, config.maxTimeoutMs);
  return {
    timeoutMs,
    memoryMb: fn.config.memory ?? config.memoryMb,
    maxLogBytes: config.logBytes,
    maxResultBytes: config.payloadBytes,
  };
}

export function buildJob(
  config: Config["functions"],
  fn: ActiveFunction,
  executionId: string,
  input: ExecutionInput,
  env: Record<string, string>,
): ExecutionJob {
  return {
    executionId,
    fn: fn.code,
    input,
    env,
    limits: limitsFor(config, fn, input.trigger),
    fetch: {
      allow: [...config.fetch.allow],
      timeoutMs: config.fetch.timeoutMs,
      maxResponseBytes: config.fetch.maxResponseBytes,
    },
  };
}
