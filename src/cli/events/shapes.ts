// The answers of the events API (GET /api/events/types, /api/subscriptions, /api/deliveries,
// /api/traces), as the `backend events` commands read them: the server's own item types, so the
// two cannot drift apart. The server answers with canonical event type names (POST_USER_CREATE),
// whatever alias the command was given.
export type { DeliveryItem } from "../../events/eventItems.js";
export type { EventTypeItem } from "../../events/eventTypes.js";
export type { Published as PublishedEvent } from "../../events/publishEvent.js";
export type { SubscriptionItem } from "../../events/subscriptions/subscription.js";
export type { TraceNode } from "../../events/trace.js";
import type { DeliveryItem } from "../../events/eventItems.js";
import type { TraceNode } from "../../events/trace.js";

export type DeliveryStatus = DeliveryItem["status"];

export interface Trace {
  root: TraceNode;
  /** True when the chain was too long and was cut. */
  truncated?: boolean;
}
