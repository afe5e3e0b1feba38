// client.schedules: schedules and one-off runs, for admins (a client made with the admin key, or an
// admin user's token; others get 403). List them with their next runs, make, change and delete one,
// preview what an expression means, run one now and read its history of ticks. `runAt`, `runAfter`
// and `cancel` schedule a function to run once, durably, as `backend.runAt` does inside a function:
//   const run = await admin.schedules.runAfter(14 * 86_400_000, "expire-trial", { userId });
//   await admin.schedules.cancel(run.id);
// Dates may be given as `Date` or ISO-8601 strings; answers carry ISO-8601 strings.
import type { Transport } from "./http.js";

export type CatchUp = "none" | "one" | "all";
export type Overlap = "skip" | "allow";
export type TickStatus = "pending" | "running" | "done" | "failed" | "interrupted" | "skipped" | "missed";

/** A schedule or a one-off run, as the server answers it. */
export interface ScheduleItem {
  id: string;
  /** Unique across the project: `backend schedules run <name>`. */
  name: string;
  /** The function it runs. */
  function: string;
  /** recurring, or once (a one-off run: `runAt`, `runAfter`, a Base44 one-time automation). */
  kind: "recurring" | "once";
  /** As written: a cron, a phrase, an automation's summary, or "once at <instant>". */
  expression: string;
  /** The cron it runs on (a phrase's cron); null for one-offs and Base44 "simple" recurrences. */
  cron: string | null;
  description: string | null;
  /** The IANA time zone its expression is read in (UTC for one-offs). */
  timezone: string;
  /** What the function gets as its first argument; null for none. */
  payload: unknown;
  catchUp: CatchUp;
  overlap: Overlap;
  active: boolean;
  /** config: a function.jsonc (the next deploy rewrites it); api: made by hand; function: backend.runAt. */
  source: "config" | "api" | "function";
  /** No run after this instant. */
  endsAt: string | null;
  /** No more runs than this. */
  maxRuns: number | null;
  /** Ticks that ran so far. */
  runs: number;
  /** Null when it will not run again (switched off, a one-off that ran, its end reached). */
  nextRunAt: string | null;
  /** The scheduled time of its latest tick. */
  lastRunAt: string | null;
  /** How its latest run ended: done, failed, skipped, missed. */
  lastStatus: string | null;
  lastExecutionId: string | null;
  /** A run of it is going now. */
  running: boolean;
  /** Who made it: a user's id, "admin" (the admin key), "config", or the execution that called runAt. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  /** The next runs, when asked for (`next`). */
  nextRuns?: string[];
}

