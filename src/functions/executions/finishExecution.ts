// The end of an execution: its status, error, duration and sizes on the row, and its log lines in
// `execution_logs` — in one transaction, so a listed execution always has all its lines. Lines are
// then handed to the log feed for `GET /api/logs/stream` on this node.
import { newId } from "../../core/ids.js";
import type { Db, ExecutionLogsTable, Executor } from "../../storage/schema.js";
import type { ExecutionOutcome } from "../runtime/types.js";
import type { LogItem } from "./execution.js";
import { logFeed } from "./logFeed.js";

/** Rows per INSERT: far below SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const ROWS_PER_INSERT = 1000;

export interface ExecutionEnd {
  id: string;
  functionName: string;
  outcome: ExecutionOutcome;
  /** Applied to every stored message and error (secret values). */
  redact: (text: string) => string;
}

export async function finishExecution(db: Db, end: ExecutionEnd): Promise<LogItem[]> {
  const { outcome, redact } = end;
  const lines: LogItem[] = outcome.logs.map((line, seq) => ({
    id: newId(),
    executionId: end.id,
    function: end.functionName,
    seq,
    level: line.level,
    time: line.time,
    message: redact(line.message),
  }));
  const feed = logFeed(db);
  // Before the commit: a poll that reads these rows must not announce them a second time.
  feed.claim(lines);
  const row = {
    status: outcome.status,
    error: outcome.error ? redact(outcome.error.message) : null,
    duration_ms: outcome.durationMs,
    result_size: outcome.resultSize,
    logs_truncated: outcome.logsTruncated ? 1 : 0,
  };
  const finish = (exec: Executor) =>
    exec.updateTable("executions").set(row).where("id", "=", end.id).execute();
  if (lines.length === 0) {
    // One statement is atomic by itself; most runs print nothing, and this is the hot path.
    await finish(db);
  } else {
    await db.transaction().execute(async (trx) => {
      await finish(trx);
      for (let i = 0; i < lines.length; i += ROWS_PER_INSERT) {
        await trx
          .insertInto("execution_logs")
          .values(lines.slice(i, i + ROWS_PER_INSERT).map(toRow))
          .execute();
      }
    });
  }
  feed.publish(lines);
  return lines;
}

function toRow(line: LogItem): ExecutionLogsTable {
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
