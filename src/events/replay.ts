// Replays: POST /api/deliveries/:id/replay hands the same event to the same subscription again, as a
// new delivery (the old one stays, as history), optionally with an edited payload; POST
// /api/events/:id/replay hands a stored event to every active subscription of its type now. Both run
// the function's current version, so a dead delivery succeeds once the function is fixed.
import { requireAdmin, type Principal } from "../auth/principal.js";
import { isoNow } from "../core/clock.js";
import { NotFoundError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import { readJson } from "../storage/store.js";
import { enqueueDeliveries, pendingDelivery } from "./enqueueDeliveries.js";
import { checkEventData } from "./eventData.js";
import { type DeliveryItem, toDeliveryItem } from "./eventItems.js";
import { subscribersOf } from "./subscriptions/activeSubscriptions.js";

type ReplayDeps = Pick<Deps, "db" | "dialect" | "clock" | "config" | "dispatcher">;

export async function replayDelivery(
  deps: ReplayDeps,
  principal: Principal,
  id: string,
  data?: unknown,
): Promise<DeliveryItem> {
  requireAdmin(principal);
  const edited =
    data === undefined
      ? undefined
      : checkEventData(data, deps.config.events.payloadBytes, "The edited data").json;
  const created = await deps.db.transaction().execute(async (trx) => {
    const original = await trx.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
    if (!original) throw new NotFoundError(`No delivery with id '${id}'`);
    const row = pendingDelivery(
      {
        event_id: original.event_id,
        event_type: original.event_type,
        subscription_id: original.subscription_id,
        function_name: original.function_name,
        data: edited ?? original.data,
        replay_of: original.id,
      },
      isoNow(deps.clock),
      deps.config.events.maxAttempts,
    );
    await enqueueDeliveries(trx, deps.dialect, [row]);
    return row;
  });
  deps.dispatcher.wake();
  return toDeliveryItem(created);
}

export async function replayEvent(
  deps: ReplayDeps,
  principal: Principal,
  id: string,
  data?: unknown,
): Promise<DeliveryItem[]> {
  requireAdmin(principal);
  const edited =
    data === undefined
      ? undefined
      : checkEventData(data, deps.config.events.payloadBytes, "The edited data").json;
  const created = await deps.db.transaction().execute(async (trx) => {
    const event = await trx.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
    if (!event)
      throw new NotFoundError(`No event with id '${id}' (events are kept for events.retentionHours)`);
    const payload = edited === undefined ? readJson(event.data) : JSON.parse(edited);
    const subscribers = await subscribersOf(deps.db, trx, event.type, payload);
    const now = isoNow(deps.clock);
    const rows = subscribers.map((s) =>
      pendingDelivery(
        {
          event_id: event.id,
          event_type: event.type,
          subscription_id: s.id,
          function_name: s.functionName,
          data: edited ?? null,
          replay_of: null,
        },
        now,
        deps.config.events.maxAttempts,
      ),
    );
    await enqueueDeliveries(trx, deps.dialect, rows);
    return rows;
  });
  if (created.length > 0) deps.dispatcher.wake();
  return created.map(toDeliveryItem);
}
