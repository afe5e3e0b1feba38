// client.admin.subscriptions: which functions run for which event types, in what order
// (GET/POST /api/subscriptions, PATCH/DELETE /api/subscriptions/:id). Those a function.jsonc declares
// (source "config") come back on its next deploy.
import type { Transport } from "../http.js";

export interface Subscription {
  id: string;
  event: string;
  function: string;
  /** Lower runs first. */
  priority: number;
  active: boolean;
  /** Matched against the event payload, in the filter language of records. */
  filter: { [field: string]: unknown } | null;
  /** PRE only: whether a handler that fails blocks the action or lets it go on. */
  onError: "block" | "allow";
  /** config: declared in the function's function.jsonc; api: made by hand. */
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
}

export interface SubscriptionSettings {
  priority?: number;
  active?: boolean;
  filter?: { [field: string]: unknown } | null;
  onError?: "block" | "allow";
}

export interface NewSubscription extends SubscriptionSettings {
  event: string;
  function: string;
}

export interface AdminSubscriptionsApi {
  /** By event type and priority. */
  list(filters?: { event?: string; function?: string }): Promise<Subscription[]>;
  create(input: NewSubscription): Promise<Subscription>;
  update(id: string, changes: SubscriptionSettings): Promise<Subscription>;
  delete(id: string): Promise<void>;
}

export function adminSubscriptionsApi(http: Transport): AdminSubscriptionsApi {
  const path = (id: string) => `/api/subscriptions/${encodeURIComponent(id)}`;
  return {
    list: async (filters = {}) =>
      (await http.request<{ items: Subscription[] }>("GET", "/api/subscriptions", { query: { ...filters } }))
        .items,
    create: (input) => http.request("POST", "/api/subscriptions", { body: settingsBody(input) }),
    update: (id, changes) => http.request("PATCH", path(id), { body: settingsBody(changes) }),
    delete: (id) => http.request("DELETE", path(id)),
  };
}

/** The API's field names: on_error. */
function settingsBody<T extends SubscriptionSettings>(input: T): object {
  const { onError, ...rest } = input;
  return onError === undefined ? rest : { ...rest, on_error: onError };
}
