// Exact caches across nodes. What every call needs and rarely changes (the deployed functions, the
// secrets) is kept in memory, under a generation number stored in `cache_generations`. Every change
// bumps its generation in the same transaction; every call reads the generations first (one small
// query, about ten microseconds on SQLite) and keeps using what it holds only while they have not
// moved. So a change made through any node is seen by the very next call on every node, with no
// time-based staleness.
import { type CompiledQuery, sql } from "kysely";
import type { Db, Executor } from "./schema.js";
import { heldFor } from "../core/memo.js";

export type CacheName = "functions" | "secrets" | "subscriptions";

export type Generations = Record<CacheName, number>;

const compiled = new WeakMap<Db, CompiledQuery<{ name: string; generation: number | string }>>();

/** The current generation of every cache: read before using (or filling) one. */
export async function readGenerations(db: Db): Promise<Generations> {
  const query = heldFor(compiled, db, () =>
    db.selectFrom("cache_generations").select(["name", "generation"]).compile(),
  );
  const { rows } = await db.executeQuery(query);
  const generations: Generations = { functions: 0, secrets: 0, subscriptions: 0 };
  for (const row of rows) generations[row.name as CacheName] = Number(row.generation);
  return generations;
}

/** Marks a change to what `name` covers; call it in the transaction that makes the change. */
export async function bumpGeneration(exec: Executor, name: CacheName): Promise<void> {
  // An upsert, so that a missing row (the table emptied by hand) cannot stop the generation moving.
  await exec
    .insertInto("cache_generations")
    .values({ name, generation: 1 })
    .onConflict((oc) => oc.column("name").doUpdateSet({ generation: sql`cache_generations.generation + 1` }))
    .execute();
}

/**
 * What this node holds for one generation: a fresh `T` each time the generation moves on. Values
 * must be read from the database after the generation was, so they are at least that new.
 */
export class GenerationCache<T> {
  private generation = -1;
  private held: T | undefined;

  constructor(private readonly create: () => T) {}

  /**
   * What is held for `generation`. Undefined for a caller that read an older generation than the
   * cache has already moved to: it must neither use nor fill the cache.
   */
  at(generation: number): T | undefined {
    if (generation > this.generation) {
      this.generation = generation;
      this.held = this.create();
    }
    return generation === this.generation ? this.held : undefined;
  }
}
