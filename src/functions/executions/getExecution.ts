// One execution with all its log lines in order (GET /api/executions/:id).
import { type Principal, requireAdmin } from "../../auth/principal.js";
import { NotFoundError } from "../../core/errors.js";
import type { Db } from "../../storage/schema.js";
import { type ExecutionItem, type LogItem, toExecutionItem, toLogItem } from "./execution.js";

export interface ExecutionWithLogs extends ExecutionItem {
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
    logs: logs.map((l) => {
      const { executionId: _e, function: _f, ...line } = toLogItem(l);
      return line;
    }),
  };
}
