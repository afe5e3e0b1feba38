// client.admin.events: the event catalogue with subscriber counts, and the stored events — system
// and custom — with their deliveries and replays (GET /api/events/types, /api/events,
// /api/events/:id, POST /api/events/:id/replay). Publishing is `client.events.publish`.
import type { Transport } from "../http.js";
import type { Delivery } from "./deliveries.js";

export interface EventType {
  type: string;
  aliases: string[];
  phase: "PRE" | "POST" | "custom";
  description: string;
  /** Field -> what it holds. */
  payload: { [field: string]: string };
  subscribers: number;
  activeSubscribers: number;
}

export interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
  source: "system" | "custom";
  /** Who published or caused it. */
  actor: { id: string; email: string; role: "user" | "admin" } | null;
  cause: { kind: string; id: string } | null;
  /** How many events deep in a chain of handlers it was fired. */
  depth: number;
  createdAt: string;
}

export interface StoredEventWithDeliveries extends StoredEvent {
  deliveries: Delivery[];
}

export interface EventFilters {
  type?: string;
  /** Events caused by this request or execution id. */
  cause?: string;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

export interface AdminEventsApi {
  /** Every event type: system ones, and custom ones with subscribers. */
  types(): Promise<EventType[]>;
  /** Stored events, newest first (kept for events.retentionHours). */
  list(filters?: EventFilters): Promise<StoredEvent[]>;
  /** One event with its deliveries. Unknown -> 404. */
  get(id: string): Promise<StoredEventWithDeliveries>;
  /** Delivers the event again to every active subscription of its type; `data` replaces the payload. */
  replay(id: string, data?: { [field: string]: unknown }): Promise<Delivery[]>;
}

export function adminEventsApi(http: Transport): AdminEventsApi {
  const path = (id: string) => `/api/events/${encodeURIComponent(id)}`;
  return {
    types: async () => (await http.request<{ items: EventType[] }>("GET", "/api/events/types")).items,
    list: async (filters = {}) =>
      (await http.request<{ items: StoredEvent[] }>("GET", "/api/events", { query: { ...filters } })).items,
    get: (id) => http.request("GET", path(id)),
    replay: async (id, data) =>
      (
        await http.request<{ deliveries: Delivery[] }>("POST", `${path(id)}/replay`, {
          body: data === undefined ? {} : { data },
        })
      ).deliveries,
  };
}
