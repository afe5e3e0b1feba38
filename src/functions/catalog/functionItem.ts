// How a deployed function is described to admins (GET /api/functions, the CLI, the dashboard), and
// its most recent execution.
import type { Db } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import { cronOf } from "../../schedules/expressions/recurrence.js";
import type { ScheduleSpec } from "../../schedules/scheduleSpec.js";
import {
  type Access,
  accessOf,
  type EventTrigger,
  type FunctionConfig,
  normalizeTriggers,
} from "../deploy/functionConfig.js";
import type { FunctionForm } from "../runtime/types.js";

export interface LastRun {
  executionId: string;
  trigger: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
}

export interface FunctionItem {
  name: string;
  /** The active version: the one that runs. */
  version: number;
  access: Access;
  form: FunctionForm;
  hash: string;
  triggers: FunctionTriggers;
  createdAt: string;
  updatedAt: string;
  lastRun?: LastRun;
}

/** What starts the function, as its function.jsonc declares it (`GET /api/schedules` has the live schedules). */
export interface FunctionTriggers {
  events: EventTrigger[];
  schedules: ScheduleTriggerItem[];
}

export interface ScheduleTriggerItem {
  name?: string;
  /** As written: a cron, a phrase, or a summary of a Base44 automation. */
  schedule: string;
  /** The cron it runs on; null for one-off and simple (interval) schedules. */
  cron: string | null;
  timezone: string;
  active: boolean;
}

function triggersOf(config: FunctionConfig, deployedAt: Date): FunctionTriggers {
  const triggers = normalizeTriggers(config, deployedAt);
  return { events: triggers.events, schedules: triggers.schedules.map(scheduleTriggerItem) };
}

function scheduleTriggerItem(spec: ScheduleSpec): ScheduleTriggerItem {
  const { recurrence } = spec;
  return {
    ...(spec.name ? { name: spec.name } : {}),
    schedule: spec.expression,
    cron: cronOf(recurrence),
    timezone: recurrence.kind === "once" ? "UTC" : recurrence.timezone,
    active: spec.active !== false,
  };
}

export interface FunctionRow {
  name: string;
  version: number | string;
  hash: string;
  form: string;
  config: unknown;
  created_at: string;
  updated_at: string;
}

export function toFunctionItem(row: FunctionRow, lastRun?: LastRun): FunctionItem {
  const config = readJson<FunctionConfig>(row.config);
  const item: FunctionItem = {
    name: row.name,
    version: Number(row.version),
    access: accessOf(config),
    form: row.form as FunctionForm,
    hash: row.hash,
    triggers: triggersOf(config, new Date(row.updated_at)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (lastRun) item.lastRun = lastRun;
  return item;
}

/** The latest execution of each named function; index-backed (executions by function, started_at). */
export async function lastRuns(db: Db, names: string[]): Promise<Map<string, LastRun>> {
  const runs = new Map<string, LastRun>();
  if (names.length === 0) return runs;
  const latest = await db
    .selectFrom("functions as f")
    .select((eb) =>
      eb
        .selectFrom("executions as e")
        .select("e.id")
        .whereRef("e.function_name", "=", "f.name")
        .orderBy("e.started_at", "desc")
        .orderBy("e.id", "desc")
        .limit(1)
        .as("id"),
    )
    .where("f.name", "in", names)
    .execute();
  const ids = latest.map((r) => r.id).filter((id): id is string => typeof id === "string");
  if (ids.length === 0) return runs;
  const rows = await db
    .selectFrom("executions")
    .select(["id", "function_name", "trigger", "status", "started_at", "duration_ms"])
    .where("id", "in", ids)
    .execute();
  for (const row of rows) {
    runs.set(row.function_name, {
      executionId: row.id,
      trigger: row.trigger,
      status: row.status,
      startedAt: row.started_at,
      durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    });
  }
  return runs;
}

/** The functions table joined with each function's active version (without the heavy columns). */
export function activeVersions(db: Db) {
  return db
    .selectFrom("functions as f")
    .innerJoin("function_versions as v", (join) =>
      join.onRef("v.function_name", "=", "f.name").onRef("v.version", "=", "f.active_version"),
    )
    .select(["f.name", "v.version", "v.hash", "v.form", "v.config", "f.created_at", "f.updated_at"]);
}
