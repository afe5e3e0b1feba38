// POST /api/subscriptions and `backend events subscribe`: subscribes a function to an event type by
// hand. One subscription per (type, function); a function may subscribe to many types.
import { requireAdmin, type Principal } from "../../auth/principal.js";
import { isoNow } from "../../core/clock.js";
import { ConflictError } from "../../core/errors.js";
import { newId } from "../../core/ids.js";
import type { Deps } from "../../deps.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import { writeJson } from "../../storage/store.js";
import { canonicalType } from "../catalogue.js";
import {
  checkFilter,
  checkFunctionExists,
  checkLimit,
  type OnError,
  type SubscriptionItem,
  toSubscriptionItem,
} from "./subscription.js";

export interface NewSubscription {
  event: string;
  function: string;
  priority?: number | undefined;
  active?: boolean | undefined;
  filter?: Record<string, unknown> | null | undefined;
  on_error?: OnError | undefined;
}

export async function createSubscription(
  deps: Pick<Deps, "db" | "clock" | "config">,
  principal: Principal,
  input: NewSubscription,
): Promise<SubscriptionItem> {
  requireAdmin(principal);
  const type = canonicalType(input.event);
  const filter = checkFilter(input.filter, "filter");
  return deps.db.transaction().execute(async (trx) => {
    await checkFunctionExists(trx, input.function);
    const existing = await trx
      .selectFrom("subscriptions")
      .select("id")
      .where("event_type", "=", type)
      .where("function_name", "=", input.function)
      .executeTakeFirst();
    if (existing) {
      throw new ConflictError(
        `'${input.function}' is already subscribed to ${type} (subscription ${existing.id}); change it with PATCH /api/subscriptions/${existing.id}`,
      );
    }
    await checkLimit(trx, type, deps.config.events.maxSubscriptionsPerEvent);
    const now = isoNow(deps.clock);
    const row = {
      id: newId(),
      event_type: type,
      function_name: input.function,
      priority: input.priority ?? 0,
      active: input.active === false ? 0 : 1,
      filter: filter === null ? null : writeJson(filter),
      on_error: input.on_error ?? "block",
      source: "api" as const,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto("subscriptions").values(row).execute();
    await bumpGeneration(trx, "subscriptions");
    return toSubscriptionItem(row);
  });
}
