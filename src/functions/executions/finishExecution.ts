// The end of an execution: its status, error, duration, sizes and kept result on the row, and its log lines in
// `execution_logs`. The ExecutionWriter writes them in one transaction with the rest of its batch,
// so a listed execution always has all its lines. The whole row is written: it replaces the
// `running` row, or is inserted as it is when the run ended before its start was written.
import { newId } from "../../core/ids.js";
import { CompiledInsert } from "../../storage/compiledInsert.js";
import type { ExecutionLogsTable, ExecutionsTable, Executor } from "../../storage/schema.js";
import type { ExecutionOutcome } from "../runtime/types.js";
import type { LogItem } from "./execution.js";
import { EXECUTION_COLUMNS, type ExecutionStart, runningRow } from "./recordExecution.js";

export interface ExecutionEnd {
  outcome: ExecutionOutcome;
  /** Applied to every stored message and error (secret values). */
  redact: (text: string) => string;
  /** What it returned or answered, as kept (keptResult.ts); null or absent when nothing is kept. */
  result?: string | null;
}

/** An ended execution as it is stored: its final row and its log lines, numbered and redacted. */
export interface FinishedExecution {
  row: ExecutionsTable;
  lines: LogItem[];
}

export function finishedExecution(start: ExecutionStart, end: ExecutionEnd): FinishedExecution {
  const { outcome, redact } = end;
  const lines: LogItem[] = outcome.logs.map((line, seq) => ({
    id: newId(),
    executionId: start.id,
    function: start.functionName,
    seq,
    level: line.level,
    time: line.time,
    message: redact(line.message),
  }));
  const row: ExecutionsTable = {
    ...runningRow(start),
    status: outcome.status,
    error: outcome.error ? redact(outcome.error.message) : null,
    duration_ms: outcome.durationMs,
    result_size: outcome.resultSize,
    logs_truncated: outcome.logsTruncated ? 1 : 0,
    result: end.result ?? null,
  };
  return { row, lines };
}

/** The write of final rows: inserted, or replacing the `running` row; one per database. */
export function upsertFinished(): CompiledInsert<ExecutionsTable> {
  return new CompiledInsert(EXECUTION_COLUMNS, (exec: Executor, rows) =>
    exec
      .insertInto("executions")
      .values(rows)
      .onConflict((oc) =>
        oc.column("id").doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          error: eb.ref("excluded.error"),
          duration_ms: eb.ref("excluded.duration_ms"),
          result_size: eb.ref("excluded.result_size"),
          logs_truncated: eb.ref("excluded.logs_truncated"),
          result: eb.ref("excluded.result"),
        })),
      ),
  );
}

const LOG_COLUMNS = [
  "id",
  "execution_id",
  "function_name",
  "seq",
  "level",
  "time",
  "message",
] as const satisfies readonly (keyof ExecutionLogsTable)[];

/** The insert of log lines (after their executions' rows, which they reference); one per database. */
export function insertLogLines(): CompiledInsert<ExecutionLogsTable> {
  return new CompiledInsert(LOG_COLUMNS, (exec: Executor, rows) =>
    exec.insertInto("execution_logs").values(rows),
  );
}

export function logRow(line: LogItem): ExecutionLogsTable {
  return {
    id: line.id,
    execution_id: line.executionId,
    function_name: line.function,
    seq: line.seq,
    level: line.level,
    time: line.time,
    message: line.message,
  };
}
