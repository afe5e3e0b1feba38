// Executions as admins see them (GET /api/executions, `backend functions` commands, the dashboard):
// newest first, filtered by function, status, trigger, cause and a time range on the start.
import { type Principal, requireAdmin } from "../../auth/principal.js";
import { DEFAULT_LIMIT, type PageOf } from "../../query/page.js";
import type { Db } from "../../storage/schema.js";
import type { Trigger } from "../runtime/types.js";
import { type ExecutionItem, type ExecutionState, ITEM_COLUMNS, toExecutionItem } from "./execution.js";

export interface ExecutionQuery {
  function?: string;
  status?: ExecutionState;
  trigger?: Trigger;
  /** Runs caused by this id: a request id, or an execution id for calls between functions. */
  causeId?: string;
  /** ISO-8601; started at or after. */
  since?: string;
  /** ISO-8601; started before. */
  until?: string;
  limit?: number;
  offset?: number;
}

export async function listExecutions(
  deps: { db: Db },
  principal: Principal,
  query: ExecutionQuery = {},
): Promise<PageOf<ExecutionItem>> {
  requireAdmin(principal);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  let base = deps.db.selectFrom("executions");
  if (query.function !== undefined) base = base.where("function_name", "=", query.function);
  if (query.status !== undefined) base = base.where("status", "=", query.status);
  if (query.trigger !== undefined) base = base.where("trigger", "=", query.trigger);
  if (query.causeId !== undefined) base = base.where("cause_id", "=", query.causeId);
  if (query.since !== undefined) base = base.where("started_at", ">=", query.since);
  if (query.until !== undefined) base = base.where("started_at", "<", query.until);

  const counted = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const rows = await base
    .select(ITEM_COLUMNS)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return { items: rows.map(toExecutionItem), total: Number(counted.n), limit, offset };
}
