// Replays: POST /api/deliveries/:id/replay hands the same event to the same subscription again, as a
// new delivery (the old one stays, as history), optionally with an edited payload; POST
// /api/events/:id/replay hands a stored event to every active subscription of its type now. Both run
// the function's current version, so a dead delivery succeeds once the function is fixed.
import { requireAdmin, type Principal } from "../auth/principal.js";
import { isoNow } from "../core/clock.js";
import { NotFoundError, PayloadTooLargeError, ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import type { DeliveriesTable } from "../storage/schema.js";
import { readJson, writeJson } from "../storage/store.js";
import { WAKE_CHANNEL } from "./dispatch/wakeups.js";
import { type DeliveryItem, toDeliveryItem } from "./eventItems.js";
import { subscribersOf } from "./subscriptions/activeSubscriptions.js";
import { sql } from "kysely";

type ReplayDeps = Pick<Deps, "db" | "dialect" | "clock" | "config" | "dispatcher">;

export async function replayDelivery(
  deps: ReplayDeps,
  principal: Principal,
  id: string,
  data?: unknown,
): Promise<DeliveryItem> {
  requireAdmin(principal);
  const edited = checkData(data, deps.config.events.payloadBytes);
  const created = await deps.db.transaction().execute(async (trx) => {
    const original = await trx.selectFrom("deliveries").selectAll().where("id", "=", id).executeTakeFirst();
    if (!original) throw new NotFoundError(`No delivery with id '${id}'`);
    const row = newDelivery(deps, {
      event_id: original.event_id,
      event_type: original.event_type,
      subscription_id: original.subscription_id,
      function_name: original.function_name,
      data: edited ?? original.data,
      replay_of: original.id,
    });
    await trx.insertInto("deliveries").values(row).execute();
    if (deps.dialect === "postgres") await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(trx);
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
  const edited = checkData(data, deps.config.events.payloadBytes);
  const created = await deps.db.transaction().execute(async (trx) => {
    const event = await trx.selectFrom("events").selectAll().where("id", "=", id).executeTakeFirst();
    if (!event)
      throw new NotFoundError(`No event with id '${id}' (events are kept for events.retentionHours)`);
    const payload = edited === undefined ? readJson(event.data) : JSON.parse(edited);
    const subscribers = await subscribersOf(deps.db, trx, event.type, payload);
    const rows = subscribers.map((s) =>
      newDelivery(deps, {
        event_id: event.id,
        event_type: event.type,
        subscription_id: s.id,
        function_name: s.functionName,
        data: edited ?? null,
        replay_of: null,
      }),
    );
    if (rows.length > 0) {
      await trx.insertInto("deliveries").values(rows).execute();
      if (deps.dialect === "postgres") await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(trx);
    }
    return rows;
  });
  if (created.length > 0) deps.dispatcher.wake();
  return created.map(toDeliveryItem);
}

function newDelivery(
  deps: Pick<Deps, "clock" | "config">,
  fields: Pick<
    DeliveriesTable,
    "event_id" | "event_type" | "subscription_id" | "function_name" | "replay_of"
  > & {
    data: DeliveriesTable["data"];
  },
): DeliveriesTable {
  const now = isoNow(deps.clock);
  return {
    id: newId(),
    ...fields,
    status: "pending",
    attempts: 0,
    max_attempts: deps.config.events.maxAttempts,
    next_attempt_at: now,
    locked_until: null,
    last_error: null,
    execution_id: null,
    created_at: now,
    completed_at: null,
  };
}

/** An edited payload, as stored JSON text; undefined keeps the original. */
function checkData(data: unknown, max: number): string | undefined {
  if (data === undefined) return undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError("The edited data must be a JSON object");
  }
  const text = writeJson(data);
  if (Buffer.byteLength(text) > max) {
    throw new PayloadTooLargeError(
      `The edited data is ${Buffer.byteLength(text)} bytes; events carry at most ${max} bytes`,
    );
  }
  return text;
}
