// One execution with all its log lines in order, and what it was given and answered as far as it
// was kept (GET /api/executions/:id).
import { type Principal, requireAdmin } from "../../auth/principal.js";
import { NotFoundError } from "../../core/errors.js";
import type { Db } from "../../storage/schema.js";
import { type ExecutionItem, type LogItem, toExecutionItem, toLogItem } from "./execution.js";
import type { InputDocument } from "./keptInput.js";
import type { ResultDocument } from "./keptResult.js";
import { type CutText, readKept } from "./keptText.js";

export interface ExecutionWithLogs extends ExecutionItem {
  /** What the run was given; a CutText when it was over `functions.keepBytes`; null when not kept. */
  input: InputDocument | CutText | null;
  /** What it returned or answered, the same way; null too when it failed without a Response. */
  result: ResultDocument | CutText | null;
  logs: Omit<LogItem, "executionId" | "function">[];
}

export async function getExecution(
  deps: { db: Db },
  principal: Principal,
  id: string,
): Promise<ExecutionWithLogs> {
  requireAdmin(principal);
  const row = await deps.db.selectFrom("executions").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No execution with id '${id.slice(0, 100)}'`);
  const logs = await deps.db
    .selectFrom("execution_logs")
    .selectAll()
    .where("execution_id", "=", id)
    .orderBy("seq")
    .execute();
  return {
    ...toExecutionItem(row),
    input: readKept(row.input) as InputDocument | CutText | null,
    result: readKept(row.result) as ResultDocument | CutText | null,
    logs: logs.map((l) => {
      const { executionId: _e, function: _f, ...line } = toLogItem(l);
      return line;
    }),
  };
}
