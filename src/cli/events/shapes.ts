// The answers of the events API (GET /api/events/types, /api/subscriptions, /api/deliveries,
// /api/traces), as the `backend events` commands read them. The server answers with canonical
// event type names (POST_USER_CREATE), whatever alias the command was given.

export interface EventTypeItem {
  type: string;
  aliases: string[];
  phase: "PRE" | "POST" | "custom";
  description: string;
  /** Payload field -> what it holds. */
  payload: Record<string, string>;
  subscribers: number;
  activeSubscribers: number;
}

export interface PublishedEvent {
  id: string;
  type: string;
  /** How many deliveries the event got: one per active subscription that matched. */
  deliveries: number;
}

export interface SubscriptionItem {
  id: string;
  event: string;
  function: string;
  priority: number;
  active: boolean;
  filter: Record<string, unknown> | null;
  onError: "block" | "allow";
  source: "config" | "api";
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = "pending" | "running" | "done" | "dead";

export interface DeliveryItem {
  id: string;
  eventId: string;
  /** The event type. */
  event: string;
  subscriptionId: string;
  function: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  executionId: string | null;
  replayOf: string | null;
  createdAt: string;
  completedAt: string | null;
}

export interface TraceNode {
  kind: "request" | "event" | "delivery" | "execution";
  id: string;
  /** An event's type; on a delivery or execution, the type it ran for, when there is one. */
  type?: string;
  /** "PRE" on the executions of PRE handlers. */
  phase?: string;
  function?: string;
  /** An execution's trigger: call, event, schedule, http... */
  trigger?: string;
  status?: string;
  error?: string | null;
  /** When it happened (an event's creation, an execution's start). */
  at?: string;
  durationMs?: number | null;
  children: TraceNode[];
}

export interface Trace {
  root: TraceNode;
  /** True when the chain was too long and was cut. */
  truncated?: boolean;
}
