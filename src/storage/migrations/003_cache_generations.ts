// Generations of what servers keep in memory (deployed functions, secrets): a change bumps its row
// in the same transaction, and every server compares before using its cache (cacheGenerations.ts).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("cache_generations")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("generation", "bigint", (c) => c.notNull())
    .execute();
  await sql`insert into cache_generations (name, generation) values ('functions', 0), ('secrets', 0)`.execute(
    db,
  );
}
