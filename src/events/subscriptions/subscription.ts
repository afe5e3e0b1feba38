// What a subscription looks like outside the database (API, CLI --json, dashboard), and the checks
// every way of making one shares: a known function, a filter that parses, the per-type limit.
import { ConflictError, NotFoundError } from "../../core/errors.js";
import { parseFilter } from "../../query/filter.js";
import type { Executor, SubscriptionsTable } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";

export type OnError = "block" | "allow";

export interface SubscriptionItem {
  id: string;
  event: string;
  function: string;
  priority: number;
  active: boolean;
  filter: Record<string, unknown> | null;
  onError: OnError;
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
}

export function toSubscriptionItem(row: SubscriptionsTable): SubscriptionItem {
  return {
    id: row.id,
    event: row.event_type,
    function: row.function_name,
    priority: Number(row.priority),
    active: Number(row.active) !== 0,
    filter: row.filter === null ? null : readJson(row.filter),
    onError: row.on_error,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Validates a subscription filter now, so a bad one is a 400 and not a silent non-match later. */
export function checkFilter(filter: unknown, where: string): Record<string, unknown> | null {
  if (filter === undefined || filter === null) return null;
  try {
    parseFilter(filter);
  } catch (error) {
    throw Object.assign(error as Error, { message: `${where}: ${(error as Error).message}` });
  }
  return filter as Record<string, unknown>;
}

export async function checkFunctionExists(db: Executor, name: string): Promise<void> {
  const row = await db.selectFrom("functions").select("name").where("name", "=", name).executeTakeFirst();
  if (!row) throw new NotFoundError(`No function named '${name}': deploy it before subscribing it`);
}

/** Refuses a subscription past `max` for the type (counted in the writing transaction). */
export async function checkLimit(
  db: Executor,
  type: string,
  max: number,
  exceptFunction?: string,
): Promise<void> {
  let query = db
    .selectFrom("subscriptions")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("event_type", "=", type);
  if (exceptFunction) query = query.where("function_name", "!=", exceptFunction);
  const { n } = await query.executeTakeFirstOrThrow();
  if (Number(n) >= max) {
    throw new ConflictError(
      `${type} already has ${Number(n)} subscriptions, the limit (events.maxSubscriptionsPerEvent); ` +
        "unsubscribe one first, or raise server.events.maxSubscriptionsPerEvent in backend.config.jsonc",
    );
  }
}
