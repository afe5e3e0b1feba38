// GET /api/subscriptions: every subscription, by event type then priority, optionally of one type or
// one function.
import { requireAdmin, type Principal } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { canonicalType } from "../catalogue.js";
import { type SubscriptionItem, toSubscriptionItem } from "./subscription.js";

export async function listSubscriptions(
  deps: Pick<Deps, "db">,
  principal: Principal,
  options: { event?: string | undefined; function?: string | undefined } = {},
): Promise<SubscriptionItem[]> {
  requireAdmin(principal);
  let query = deps.db.selectFrom("subscriptions").selectAll();
  if (options.event !== undefined) query = query.where("event_type", "=", canonicalType(options.event));
  if (options.function !== undefined) query = query.where("function_name", "=", options.function);
  const rows = await query.orderBy("event_type").orderBy("priority").orderBy("created_at").execute();
  return rows.map(toSubscriptionItem);
}
