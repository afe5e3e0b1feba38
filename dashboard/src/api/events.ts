// /api/events/types and /api/subscriptions (admins): the event catalogue with subscriber counts, and
// which functions run for which type. Shapes from src/events/eventTypes.ts and subscriptions/.
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
