// The start of an execution: one `running` row, so that a run that never finishes (its node died)
// is still visible. The ExecutionWriter writes the starts of a batch with one multi-row insert.
import { CompiledInsert } from "../../storage/compiledInsert.js";
import type { ExecutionsTable, Executor } from "../../storage/schema.js";
import type { Trigger } from "../runtime/types.js";
import { type Cause, ITEM_COLUMNS } from "./execution.js";

export interface ExecutionStart {
  id: string;
  functionName: string;
  version: number;
  trigger: Trigger;
  caller: string | null;
  cause: Cause | null;
  startedAt: string;
  /**
   * What it was given, as kept (keptInput.ts); null or absent when nothing is kept. It is on the
   * `running` row too: a run whose node dies still shows what it got.
   */
  input?: string | null;
}

/** Every column of `executions`: an item's, then the kept input and result. */
export const EXECUTION_COLUMNS = [
  ...ITEM_COLUMNS,
  "input",
  "result",
] as const satisfies readonly (keyof ExecutionsTable)[];

/** The row of an execution that has started and not ended. */
export function runningRow(start: ExecutionStart): ExecutionsTable {
  return {
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
    input: start.input ?? null,
    result: null,
  };
}

/** The insert of `running` rows; one per database (see compiledInsert.ts). */
export function insertRunning(): CompiledInsert<ExecutionsTable> {
  return new CompiledInsert(EXECUTION_COLUMNS, (exec: Executor, rows) =>
    exec.insertInto("executions").values(rows),
  );
}