/** One tick of a schedule: a run (on time, caught up or by hand), or one that was skipped or missed. */
export interface TickItem {
  id: string;
  /** The schedule's name and id (kept after the schedule is deleted). */
  schedule: string;
  scheduleId: string;
  function: string;
  /** The tick's time; for a run by hand, when it was asked for. */
  scheduledAt: string;
  /**
   * pending: waiting its turn behind the schedule's earlier catch-up runs; interrupted: the server
   * running it stopped mid-run (it is not run twice).
   */
  status: TickStatus;
  /** A run made up for ticks missed while no server ran. */
  catchUp: boolean;
  /** How many other missed ticks it stands for. */
  missed: number;
  /** Run by hand (`run`, `backend schedules run`, the dashboard). */
  manual: boolean;
  executionId: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ScheduleFilters {
  /** Only this function's schedules. */
  function?: string;
  kind?: "recurring" | "once";
  /** Include each one's next N run times (0..100) as `nextRuns`. */
  next?: number;
}

/** Settings shared by a new schedule and a change to one. */
interface ScheduleSettings {
  /** The IANA time zone the expression is read in (default: the server's, UTC). */
  timezone?: string;
  /** What the function gets as its first argument. */
  payload?: unknown;
  /** Ticks missed while no server ran: none, one run for all of them (the default), or each. */
  catchUp?: CatchUp;
  /** A tick due while the last run still goes: skip it (the default) or run it anyway. */
  overlap?: Overlap;
  /** false: switched off. */
  active?: boolean;
}

export interface NewSchedule extends ScheduleSettings {
  /** The deployed function to run. */
  function: string;
  /** Default: made from the function's name. */
  name?: string;
  /** A cron ("0 9 * * 1-5") or a phrase ("weekdays at 9 AM"): a recurring schedule. */
  schedule?: string;
  /** An instant: a one-off run. */
  at?: Date | string;
  /** A delay from now in milliseconds: a one-off run. */
  afterMs?: number;
  description?: string;
  endsAt?: Date | string;
  maxRuns?: number;
}

/** A PATCH: what is given changes; `null` clears an end, a run limit or a description. */
export interface ScheduleChanges extends ScheduleSettings {
  name?: string;
  /** A new cron or phrase (not for one-off runs). */
  schedule?: string;
  description?: string | null;
  endsAt?: Date | string | null;
  maxRuns?: number | null;
}

export interface TickFilters {
  status?: TickStatus;
  /** 1..1000, default 50. */
  limit?: number;
  /** Ticks scheduled before this instant: the next page back. */
  before?: Date | string;
}

export interface PreviewInput {
  /** A cron or a phrase. */
  schedule: string;
  timezone?: string;
  /** How many next runs (default 5, at most 100). */
  count?: number;
}

/** What an expression means and when it would run, nothing saved. */
export interface SchedulePreview {
  expression: string;
  cron: string;
  /** True when the expression was a phrase. */
  phrase: boolean;
  timezone: string;
  nextRuns: string[];
}

/** How a run by hand ended. */
export interface ManualRun {
  /** Its tick in the history (manual: true). */
  tick: TickItem;
  /** The execution's status: success, error, timeout... */
  status: string;
  executionId: string | null;
  /** The function's result, when it succeeded. */
  result?: unknown;
  error: string | null;
}

export interface SchedulesApi {
  /** Every schedule and one-off run, recurring ones first. */
  list(filters?: ScheduleFilters): Promise<ScheduleItem[]>;
  /** One schedule by name or id, with its next `next` runs (default 5) as `nextRuns`. Unknown -> 404. */
  get(ref: string, options?: { next?: number }): Promise<ScheduleItem>;
  /** A recurring schedule (`schedule`) or a one-off run (`at` or `afterMs`): exactly one of them. */
  create(input: NewSchedule): Promise<ScheduleItem>;
  update(ref: string, changes: ScheduleChanges): Promise<ScheduleItem>;
  /** Deletes a schedule (cancels a one-off run); its history stays. */
  delete(ref: string): Promise<void>;
  /** Runs the schedule's function now with its payload; resolves when the run ends, failed or not. */
  run(ref: string): Promise<ManualRun>;
  /** Its history, newest first. */
  ticks(ref: string, filters?: TickFilters): Promise<TickItem[]>;
  /** The cron of a cron or phrase and its next runs, without saving anything. Bad -> BackendError 400. */
  preview(input: PreviewInput): Promise<SchedulePreview>;
  /** Runs a function once at an instant, durably. */
  runAt(at: Date | string, functionName: string, payload?: unknown): Promise<ScheduleItem>;
  /** Runs a function once after `ms` milliseconds, durably. */
  runAfter(ms: number, functionName: string, payload?: unknown): Promise<ScheduleItem>;
  /** Cancels a one-off run (by the id or name `runAt` / `runAfter` answered). */
  cancel(ref: string): Promise<void>;
}

export function schedulesApi(http: Transport): SchedulesApi {
  const path = (ref: string) => `/api/schedules/${encodeURIComponent(ref)}`;
  const api: SchedulesApi = {
    list: async (filters = {}) =>
      (
        await http.request<{ items: ScheduleItem[] }>("GET", "/api/schedules", {
          query: { function: filters.function, kind: filters.kind, next: filters.next },
        })
      ).items,
    get: (ref, options = {}) => http.request("GET", path(ref), { query: { next: options.next } }),
    create: (input) => http.request("POST", "/api/schedules", { body: newScheduleBody(input) }),
    update: (ref, changes) => http.request("PATCH", path(ref), { body: changesBody(changes) }),
    delete: (ref) => http.request("DELETE", path(ref)),
    run: (ref) => http.request("POST", `${path(ref)}/run`),
    ticks: async (ref, filters = {}) =>
      (
        await http.request<{ items: TickItem[] }>("GET", `${path(ref)}/ticks`, {
          query: { status: filters.status, limit: filters.limit, before: isoOf(filters.before) },
        })
      ).items,
    preview: (input) => http.request("POST", "/api/schedules/preview", { body: input }),
    runAt: (at, functionName, payload) => api.create({ function: functionName, at, payload }),
    runAfter: (ms, functionName, payload) => api.create({ function: functionName, afterMs: ms, payload }),
    cancel: (ref) => api.delete(ref),
  };
  return api;
}

/** The API's field names (snake_case), undefined fields left out. */
function newScheduleBody(input: NewSchedule): Record<string, unknown> {
  return definedOnly({
    function: input.function,
    name: input.name,
    schedule: input.schedule,
    at: isoOf(input.at),
    after_ms: input.afterMs,
    description: input.description,
    ends_at: isoOf(input.endsAt),
    max_runs: input.maxRuns,
    ...settingsBody(input),
  });
}

function changesBody(changes: ScheduleChanges): Record<string, unknown> {
  return definedOnly({
    name: changes.name,
    schedule: changes.schedule,
    description: changes.description,
    ends_at: changes.endsAt === null ? null : isoOf(changes.endsAt),
    max_runs: changes.maxRuns,
    ...settingsBody(changes),
  });
}

function settingsBody(settings: ScheduleSettings): Record<string, unknown> {
  return {
    timezone: settings.timezone,
    payload: settings.payload,
    catch_up: settings.catchUp,
    overlap: settings.overlap,
    active: settings.active,
  };
}

function isoOf(date: Date | string | undefined): string | undefined {
  return date instanceof Date ? date.toISOString() : date;
}

function definedOnly(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
