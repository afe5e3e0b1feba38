// What an execution was given and what it answered, as the dashboard's run detail shows them: JSON
// text capped at `functions.keepBytes`, secret values redacted (src/functions/executions/keptText.ts).
// Nullable: runs stored before this, and runs of a server that keeps nothing, have neither.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("executions").addColumn("input", "text").execute();
  await db.schema.alterTable("executions").addColumn("result", "text").execute();
}
