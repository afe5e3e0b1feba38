// The start of an execution: one `running` row, written before the function runs, so a run that
// never finishes (the node died) is still visible, and log lines have a row to belong to.
import type { Db } from "../../storage/schema.js";
import type { Trigger } from "../runtime/types.js";
import type { Cause } from "./execution.js";

export interface ExecutionStart {
  id: string;
  functionName: string;
  version: number;
  trigger: Trigger;
  caller: string | null;
  cause: Cause | null;
  startedAt: string;
}

export async function recordExecution(db: Db, start: ExecutionStart): Promise<void> {
  await db
    .insertInto("executions")
    .values({
      id: start.id,
      function_name: start.functionName,
      version: start.version,
      trigger: start.trigger,
      caller: start.caller,
      cause_kind: start.cause?.kind ?? null,
      cause_id: start.cause?.id ?? null,
      status: "running",
      error: null,
      started_at: start.startedAt,
      duration_ms: null,
      result_size: null,
      logs_truncated: 0,
    })
    .execute();
}
