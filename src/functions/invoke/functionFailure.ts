// How a run that did not succeed reaches whoever called it: one error per outcome status, with a
// stable code, an HTTP status and the runtime's message. Routes throw it (the error handler turns
// it into `{ error: { code, message, details: { executionId } } }`); a function calling another
// function sees the same message as an exception.
import { AppError } from "../../core/errors.js";
import type { ExecutionStatus } from "../runtime/types.js";

export const FAILURES: Record<Exclude<ExecutionStatus, "success">, { status: number; code: string }> = {
  error: { status: 500, code: "function_error" },
  timeout: { status: 504, code: "function_timeout" },
  cpu_limit: { status: 500, code: "function_resource_limit" },
  memory_limit: { status: 500, code: "function_resource_limit" },
  too_large: { status: 500, code: "function_result_too_large" },
  crashed: { status: 502, code: "function_crashed" },
};

export class FunctionFailedError extends AppError {
  constructor(
    readonly outcomeStatus: Exclude<ExecutionStatus, "success">,
    message: string,
    executionId: string,
  ) {
    const { status, code } = FAILURES[outcomeStatus];
    super(status, code, message, { executionId });
  }
}

export function functionFailure(
  status: Exclude<ExecutionStatus, "success">,
  error: { message: string } | undefined,
  executionId: string,
): FunctionFailedError {
  return new FunctionFailedError(
    status,
    error?.message || `The function ended with status ${status}`,
    executionId,
  );
}
