// PATCH /api/subscriptions/:id and DELETE: change priority, active, filter or on_error; or remove.
import { requireAdmin, type Principal } from "../../auth/principal.js";
import { isoNow } from "../../core/clock.js";
import { NotFoundError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import { writeJson } from "../../storage/store.js";
import { checkFilter, type OnError, type SubscriptionItem, toSubscriptionItem } from "./subscription.js";

export interface SubscriptionChanges {
  priority?: number | undefined;
  active?: boolean | undefined;
  filter?: Record<string, unknown> | null | undefined;
  on_error?: OnError | undefined;
}

export async function updateSubscription(
  deps: Pick<Deps, "db" | "clock">,
  principal: Principal,
  id: string,
  changes: SubscriptionChanges,
): Promise<SubscriptionItem> {
  requireAdmin(principal);
  const set: Record<string, unknown> = { updated_at: isoNow(deps.clock) };
  if (changes.priority !== undefined) set.priority = changes.priority;
  if (changes.active !== undefined) set.active = changes.active ? 1 : 0;
  if (changes.on_error !== undefined) set.on_error = changes.on_error;
  if (changes.filter !== undefined) {
    const filter = checkFilter(changes.filter, "filter");
    set.filter = filter === null ? null : writeJson(filter);
  }
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("subscriptions")
      .set(set)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(id);
    await bumpGeneration(trx, "subscriptions");
    return toSubscriptionItem(row);
  });
}

export async function deleteSubscription(
  deps: Pick<Deps, "db">,
  principal: Principal,
  id: string,
): Promise<void> {
  requireAdmin(principal);
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("subscriptions").where("id", "=", id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound(id);
    await bumpGeneration(trx, "subscriptions");
  });
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No subscription with id '${id}'`);
}
