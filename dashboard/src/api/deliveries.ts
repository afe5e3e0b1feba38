// /api/deliveries (admins): POST and custom events handed to subscriptions, with their attempts, and
// replays; plus the executions a delivery caused (/api/executions?cause=<delivery id>). Shapes as the
// server answers them (src/events/eventItems.ts, src/functions/executions/execution.ts).
import type { Transport } from "../../../src/sdk/http.js";

/** pending also covers a delivery whose attempt failed and that waits for its retry. */
export const DELIVERY_STATUSES = ["pending", "running", "done", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: string;
  eventId: string;
  /** The event type, canonical. */
  event: string;
  subscriptionId: string;
  function: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  /** The last attempt's execution. */
  executionId: string | null;
  /** The delivery this one replays. */
  replayOf: string | null;
  /** Whether it carries edited data instead of the event's. */
  edited: boolean;
  createdAt: string;
  completedAt: string | null;
}

/** One delivery with the data it delivers (its edited data, or the event's). */
export interface DeliveryDetail extends Delivery {
  data: unknown;
}

export interface DeliveryFilters {
  status?: DeliveryStatus | undefined;
  /** An event type (aliases are accepted). */
  event?: string | undefined;
  function?: string | undefined;
  eventId?: string | undefined;
}

export interface DeliveryPage {
  items: Delivery[];
  limit: number;
  offset: number;
}

/** An attempt of a delivery, as GET /api/executions lists it. */
export interface DeliveryExecution {
  id: string;
  function: string;
  version: number;
  trigger: string;
  status: string;
  error: string | null;
  startedAt: string;
  durationMs: number | null;
}

export function listDeliveries(
  http: Transport,
  filters: DeliveryFilters,
  page: { limit: number; offset: number },
): Promise<DeliveryPage> {
  return http.request("GET", "/api/deliveries", {
    query: {
      status: filters.status,
      event: filters.event,
      function: filters.function,
      event_id: filters.eventId,
      limit: page.limit,
      offset: page.offset,
    },
  });
}

export function getDelivery(http: Transport, id: string): Promise<DeliveryDetail> {
  return http.request("GET", `/api/deliveries/${encodeURIComponent(id)}`);
}

/** Delivers the same event to the same subscription again, as a new delivery; `data` replaces the payload. */
export function replayDelivery(
  http: Transport,
  id: string,
  data?: Record<string, unknown>,
): Promise<Delivery> {
  return http.request("POST", `/api/deliveries/${encodeURIComponent(id)}/replay`, {
    body: data === undefined ? {} : { data },
  });
}

/** Every attempt of a delivery: the executions it caused, newest first. */
export async function listDeliveryExecutions(http: Transport, id: string): Promise<DeliveryExecution[]> {
  const answer = await http.request<{ items: DeliveryExecution[] }>("GET", "/api/executions", {
    query: { cause: id, limit: 100 },
  });
  return answer.items;
}
