// /api/events/types, /api/subscriptions and /api/events/:id (admins): the event catalogue with
// subscriber counts, which functions run for which type, and one stored event. Shapes from
// src/events/eventTypes.ts, subscriptions/ and eventItems.ts. Publishing goes through the SDK.
import type { Transport } from "../../../src/sdk/http.js";

export interface EventType {
  type: string;
  aliases: string[];
  phase: "PRE" | "POST" | "custom";
  description: string;
  /** Field -> what it holds. */
  payload: Record<string, string>;
  subscribers: number;
  activeSubscribers: number;
}

export interface Subscription {
  id: string;
  event: string;
  function: string;
  priority: number;
  active: boolean;
  filter: Record<string, unknown> | null;
  onError: "block" | "allow";
  /** config: declared in the function's function.jsonc; api: made by hand. */
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
}

export interface NewSubscription {
  event: string;
  function: string;
  priority?: number;
  active?: boolean;
}

export type SubscriptionChanges = Partial<Pick<Subscription, "priority" | "active">>;

export async function listEventTypes(http: Transport): Promise<EventType[]> {
  return (await http.request<{ items: EventType[] }>("GET", "/api/events/types")).items;
}

export async function listSubscriptions(http: Transport, event: string): Promise<Subscription[]> {
  const answer = await http.request<{ items: Subscription[] }>("GET", "/api/subscriptions", {
    query: { event },
  });
  return answer.items;
}

export function createSubscription(http: Transport, input: NewSubscription): Promise<Subscription> {
  return http.request("POST", "/api/subscriptions", { body: input });
}

export function updateSubscription(
  http: Transport,
  id: string,
  changes: SubscriptionChanges,
): Promise<Subscription> {
  return http.request("PATCH", `/api/subscriptions/${encodeURIComponent(id)}`, { body: changes });
}

export async function deleteSubscription(http: Transport, id: string): Promise<void> {
  await http.request("DELETE", `/api/subscriptions/${encodeURIComponent(id)}`);
}

/** A stored event (GET /api/events/:id, src/events/eventItems.ts), with its deliveries. */
export interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
  source: "system" | "custom";
  /** Who published or caused it. */
  actor: { id: string; email: string; role: "user" | "admin" } | null;
  cause: { kind: string; id: string } | null;
  depth: number;
  createdAt: string;
  deliveries: { id: string; function: string; status: string }[];
}

export function getEvent(http: Transport, id: string): Promise<StoredEvent> {
  return http.request("GET", `/api/events/${encodeURIComponent(id)}`);
}
