// client.admin.logs: the lines functions print, across runs: a page of them, newest first
// (GET /api/logs), or each new one as it is written (GET /api/logs/stream, server-sent events read
// from fetch's body, because EventSource cannot send the bearer token).
import { BackendError } from "../errors.js";
import type { Transport } from "../http.js";
import { type ExecutionLog, isoOf, type LogLevel } from "./executions.js";

/** A log line with the run it belongs to. */
export interface LogLine extends ExecutionLog {
  executionId: string;
  function: string;
}

export interface LogFilters {
  function?: string;
  /** One run's lines. */
  execution?: string;
  /** This level and above. */
  level?: LogLevel;
  since?: Date | string;
  until?: Date | string;
  /** 1..1000. */
  limit?: number;
  offset?: number;
}

export interface FollowOptions {
  function?: string;
  /** This level and above. */
  level?: LogLevel;
  /** Stops following; `follow` then resolves. */
  signal: AbortSignal;
  /** Called once the server says the stream is open: lines written from then on arrive. */
  onOpen?: () => void;
  onLine: (line: LogLine) => void;
}

export interface AdminLogsApi {
  /** Log lines, newest first. */
  list(filters?: LogFilters): Promise<LogLine[]>;
  /**
   * Calls `onLine` with each new line until `signal` aborts (then resolves). Rejects with a
   * BackendError when the stream cannot be opened, or with code "stream_closed" / "network_error"
   * when it ends or breaks.
   */
  follow(options: FollowOptions): Promise<void>;
}

export function adminLogsApi(http: Transport): AdminLogsApi {
  return {
    list: async (filters = {}) =>
      (
        await http.request<{ items: LogLine[] }>("GET", "/api/logs", {
          query: { ...filters, since: isoOf(filters.since), until: isoOf(filters.until) },
        })
      ).items,
    follow: (options) => follow(http, options),
  };
}

async function follow(http: Transport, options: FollowOptions): Promise<void> {
  const { signal } = options;
  try {
    const body = await http.stream("/api/logs/stream", {
      query: { function: options.function, level: options.level },
      accept: "text/event-stream",
      signal,
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new BackendError(0, "stream_closed", "The log stream was closed by the server");
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (event.startsWith(": connected")) options.onOpen?.();
        const data = event
          .split("\n")
          .filter((field) => field.startsWith("data:"))
          .map((field) => field.slice(5).trimStart())
          .join("\n");
        if (data) options.onLine(JSON.parse(data) as LogLine);
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof BackendError) throw error;
    throw new BackendError(0, "network_error", `The log stream broke: ${(error as Error).message}`);
  }
}
