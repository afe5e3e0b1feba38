// What to do with a schedule that is due: which ticks run, which are only recorded, and when it is
// due next. Pure, so every policy is tested without a clock or a database.
//   - Only the latest due tick can be on time, and only if it is at most `missedAfterMs` late; every
//     earlier one was superseded while no node ran it, so it was missed.
//   - catch_up none: missed ticks are recorded, not run; one (the default): a single run stands for
//     all of them (and for the on-time tick, if any); all: each runs, oldest first, at most
//     maxCatchUp (the older ones beyond that are recorded as missed).
//   - overlap skip (the default): while a run of the schedule is still going, due ticks are recorded
//     as skipped instead of run.
//   - A schedule ends at its end date or after max_runs runs.
import { nextRun, previousRun, runsBetween } from "../expressions/recurrence.js";
import { nextTick, type TickLimits } from "../schedule.js";
import type { CatchUp, Recurrence } from "../scheduleSpec.js";

/** Missed ticks counted at most, when they are only counted (catch_up none and one). */
const COUNT_CAP = 1000;

export interface PlannedRun {
  scheduledAt: string;
  catchUp: boolean;
  /** Other missed ticks this run stands for. */
  missed: number;
}

export interface RecordedTick {
  scheduledAt: string;
  status: "skipped" | "missed";
  /** Other missed ticks this record stands for. */
  missed: number;
}

export interface TickPlan {
  runs: PlannedRun[];
  records: RecordedTick[];
  nextRunAt: string | null;
  /** The latest tick taken, run or not. */
  latest: string | null;
}

export interface DueSchedule {
  recurrence: Recurrence;
  /** Its persisted next run, which has come. */
  due: string;
  catchUp: CatchUp;
  limits: TickLimits;
}

export interface PlanOptions {
  missedAfterMs: number;
  maxCatchUp: number;
  /** A run of this schedule is going and it does not allow overlap. */
  busy: boolean;
}

export function planTicks(schedule: DueSchedule, now: Date, options: PlanOptions): TickPlan {
  const { recurrence, due, catchUp, limits } = schedule;
  const ended = (t: string) => limits.endsAt !== null && t > limits.endsAt;
  // Usually only `due` is due, and the run after it is the next one: one step of the recurrence
  // answers both (the scheduler plans every due schedule on every turn, so this is its hot path).
  const following = nextRun(recurrence, new Date(due));
  const nextRunAt = (runs: number) => {
    if (limits.maxRuns !== null && limits.runs + runs >= limits.maxRuns) return null;
    if (following === null) return null;
    if (following > now) return ended(iso(following)) ? null : iso(following);
    return nextTick(recurrence, now, { ...limits, runs: limits.runs + runs });
  };
  // The due ticks, oldest first, counted up to a cap; past the cap only the latest few matter.
  const window = catchUp === "all" ? options.maxCatchUp + 1 : 2;
  const later =
    following !== null && following <= now
      ? [following, ...runsBetween(recurrence, following, now, COUNT_CAP - 1)].map(iso)
      : [];
  const counted = [due, ...later].filter((t) => !ended(t));
  const truncated = counted.length > COUNT_CAP;
  const tail = truncated
    ? lastTicks(recurrence, now, window).filter((t) => !ended(t))
    : counted.slice(-window);
  const latest = tail.at(-1) ?? null;
  if (latest === null) return { runs: [], records: [], nextRunAt: null, latest: null };

  const onTime = now.getTime() - Date.parse(latest) <= options.missedAfterMs ? latest : undefined;
  const missedCount = counted.length - (onTime ? 1 : 0);
  const missed = onTime ? tail.slice(0, -1) : tail;
  let runs: PlannedRun[] = [];
  const records: RecordedTick[] = [];
  if (missedCount === 0) {
    runs.push({ scheduledAt: latest, catchUp: false, missed: 0 });
  } else if (catchUp === "one") {
    runs.push({ scheduledAt: latest, catchUp: true, missed: counted.length - 1 });
  } else if (catchUp === "none") {
    records.push({ scheduledAt: missed.at(-1)!, status: "missed", missed: missedCount - 1 });
    if (onTime) runs.push({ scheduledAt: onTime, catchUp: false, missed: 0 });
  } else {
    const kept = missed.slice(-options.maxCatchUp);
    const dropped = missedCount - kept.length;
    if (dropped > 0) {
      const lastDropped = previousRun(recurrence, new Date(Date.parse(kept[0]!) - 1));
      if (lastDropped) records.push({ scheduledAt: iso(lastDropped), status: "missed", missed: dropped - 1 });
    }
    runs = kept.map((t) => ({ scheduledAt: t, catchUp: true, missed: 0 }));
    if (onTime) runs.push({ scheduledAt: onTime, catchUp: false, missed: 0 });
  }

  if (options.busy) {
    for (const run of runs)
      records.push({ scheduledAt: run.scheduledAt, status: "skipped", missed: run.missed });
    runs = [];
  }
  if (limits.maxRuns !== null) runs = runs.slice(0, Math.max(0, limits.maxRuns - limits.runs));
  return { runs, records, nextRunAt: nextRunAt(runs.length), latest };
}

/** The last `count` ticks at or before `now`, oldest first. */
function lastTicks(recurrence: Recurrence, now: Date, count: number): string[] {
  const out: string[] = [];
  let at: Date | null = now;
  while (out.length < count && (at = previousRun(recurrence, at))) {
    out.unshift(iso(at));
    at = new Date(at.getTime() - 1);
  }
  return out;
}

const iso = (date: Date) => date.toISOString();
