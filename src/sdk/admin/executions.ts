// client.admin.executions: every run of a function (calls, HTTP requests, event handlers, schedule
// ticks and test runs), newest first and filterable, and one run with its log lines
// (GET /api/executions, /api/executions/:id).
import type { Transport } from "../http.js";
import type { Page } from "../types.js";

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

/** What started a run: a call from a function or the SDK, an HTTP request, an event, a schedule. */
export const TRIGGERS = ["http", "call", "event", "schedule"] as const;
export type Trigger = (typeof TRIGGERS)[number];

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What caused a run: a request, an execution, an event (a PRE run), a delivery (a POST run), a tick. */
export interface Cause {
  kind: string;
  id: string;
}

export interface Execution {
  id: string;
  function: string;
  /** 0 for a test run of undeployed code. */
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

/** An HTTP request or response as a run keeps it: credentials left out, the body as UTF-8 text. */
export interface KeptHttp {
  method?: string;
  url?: string;
  status?: number;
  /** Lower-case names; a repeated header's values joined with ", ". */
  headers: { [name: string]: string };
  bodyBytes: number;
  /** Absent when the body is not UTF-8 text. */
  body?: string;
}

/** What a run was given: the payload, and the event, schedule tick or HTTP request it ran for. */
export interface KeptInput {
  event?: { type: string; id: string; deliveryId?: string; attempt?: number };
  schedule?: {
    id: string;
    name: string;
    tickId: string;
    scheduledTime: string;
    catchUp: boolean;
    missed: number;
    manual: boolean;
  };
  request?: KeptHttp;
  payload?: unknown;
}

/** What a run answered: the returned value (absent: it returned nothing), or its own Response. */
export type KeptResult = { value?: unknown } | { response: KeptHttp };

/** An input or result over the server's `functions.keepBytes`: the start of its JSON text. */
export interface CutText {
  /** True when the text was cut (false only for a stored text that is not JSON). */
  truncated: boolean;
  /** UTF-8 bytes of the whole JSON text. */
  bytes: number;
  text: string;
}

export interface ExecutionWithLogs extends Execution {
  /** What the run was given; a CutText when it was too large to keep whole; null when not kept. */
  input: KeptInput | CutText | null;
  /** What it returned or answered, the same way; null too when it failed without a Response. */
  result: KeptResult | CutText | null;
  /** In the order they were written. */
  logs: ExecutionLog[];
}

/** Whether a kept input or result was cut: then only the start of its JSON text is there. */
export function isCut(kept: object): kept is CutText {
  return "truncated" in kept && "text" in kept;
}

export interface ExecutionFilters {
  function?: string;
  status?: ExecutionStatus;
  trigger?: Trigger;
  /** Runs caused by this request, execution, event, delivery or tick id. */
  cause?: string;
  /** Started at or after. */
  since?: Date | string;
  /** Started before. */
  until?: Date | string;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

export interface AdminExecutionsApi {
  /** Runs, newest first; `total` counts every match. */
  list(filters?: ExecutionFilters): Promise<Page<Execution>>;
  /** One run with its log lines. Unknown -> 404. */
  get(id: string): Promise<ExecutionWithLogs>;
}

export function adminExecutionsApi(http: Transport): AdminExecutionsApi {
  return {
    list: (filters = {}) =>
      http.request("GET", "/api/executions", {
        query: { ...filters, since: isoOf(filters.since), until: isoOf(filters.until) },
      }),
    get: (id) => http.request("GET", `/api/executions/${encodeURIComponent(id)}`),
  };
}

export function isoOf(date: Date | string | undefined): string | undefined {
  return date instanceof Date ? date.toISOString() : date;
}
