// Schedules: when a function runs on its own (a cron, a phrase, a Base44 automation, a one-off
// `backend.runAt`), with the next run persisted; and their ticks, one row per (schedule, scheduled
// time), which is both the history and the guard that a tick runs once across all nodes.
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate.js";

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const json = dialect === "postgres" ? "jsonb" : "text";

  await db.schema
    .createTable("schedules")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("expression", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("recurrence", sql.raw(json), (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("payload", sql.raw(json))
    .addColumn("catch_up", "text", (c) => c.notNull())
    .addColumn("overlap", "text", (c) => c.notNull())
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("ends_at", "text")
    .addColumn("max_runs", "integer")
    .addColumn("runs", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_run_at", "text")
    .addColumn("last_run_at", "text")
    .addColumn("last_status", "text")
    .addColumn("last_execution_id", "text")
    .addColumn("running_tick", "text")
    .addColumn("running_until", "text")
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // What the scheduler asks every turn: the active schedules due first.
  await db.schema.createIndex("schedules_due").on("schedules").columns(["active", "next_run_at"]).execute();
  await db.schema.createIndex("schedules_function").on("schedules").column("function_name").execute();

  await db.schema
    .createTable("schedule_ticks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("schedule_id", "text", (c) => c.notNull())
    .addColumn("schedule_name", "text", (c) => c.notNull())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("scheduled_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("catch_up", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("missed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("manual", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("execution_id", "text")
    .addColumn("error", "text")
    .addColumn("lease_until", "text")
    .addColumn("claimed_by", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  // A tick of a schedule is taken once (a "run now" is not a tick of its timing, and is not counted).
  await db.schema
    .createIndex("schedule_ticks_once")
    .on("schedule_ticks")
    .columns(["schedule_id", "scheduled_at"])
    .unique()
    .where(sql<boolean>`manual = 0`)
    .execute();
  await db.schema
    .createIndex("schedule_ticks_schedule")
    .on("schedule_ticks")
    .columns(["schedule_id", "scheduled_at"])
    .execute();
  // The sweep: ticks whose node stopped (running: interrupted; pending: taken over).
  await db.schema
    .createIndex("schedule_ticks_leases")
    .on("schedule_ticks")
    .columns(["status", "lease_until"])
    .execute();
  await db.schema.createIndex("schedule_ticks_started").on("schedule_ticks").column("started_at").execute();
}
