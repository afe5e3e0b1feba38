// The subscriptions every write consults, held in memory per cache generation (exact across nodes,
// see src/storage/cacheGenerations.ts): by event type, in priority order, with parsed filters.
import { heldFor } from "../../core/memo.js";
import { type FilterNode, parseFilter } from "../../query/filter.js";
import { matchFilter } from "../../query/matchFilter.js";
import { GenerationCache, readGenerations } from "../../storage/cacheGenerations.js";
import type { Db, Executor } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import type { OnError } from "./subscription.js";

export interface ActiveSubscription {
  id: string;
  type: string;
  functionName: string;
  priority: number;
  onError: OnError;
  filter: FilterNode | null;
}

type ByType = Map<string, ActiveSubscription[]>;

interface Held {
  byType?: Promise<ByType> | undefined;
}

const caches = new WeakMap<Db, GenerationCache<Held>>();

/**
 * The active subscriptions of `type` whose filter matches `data`, in priority order. `exec` may be a
 * transaction: the generation and the rows are then read in it. A caller that has just read the
 * `subscriptions` generation passes it.
 */
export async function subscribersOf(
  db: Db,
  exec: Executor,
  type: string,
  data: unknown,
  generation?: number,
): Promise<ActiveSubscription[]> {
  const all = (await allActive(db, exec, generation)).get(type);
  if (!all) return [];
  return all.filter((s) => s.filter === null || matchFilter(s.filter, data));
}

/**
 * Whether `type` has any active subscription, whatever its filter: lets an action that would store an
 * event only for its subscribers (a channel message) skip the write when nobody listens.
 */
export async function hasSubscribers(db: Db, type: string, generation?: number): Promise<boolean> {
  return ((await allActive(db, db, generation)).get(type)?.length ?? 0) > 0;
}

async function allActive(db: Db, exec: Executor, known?: number): Promise<ByType> {
  const generation = known ?? (await readGenerations(exec as Db)).subscriptions;
  const cache = heldFor(caches, db, () => new GenerationCache<Held>(() => ({})));
  const held = cache.at(generation);
  if (!held) return load(exec);
  held.byType ??= load(exec).catch((error: unknown) => {
    held.byType = undefined;
    throw error;
  });
  return held.byType;
}

async function load(exec: Executor): Promise<ByType> {
  const rows = await exec
    .selectFrom("subscriptions")
    .selectAll()
    .where("active", "=", 1)
    .orderBy("priority")
    .orderBy("created_at")
    .execute();
  const byType: ByType = new Map();
  for (const row of rows) {
    const list = byType.get(row.event_type) ?? [];
    list.push({
      id: row.id,
      type: row.event_type,
      functionName: row.function_name,
      priority: Number(row.priority),
      onError: row.on_error,
      filter: row.filter === null ? null : parseFilter(readJson(row.filter)),
    });
    byType.set(row.event_type, list);
  }
  return byType;
}
