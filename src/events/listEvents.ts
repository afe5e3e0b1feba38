// GET /api/events, /api/events/:id, /api/deliveries, /api/deliveries/:id: the stored events and their
// deliveries, newest first, filtered (admins only).
import { requireAdmin, type Principal } from "../auth/principal.js";
import { NotFoundError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import { readJson } from "../storage/store.js";
import { canonicalType } from "./catalogue.js";
import {
  type DELIVERY_STATUSES,
  type DeliveryItem,
  type EventItem,
  toDeliveryItem,
  toEventItem,
} from "./eventItems.js";

export interface Page {
  limit: number;
  offset: number;
}

export async function listEvents(
  deps: Pick<Deps, "db">,
  principal: Principal,
  options: Page & { type?: string | undefined; cause?: string | undefined },
): Promise<EventItem[]> {
  requireAdmin(principal);
  let query = deps.db.selectFrom("events").selectAll();
  if (options.type !== undefined) query = query.where("type", "=", canonicalType(options.type));
  if (options.cause !== undefined) query = query.where("cause_id", "=", options.cause);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map(toEventItem);
}

export async function getEvent(
  deps: Pick<Deps, "db">,
  principal: Principal,
  id: string,
): Promise<EventItem & { deliveries: DeliveryItem[] }> {
  requireAdmin(principal);
  const row = await deps.db.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No event with id '${id}' (events are kept for events.retentionHours)`);
  const deliveries = await deps.db
    .selectFrom("deliveries")
    .selectAll()
    .where("event_id", "=", id)
    .orderBy("created_at")
    .execute();
  return { ...toEventItem(row), deliveries: deliveries.map(toDeliveryItem) };
}

export async function listDeliveries(
  deps: Pick<Deps, "db">,
  principal: Principal,
  options: Page & {
    status?: (typeof DELIVERY_STATUSES)[number] | undefined;
    event?: string | undefined;
    function?: string | undefined;
    eventId?: string | undefined;
  },
): Promise<DeliveryItem[]> {
  requireAdmin(principal);
  let query = deps.db.selectFrom("deliveries").selectAll();
  if (options.status !== undefined) query = query.where("status", "=", options.status);
  if (options.event !== undefined) query = query.where("event_type", "=", canonicalType(options.event));
  if (options.function !== undefined) query = query.where("function_name", "=", options.function);
  if (options.eventId !== undefined) query = query.where("event_id", "=", options.eventId);
  const rows = await query
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map(toDeliveryItem);
}

export async function getDelivery(
  deps: Pick<Deps, "db">,
  principal: Principal,
  id: string,
): Promise<DeliveryItem & { data: unknown }> {
  requireAdmin(principal);
  const row = await deps.db.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new NotFoundError(`No delivery with id '${id}'`);
  let data: unknown = row.data === null ? undefined : readJson(row.data);
  if (data === undefined) {
    const event = await deps.db
      .selectFrom("events")
      .select("data")
      .where("id", "=", row.event_id)
      .executeTakeFirst();
    data = event ? readJson(event.data) : null;
  }
  return { ...toDeliveryItem(row), data };
}
