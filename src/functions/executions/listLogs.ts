// Log lines across executions (GET /api/logs, `backend functions logs`): newest first, filtered by
// function, execution, minimum level and a time range on the line's own time.
import { type Principal, requireAdmin } from "../../auth/principal.js";
import type { Db } from "../../storage/schema.js";
import type { LogLevel } from "../runtime/types.js";
import { type LogItem, toLogItem } from "./execution.js";
import { levelsFrom } from "./logLevels.js";

export const DEFAULT_LOG_LIMIT = 100;

export interface LogQuery {
  function?: string;
  executionId?: string;
  /** This level and above. */
  level?: LogLevel;
  /** ISO-8601; lines at or after. */
  since?: string;
  /** ISO-8601; lines before. */
  until?: string;
  limit?: number;
  offset?: number;
}

export async function listLogs(
  deps: { db: Db },
  principal: Principal,
  query: LogQuery = {},
): Promise<{ items: LogItem[]; limit: number; offset: number }> {
  requireAdmin(principal);
  const limit = query.limit ?? DEFAULT_LOG_LIMIT;
  const offset = query.offset ?? 0;
  let rows = deps.db.selectFrom("execution_logs").selectAll();
  if (query.function !== undefined) rows = rows.where("function_name", "=", query.function);
  if (query.executionId !== undefined) rows = rows.where("execution_id", "=", query.executionId);
  if (query.level !== undefined && query.level !== "debug")
    rows = rows.where("level", "in", levelsFrom(query.level));
  if (query.since !== undefined) rows = rows.where("time", ">=", query.since);
  if (query.until !== undefined) rows = rows.where("time", "<", query.until);
  const items = await rows
    .orderBy("time", "desc")
    .orderBy("execution_id", "desc")
    .orderBy("seq", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: items.map(toLogItem), limit, offset };
}
