// The transactional outbox: in the action's own transaction, the event row and one pending delivery
// per active, matching subscription. Nothing is delivered unless the action commits, and nothing
// that committed is lost: the dispatcher finds the rows whenever it next looks (after a restart too).
import { sql } from "kysely";
import { isoNow } from "../core/clock.js";
import { EventLoopError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import type { Executor } from "../storage/schema.js";
import { writeJson } from "../storage/store.js";
import { actorColumn } from "./actor.js";
import { WAKE_CHANNEL } from "./dispatch/wakeups.js";
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
  const subscribers = await subscribersOf(deps.db, trx, event.type, event.data);
  if (subscribers.length > 0) checkDepth(event.type, depth, deps.config.events.maxDepth);
  const now = isoNow(deps.clock);
  await trx
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
    .execute();
  if (subscribers.length === 0) return 0;
  await trx
    .insertInto("deliveries")
    .values(
      subscribers.map((s) => ({
        id: newId(),
        event_id: event.id,
        event_type: event.type,
        subscription_id: s.id,
        function_name: s.functionName,
        status: "pending" as const,
        attempts: 0,
        max_attempts: deps.config.events.maxAttempts,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
  // Other nodes hear of it when (and only if) the transaction commits.
  if (deps.dialect === "postgres") await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(trx);
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
