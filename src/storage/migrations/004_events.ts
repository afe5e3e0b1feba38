// Events: subscriptions (event type -> function), the POST outbox (`events`, written in the action's
// own transaction) and its deliveries (one per event and subscription, claimed with leases).
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate.js";

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const json = dialect === "postgres" ? "jsonb" : "text";

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("filter", sql.raw(json))
    .addColumn("on_error", "text", (c) => c.notNull().defaultTo("block"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("subscriptions_event_function", ["event_type", "function_name"])
    .execute();
  await db.schema.createIndex("subscriptions_function").on("subscriptions").column("function_name").execute();

  await db.schema
    .createTable("events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("data", sql.raw(json), (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("actor", sql.raw(json))
    .addColumn("cause_kind", "text")
    .addColumn("cause_id", "text")
    .addColumn("depth", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_type").on("events").columns(["type", "created_at"]).execute();
  await db.schema.createIndex("events_cause").on("events").column("cause_id").execute();
  await db.schema.createIndex("events_created").on("events").column("created_at").execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("execution_id", "text")
    .addColumn("data", sql.raw(json))
    .addColumn("replay_of", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .execute();
  await db.schema
    .createIndex("deliveries_due")
    .on("deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema.createIndex("deliveries_event").on("deliveries").column("event_id").execute();
  await db.schema
    .createIndex("deliveries_function")
    .on("deliveries")
    .columns(["function_name", "created_at"])
    .execute();
  await db.schema.createIndex("deliveries_created").on("deliveries").column("created_at").execute();

  // Traces follow causes downwards: which runs did this delivery, request or execution cause?
  await db.schema.createIndex("executions_cause").on("executions").column("cause_id").execute();

  await sql`insert into cache_generations (name, generation) values ('subscriptions', 0)`.execute(db);
}
