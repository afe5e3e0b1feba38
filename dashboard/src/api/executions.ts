// /api/executions, /api/logs/stream, /api/traces and the payloads behind a run (admins): the
// executions table, one run with its log lines, the causal chain around it, and new log lines as
// server-sent events. Shapes as the server answers them (src/functions/executions/execution.ts,
// getExecution.ts, src/events/trace.ts, src/events/eventItems.ts).
import { BackendError } from "../../../src/sdk/index.js";
import type { Transport } from "../../../src/sdk/http.js";

export const EXECUTION_STATUSES = [
  "running",
  "success",
  "error",
  "timeout",
  "cpu_limit",
  "memory_limit",
  "crashed",
  "too_large",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const TRIGGERS = ["call", "http", "event", "schedule"] as const;
export type Trigger = (typeof TRIGGERS)[number];

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Cause {
  /** request, execution, event (a PRE run), delivery (a POST run), tick (a schedule). */
  kind: string;
  id: string;
}

export interface Execution {
  id: string;
  function: string;
  version: number;
  trigger: Trigger;
  /** A user id, "admin" for the admin key, null when anonymous. */
  caller: string | null;
  cause: Cause | null;
  status: ExecutionStatus;
  error: string | null;
  startedAt: string;
  durationMs: number | null;
  resultSize: number | null;
  logsTruncated: boolean;
}

export interface ExecutionLog {
  id: string;
  seq: number;
  level: LogLevel;
  time: string;
  message: string;
}

export interface ExecutionWithLogs extends Execution {
  logs: ExecutionLog[];
}

/** A line of GET /api/logs and of the log stream. */
export interface LogLine extends ExecutionLog {
  executionId: string;
  function: string;
}

export interface ExecutionFilter {
  function?: string;
  status?: ExecutionStatus;
  trigger?: Trigger;
  cause?: string;
  /** ISO-8601: started at or after. */
  since?: string;
  /** ISO-8601: started before. */
  until?: string;
  limit?: number;
  offset?: number;
}

export interface ExecutionPage {
  items: Execution[];
  total: number;
  limit: number;
  offset: number;
}

export function listExecutions(http: Transport, filter: ExecutionFilter): Promise<ExecutionPage> {
  return http.request("GET", "/api/executions", { query: { ...filter } });
}

export function getExecution(http: Transport, id: string): Promise<ExecutionWithLogs> {
  return http.request("GET", `/api/executions/${encodeURIComponent(id)}`);
}

/** GET /api/logs: lines across runs, newest first. */
export async function listLogs(
  http: Transport,
  filter: { function?: string; since?: string; limit?: number },
): Promise<LogLine[]> {
  return (await http.request<{ items: LogLine[] }>("GET", "/api/logs", { query: { ...filter } })).items;
}

export type TraceKind = "request" | "event" | "delivery" | "execution" | "tick";

export interface TraceNode {
  kind: TraceKind;
  id: string;
  /** event: its type; delivery and execution: the event type they ran for, when there is one. */
  type?: string;
  /** tick: the schedule's name. */
  schedule?: string;
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
  root: TraceNode;
  truncated: boolean;
}

export function getTrace(http: Transport, id: string): Promise<Trace> {
  return http.request("GET", `/api/traces/${encodeURIComponent(id)}`);
}

/** GET /api/events/:id, the part read here. */
export interface StoredEvent {
  id: string;
  type: string;
  data: unknown;
  createdAt: string;
}

export function getEvent(http: Transport, id: string): Promise<StoredEvent> {
  return http.request("GET", `/api/events/${encodeURIComponent(id)}`);
}

/** GET /api/deliveries/:id, the part read here: the payload the handler was given. */
export interface DeliveryWithData {
  id: string;
  eventId: string;
  event: string;
  function: string;
  status: string;
  attempts: number;
  data: unknown;
}

export function getDelivery(http: Transport, id: string): Promise<DeliveryWithData> {
  return http.request("GET", `/api/deliveries/${encodeURIComponent(id)}`);
}

/**
 * Follows GET /api/logs/stream until `signal` aborts, calling `onLine` per log line and `onOpen`
 * once the server says it is connected. EventSource cannot send the bearer token, so this reads
 * the server-sent events from fetch's body. Rejects with a BackendError when the stream cannot be
 * opened or breaks; resolves when aborted.
 */
export async function followLogs(
  http: Transport,
  options: { function?: string; signal: AbortSignal; onOpen: () => void; onLine: (line: LogLine) => void },
): Promise<void> {
  const params = new URLSearchParams();
  if (options.function) params.set("function", options.function);
  const search = params.toString();
  const url = `${location.origin}/api/logs/stream${search ? `?${search}` : ""}`;
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (http.token) headers.authorization = `Bearer ${http.token}`;
  try {
    const response = await fetch(url, { headers, signal: options.signal });
    if (!response.ok || !response.body) throw await streamError(response);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new BackendError(0, "stream_closed", "The log stream was closed by the server");
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith(": connected")) options.onOpen();
        const data = event
          .split("\n")
          .filter((field) => field.startsWith("data:"))
          .map((field) => field.slice(5).trimStart())
          .join("\n");
        if (data) options.onLine(JSON.parse(data) as LogLine);
      }
    }
  } catch (error) {
    if (options.signal.aborted) return;
    if (error instanceof BackendError) throw error;
    throw new BackendError(0, "network_error", `The log stream broke: ${(error as Error).message}`);
  }
}

async function streamError(response: Response): Promise<BackendError> {
  const text = await response.text().catch(() => "");
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error?.message) return new BackendError(response.status, error.code ?? "http_error", error.message);
  } catch {
    // Not JSON: said below.
  }
  return new BackendError(response.status, "http_error", `The log stream failed with ${response.status}`);
}
