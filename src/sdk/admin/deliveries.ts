// client.admin.deliveries: each event handed to each subscribed function — pending (also while
// waiting for a retry), running, done, dead — with its attempts, and replays of one
// (GET /api/deliveries, /api/deliveries/:id, POST /api/deliveries/:id/replay).
import type { Transport } from "../http.js";

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
  /** The last attempt's execution (its runs: `admin.executions.list({ cause: delivery.id })`). */
  executionId: string | null;
  /** The delivery this one replays. */
  replayOf: string | null;
  /** It carries edited data instead of the event's. */
  edited: boolean;
  createdAt: string;
  completedAt: string | null;
}

/** One delivery with the data it delivers (its edited data, or the event's). */
export interface DeliveryDetail extends Delivery {
  data: unknown;
}

export interface DeliveryFilters {
  status?: DeliveryStatus;
  /** An event type (aliases are accepted). */
  event?: string;
  function?: string;
  eventId?: string;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

/** A page of deliveries; there is no total, ask for the next page until one comes back short. */
export interface DeliveryPage {
  items: Delivery[];
  limit: number;
  offset: number;
}

export interface AdminDeliveriesApi {
  /** Deliveries, newest first. */
  list(filters?: DeliveryFilters): Promise<DeliveryPage>;
  get(id: string): Promise<DeliveryDetail>;
  /** Delivers the same event to the same subscription again, as a new delivery; `data` replaces the payload. */
  replay(id: string, data?: { [field: string]: unknown }): Promise<Delivery>;
}

export function adminDeliveriesApi(http: Transport): AdminDeliveriesApi {
  const path = (id: string) => `/api/deliveries/${encodeURIComponent(id)}`;
  return {
    list: (filters = {}) =>
      http.request("GET", "/api/deliveries", {
        query: {
          status: filters.status,
          event: filters.event,
          function: filters.function,
          event_id: filters.eventId,
          limit: filters.limit,
          offset: filters.offset,
        },
      }),
    get: (id) => http.request("GET", path(id)),
    replay: (id, data) =>
      http.request("POST", `${path(id)}/replay`, { body: data === undefined ? {} : { data } }),
  };
}
