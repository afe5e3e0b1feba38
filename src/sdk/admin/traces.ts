// client.admin.traces: the causal chain around a request, event, delivery, execution or schedule
// tick (GET /api/traces/:id): what caused it, and everything it caused, as one tree.
import type { Transport } from "../http.js";

export type TraceKind = "request" | "event" | "delivery" | "execution" | "tick";

export interface TraceNode {
  kind: TraceKind;
  id: string;
  /** event: its type; delivery and execution: the event type they ran for, when there is one. */
  type?: string;
  /** tick: the schedule's name. */
  schedule?: string;
  /** "PRE" for a PRE handler's run. */
  phase?: "PRE";
  function?: string;
  trigger?: string;
  status?: string;
  error?: string | null;
  at?: string;
  durationMs?: number | null;
  children: TraceNode[];
}

export interface Trace {
  /** The first cause; the id asked for is somewhere in its tree. */
  root: TraceNode;
  /** A runaway chain was cut short. */
  truncated: boolean;
}

export interface AdminTracesApi {
  /** The chain around any id; an id the server does not know -> 404. */
  get(id: string): Promise<Trace>;
}

export function adminTracesApi(http: Transport): AdminTracesApi {
  return { get: (id) => http.request("GET", `/api/traces/${encodeURIComponent(id)}`) };
}
