// What stored events and deliveries look like outside the database (API, CLI --json, dashboard).
import type { CallerIdentity } from "../functions/runtime/types.js";
import { callerIdentity } from "../functions/invoke/caller.js";
import type { DeliveriesTable, EventsTable } from "../storage/schema.js";
import { readJson } from "../storage/store.js";
import { actorOf } from "./actor.js";

export const DELIVERY_STATUSES = ["pending", "running", "done", "dead"] as const;

export interface EventItem {
  id: string;
  type: string;
  data: unknown;
  source: "system" | "custom";
  actor: CallerIdentity | null;
  cause: { kind: string; id: string } | null;
  depth: number;
  createdAt: string;
}

export interface DeliveryItem {
  id: string;
  eventId: string;
  event: string;
  subscriptionId: string;
  function: string;
  status: (typeof DELIVERY_STATUSES)[number];
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  executionId: string | null;
  replayOf: string | null;
  /** A replay's edited payload; otherwise the event's data is delivered. */
  edited: boolean;
  createdAt: string;
  completedAt: string | null;
}

export function toEventItem(row: EventsTable): EventItem {
  return {
    id: row.id,
    type: row.type,
    data: readJson(row.data),
    source: row.source === "custom" ? "custom" : "system",
    actor: callerIdentity(actorOf(row.actor)),
    cause: row.cause_kind && row.cause_id ? { kind: row.cause_kind, id: row.cause_id } : null,
    depth: Number(row.depth),
    createdAt: row.created_at,
  };
}

export function toDeliveryItem(row: DeliveriesTable): DeliveryItem {
  return {
    id: row.id,
    eventId: row.event_id,
    event: row.event_type,
    subscriptionId: row.subscription_id,
    function: row.function_name,
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    executionId: row.execution_id,
    replayOf: row.replay_of,
    edited: row.data !== null,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
