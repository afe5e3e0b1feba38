// Functions and their versions, executions with their log lines, and encrypted secrets.
import { type Kysely, sql } from "kysely";
import type { MigrationContext } from "../migrate.js";

export async function up(db: Kysely<unknown>, { dialect }: MigrationContext): Promise<void> {
  const json = dialect === "postgres" ? "jsonb" : "text";

  await db.schema
    .createTable("functions")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("active_version", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("function_versions")
    .addColumn("function_name", "text", (c) => c.notNull().references("functions.name").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("files", sql.raw(json), (c) => c.notNull())
    .addColumn("config", sql.raw(json), (c) => c.notNull())
    .addColumn("bundle", "text", (c) => c.notNull())
    .addColumn("source_map", "text")
    .addColumn("form", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("function_versions_pk", ["function_name", "version"])
    .execute();

  await db.schema
    .createTable("executions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("caller", "text")
    .addColumn("cause_kind", "text")
    .addColumn("cause_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("duration_ms", "real")
    .addColumn("result_size", "integer")
    .addColumn("logs_truncated", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("executions_function")
    .on("executions")
    .columns(["function_name", "started_at"])
    .execute();
  await db.schema.createIndex("executions_started").on("executions").column("started_at").execute();

  await db.schema
    .createTable("execution_logs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("execution_id", "text", (c) => c.notNull().references("executions.id").onDelete("cascade"))
    .addColumn("function_name", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("time", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("execution_logs_execution")
    .on("execution_logs")
    .columns(["execution_id", "seq"])
    .execute();
  await db.schema
    .createIndex("execution_logs_function")
    .on("execution_logs")
    .columns(["function_name", "time"])
    .execute();

  await db.schema
    .createTable("secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("ciphertext", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}
