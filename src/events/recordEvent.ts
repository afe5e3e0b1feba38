// The transactional outbox: in the action's own transaction, the event row and one pending delivery
// per active, matching subscription. Nothing is delivered unless the action commits, and nothing
// that committed is lost: the dispatcher finds the rows whenever it next looks (after a restart too).
import { isoNow } from "../core/clock.js";
import { EventLoopError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import type { Executor } from "../storage/schema.js";
import { writeJson } from "../storage/store.js";
import { actorColumn } from "./actor.js";
import { enqueueDeliveries, pendingDelivery } from "./enqueueDeliveries.js";
import type { ActionContext, ActionEvent } from "./pipeline.js";
import { subscribersOf } from "./subscriptions/activeSubscriptions.js";

export async function recordEvent(
  deps: Pick<Deps, "db" | "dialect" | "clock" | "config">,
  trx: Executor,
  event: ActionEvent,
  ctx: ActionContext,
  source: "system" | "custom",
): Promise<number> {
  const depth = (ctx.depth ?? 0) + 1;
  const now = isoNow(deps.clock);
  // One round trip stores the event and reads the subscriptions' cache generation, in the
  // statement's snapshot (so the subscriptions used are at least that new).
  const stored = await trx
    .insertInto("events")
    .values({
      id: event.id,
      type: event.type,
      data: writeJson(event.data),
      source,
      actor: actorColumn(ctx.principal),
      cause_kind: ctx.cause?.kind ?? null,
      cause_id: ctx.cause?.id ?? null,
      depth,
      created_at: now,
    })
    .returning((eb) =>
      eb
        .selectFrom("cache_generations")
        .select("generation")
        .where("name", "=", "subscriptions")
        .as("generation"),
    )
    .executeTakeFirstOrThrow();
  const generation = Number(stored.generation ?? 0);
  const subscribers = await subscribersOf(deps.db, trx, event.type, event.data, generation);
  if (subscribers.length === 0) return 0;
  // Throwing rolls the whole action back, the event row with it.
  checkDepth(event.type, depth, deps.config.events.maxDepth);
  const rows = subscribers.map((s) =>
    pendingDelivery(
      {
        event_id: event.id,
        event_type: event.type,
        subscription_id: s.id,
        function_name: s.functionName,
        data: null,
        replay_of: null,
      },
      now,
      deps.config.events.maxAttempts,
    ),
  );
  await enqueueDeliveries(trx, deps.dialect, rows);
  return subscribers.length;
}

export const LOOP_STOPPED = "Event loop stopped";

/** Stops a chain of events that handlers cause past events.maxDepth. */
export function checkDepth(type: string, depth: number, max: number): void {
  if (depth > max) {
    throw new EventLoopError(
      `${LOOP_STOPPED}: ${type} would be the ${depth}th event in one chain of handlers, past events.maxDepth (${max}); ` +
        "a handler is probably causing the event it handles",
    );
  }
}
