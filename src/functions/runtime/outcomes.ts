// Outcomes the host makes itself, when the worker cannot answer for an execution.
import type { ExecutionOutcome } from "./types.js";

export function hostOutcome(
  status: ExecutionOutcome["status"],
  message: string,
  durationMs: number,
): ExecutionOutcome {
  return {
    status,
    error: { message },
    logs: [],
    logsTruncated: false,
    durationMs: Math.round(durationMs * 1000) / 1000,
    resultSize: 0,
  };
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `signal ${signal}` : `exit code ${code ?? "unknown"}`;
}
