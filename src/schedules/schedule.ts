// What a schedule looks like outside the database (API, CLI --json, dashboard), and the next tick of
// a stored one: its recurrence, cut off by its end date and its run count.
import type { SchedulesTable } from "../storage/schema.js";
import { readJson, writeJson } from "../storage/store.js";
import { cronOf, nextRun } from "./expressions/recurrence.js";
import type { CatchUp, Overlap, Recurrence } from "./scheduleSpec.js";

export interface ScheduleItem {
  id: string;
  name: string;
  function: string;
  /** recurring, or once (a one-off run: `backend.runAt`, a Base44 one-time automation). */
  kind: "recurring" | "once";
  /** As written: a cron, a phrase, an automation's summary, or the one-off's instant. */
  expression: string;
  /** The cron it runs on (a phrase shown back as cron); null for one-offs and simple recurrences. */
  cron: string | null;
  description: string | null;
  timezone: string;
  payload: unknown;
  catchUp: CatchUp;
  overlap: Overlap;
  active: boolean;
  /** config: function.jsonc (a deploy rewrites it); api: made by hand; function: backend.runAt. */
  source: "config" | "api" | "function";
  endsAt: string | null;
  maxRuns: number | null;
  /** Ticks that ran so far. */
  runs: number;
  /** Null when it will not run again (a one-off that ran, its end reached). */
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  lastExecutionId: string | null;
  /** A tick of it is running now. */
  running: boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toScheduleItem(row: SchedulesTable, now: Date): ScheduleItem {
  const recurrence = recurrenceOf(row);
  return {
    id: row.id,
    name: row.name,
    function: row.function_name,
    kind: row.kind,
    expression: row.expression,
    cron: cronOf(recurrence),
    description: row.description,
    timezone: row.timezone,
    payload: readPayload(row.payload) ?? null,
    catchUp: row.catch_up,
    overlap: row.overlap,
    active: Number(row.active) !== 0,
    source: row.source,
    endsAt: row.ends_at,
    maxRuns: row.max_runs === null ? null : Number(row.max_runs),
    runs: Number(row.runs),
    nextRunAt: Number(row.active) !== 0 ? row.next_run_at : null,
    lastRunAt: row.last_run_at,
    lastStatus: row.last_status,
    lastExecutionId: row.last_execution_id,
    running: row.running_until !== null && row.running_until > now.toISOString(),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A payload is any JSON, kept as `{ "value": ... }`: PostgreSQL hands a jsonb string back as a bare
 * string, which could not be told from SQLite's JSON text otherwise.
 */
export function writePayload(payload: unknown): string | null {
  return payload === undefined || payload === null ? null : writeJson({ value: payload });
}

export function readPayload(column: SchedulesTable["payload"]): unknown {
  return column === null ? undefined : (readJson(column) as { value: unknown }).value;
}

export function recurrenceOf(row: Pick<SchedulesTable, "recurrence">): Recurrence {
  return readJson(row.recurrence) as Recurrence;
}

export interface TickLimits {
  endsAt: string | null;
  maxRuns: number | null;
  /** Runs taken so far. */
  runs: number;
}

/** The first tick strictly after `after`, or null when the schedule is over. */
export function nextTick(recurrence: Recurrence, after: Date, limits: TickLimits): string | null {
  if (limits.maxRuns !== null && limits.runs >= limits.maxRuns) return null;
  const next = nextRun(recurrence, after);
  if (!next) return null;
  const at = next.toISOString();
  return limits.endsAt !== null && at > limits.endsAt ? null : at;
}

/** The next `count` ticks after `after` (fewer when the schedule ends first). */
export function nextTicks(recurrence: Recurrence, after: Date, limits: TickLimits, count: number): string[] {
  const out: string[] = [];
  let from = after;
  let runs = limits.runs;
  while (out.length < count) {
    const at = nextTick(recurrence, from, { ...limits, runs });
    if (!at) break;
    out.push(at);
    from = new Date(at);
    runs++;
  }
  return out;
}

export function limitsOf(row: Pick<SchedulesTable, "ends_at" | "max_runs" | "runs">): TickLimits {
  return {
    endsAt: row.ends_at,
    maxRuns: row.max_runs === null ? null : Number(row.max_runs),
    runs: Number(row.runs),
  };
}
