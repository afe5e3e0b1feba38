// What an execution and its log lines look like outside the database: the shape of the API, the
// CLI's --json output and the log stream. Row -> item mapping lives here, once.
import type { ExecutionLogsTable, ExecutionsTable } from "../../storage/schema.js";
import type { ExecutionStatus, LogLevel, Trigger } from "../runtime/types.js";

export const EXECUTION_STATUSES = [
  "running",
  "success",
  "error",
  "timeout",
  "cpu_limit",
  "memory_limit",
  "crashed",
  "too_large",
] as const satisfies readonly (ExecutionStatus | "running")[];

export const TRIGGERS = ["http", "call", "event", "schedule"] as const satisfies readonly Trigger[];

export type ExecutionState = (typeof EXECUTION_STATUSES)[number];

/** What caused a run: a request, a delivery, a schedule tick, or another execution. */
export interface Cause {
  kind: string;
  id: string;
}

export interface ExecutionItem {
  id: string;
  function: string;
  version: number;
  trigger: Trigger;
  /** A user id, "admin" for the admin key, null when anonymous. */
  caller: string | null;
  cause: Cause | null;
  status: ExecutionState;
  error: string | null;
  startedAt: string;
  durationMs: number | null;
  resultSize: number | null;
  logsTruncated: boolean;
}

export interface LogItem {
  id: string;
  executionId: string;
  function: string;
  seq: number;
  level: LogLevel;
  time: string;
  message: string;
}

/**
 * The columns of an item: all but the kept input and result, which only one execution's detail
 * reads (getExecution.ts), so that lists stay light.
 */
export const ITEM_COLUMNS = [
  "id",
  "function_name",
  "version",
  "trigger",
  "caller",
  "cause_kind",
  "cause_id",
  "status",
  "error",
  "started_at",
  "duration_ms",
  "result_size",
  "logs_truncated",
] as const satisfies readonly (keyof ExecutionsTable)[];

export type ItemRow = Pick<ExecutionsTable, (typeof ITEM_COLUMNS)[number]>;

export function toExecutionItem(row: ItemRow): ExecutionItem {
  return {
    id: row.id,
    function: row.function_name,
    version: Number(row.version),
    trigger: row.trigger as Trigger,
    caller: row.caller,
    cause: row.cause_kind && row.cause_id ? { kind: row.cause_kind, id: row.cause_id } : null,
    status: row.status as ExecutionState,
    error: row.error,
    startedAt: row.started_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    resultSize: row.result_size === null ? null : Number(row.result_size),
    logsTruncated: Number(row.logs_truncated) !== 0,
  };
}

export function toLogItem(row: ExecutionLogsTable): LogItem {
  return {
    id: row.id,
    executionId: row.execution_id,
    function: row.function_name,
    seq: Number(row.seq),
    level: row.level as LogLevel,
    time: row.time,
    message: row.message,
  };
}
