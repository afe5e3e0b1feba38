// What a schedule is, whichever way it was declared (function.jsonc `triggers.schedules`, a Base44
// `automations` entry, the API, `backend.runAt`): when it runs (its recurrence), what it passes, and
// its policies. The scheduler only ever sees this shape.

/** When a schedule runs. Every instant is computed in `timezone` (IANA; UTC by default). */
export type Recurrence =
  /** A croner pattern (5 or 6 fields): written as cron, or a phrase turned into cron. */
  | { kind: "cron"; cron: string; timezone: string }
  /** Once, at an instant (ISO-8601): `backend.runAt`, Base44 one-time automations. */
  | { kind: "once"; at: string }
  /** Base44's "simple" recurrence: every `interval` units from `start`, optionally on some days. */
  | ({ kind: "simple"; timezone: string } & SimpleRecurrence);

export type RepeatUnit = "minutes" | "hours" | "days" | "weeks" | "months";

export interface SimpleRecurrence {
  unit: RepeatUnit;
  /** 1 or more. */
  interval: number;
  /**
   * Where the count starts and the time of day of every run: an ISO-8601 date-time without an
   * offset is local to the time zone ("2026-12-07T09:00"); with one (or Z) it is that instant.
   */
  start: string;
  /** Only on these weekdays (0 = Sunday ... 6 = Saturday). */
  days?: number[];
  /** months: on this day of the month (1-31; the month's last day when it is shorter). */
  dayOfMonth?: number;
}

export type CatchUp = "none" | "one" | "all";
export type Overlap = "skip" | "allow";

/** A schedule as declared, before it is stored. */
export interface ScheduleSpec {
  /** Unique across the project; defaults are made from the function's name. */
  name?: string;
  description?: string;
  /** As written by the developer (a cron, a phrase, or a summary of a Base44 automation). */
  expression: string;
  recurrence: Recurrence;
  payload?: unknown;
  catchUp?: CatchUp;
  overlap?: Overlap;
  active?: boolean;
  /** No run after this instant (ISO-8601). */
  endsAt?: string;
  /** No more than this many runs in all. */
  maxRuns?: number;
}
