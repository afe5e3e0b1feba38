// The contract between the server and the function runtime. The runtime knows nothing about HTTP
// or SQL: it gets a bundle, an input and a bridge, and returns an outcome. Everything here crosses
// the IPC channel to a sandbox worker, so it is plain data (structured-clone safe).

/** How the bundle exposes its handler, decided at deploy time (src/functions/deploy). */
export type FunctionForm =
  /** `export default async function (event, context)`; the bundle's `default` export. */
  | "default"
  /** `export function handler(request, context)` or a top-level `function handler` (seed 002). */
  | "handler"
  /** A classic script whose top-level function is the handler (seed 000); exported as `default` by the bundler. */
  | "classic"
  /** `Deno.serve(handler)` with Web Request/Response (seed 001). */
  | "deno";

export interface FunctionCode {
  name: string;
  version: number;
  /** Cache key for warm isolates and compiled code: unique per deployed version. */
  key: string;
  /** IIFE bundle that assigns its exports to `globalThis.__backendModule`. */
  code: string;
  sourceMap?: string;
  form: FunctionForm;
}

export type Trigger = "http" | "call" | "event" | "schedule";

/** An HTTP request as the function sees it (http trigger, and the Request of a Deno.serve function). */
export interface HttpRequestData {
  method: string;
  /** Absolute URL, e.g. http://host/functions/hello?x=1 */
  url: string;
  headers: [string, string][];
  /** Raw body bytes (webhooks verify signatures over them). */
  body?: Uint8Array;
}

export interface CallerIdentity {
  id: string;
  email: string;
  role: "user" | "admin";
}

/** The event a handler runs for: `context.event_type`, `context.event_data`, `context.event_id`. */
export interface EventInput {
  id: string;
  type: string;
  data: unknown;
  /** POST handlers: the delivery's stable id (the same on every retry), for idempotency. */
  deliveryId?: string;
  /** POST handlers: which attempt this is, from 1. */
  attempt?: number;
}

/** The tick a scheduled run is for: `context.schedule_name`, `context.scheduled_time`, `context.catch_up`. */
export interface ScheduleInput {
  id: string;
  name: string;
  tickId: string;
  /** The tick's scheduled time (ISO-8601); for "run now", when it was asked for. */
  scheduledTime: string;
  /** True for a run made up for ticks missed while no node ran (catch_up one or all). */
  catchUp: boolean;
  /** How many other missed ticks this run stands for (catch_up one). */
  missed: number;
  /** True for "run now" (CLI, API, dashboard). */
  manual: boolean;
}

export interface ExecutionInput {
  trigger: Trigger;
  /** The payload of a call, the event data of an event, the schedule's payload. */
  payload?: unknown;
  /** Present for the http trigger; built from the payload for calls of a Deno.serve function. */
  request?: HttpRequestData;
  /** Present for the event trigger. */
  event?: EventInput;
  /** Present for the schedule trigger. */
  schedule?: ScheduleInput;
  /** Who called, as established by the server from its session; null when anonymous. */
  caller: CallerIdentity | null;
}

export interface ExecutionLimits {
  timeoutMs: number;
  memoryMb: number;
  /** CPU time; defaults to timeoutMs. */
  cpuMs?: number;
  maxLogBytes: number;
  maxResultBytes: number;
}

export interface FetchPolicy {
  /** Hosts, IPs or CIDRs allowed even though private/loopback/link-local. */
  allow: string[];
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface ExecutionJob {
  executionId: string;
  fn: FunctionCode;
  input: ExecutionInput;
  /** Decrypted secrets for `env` / `Deno.env.get`. Never logged, never stored with the execution. */
  env: Record<string, string>;
  limits: ExecutionLimits;
  fetch: FetchPolicy;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogLine {
  level: LogLevel;
  /** ISO-8601 */
  time: string;
  message: string;
}

export type ExecutionStatus =
  | "success"
  /** The function threw, rejected, or returned a Response with status >= 400. */
  | "error"
  | "timeout"
  | "cpu_limit"
  | "memory_limit"
  /** The sandbox worker died (killed, crashed) during the execution. */
  | "crashed"
  /** The result (or response body) was over maxResultBytes. */
  | "too_large";

export interface HttpResponseData {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

export interface ExecutionOutcome {
  status: ExecutionStatus;
  /** The returned value (JSON-compatible) for default/handler/classic forms. */
  result?: unknown;
  /** The Response of a Deno.serve function, or one returned by another form. */
  response?: HttpResponseData;
  /** Set unless status is success: a clear, specific message ("Timed out after 10000 ms"). */
  error?: { message: string; stack?: string };
  logs: LogLine[];
  logsTruncated: boolean;
  durationMs: number;
  resultSize: number;
}

/**
 * Calls from function code back to the server: `backend.query(...)` becomes
 * bridge("records.query", ["users", {...}], "service"). `as` is "service" for the global `backend`
 * and `asServiceRole`, "caller" for a client from createClientFromRequest. The server decides
 * what each op may do from the execution it started, never from anything the function sends.
 */
export type BridgeHandler = (op: string, args: unknown[], as: "service" | "caller") => Promise<unknown>;
