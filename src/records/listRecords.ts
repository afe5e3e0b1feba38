// Listing a collection: the caller's read scope AND the filter, sorted, one page, with the total.
// Without a sort, records come in id order, which is creation order (UUIDv7); ties under a sort
// are broken by id too, so pages never overlap or skip.
import type { Principal } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import { compileFilter } from "../query/compileFilter.js";
import type { FilterNode } from "../query/filter.js";
import { DEFAULT_LIMIT, type PageOf } from "../query/page.js";
import { compileSort, type SortKey } from "../query/sort.js";
import { readScope } from "./access.js";
import { checkCollectionName } from "./collection.js";
import { getReadRule } from "./readRule.js";
import { recordFromData, type StoredRecord } from "./record.js";

export interface RecordQuery {
  /** From parseFilter / parseFilterParam; none lists everything the caller may read. */
  filter?: FilterNode;
  /** From parseSort. */
  sort?: SortKey[];
  limit?: number;
  offset?: number;
}

export async function listRecords(
  deps: Pick<Deps, "db" | "dialect">,
  principal: Principal,
  collection: string,
  query: RecordQuery = {},
): Promise<PageOf<StoredRecord>> {
  const name = checkCollectionName(collection);
  const scope = readScope(principal, await getReadRule(deps.db, name));
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;

  let base = deps.db.selectFrom("records").where("collection", "=", name);
  if (!scope.all) base = base.where("owner_id", "=", scope.ownerId);
  if (query.filter) base = base.where(compileFilter(query.filter, deps.dialect, "data"));

  const counted = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  let rows = base.select("data");
  for (const key of compileSort(query.sort ?? [], deps.dialect, "data")) {
    rows = rows.orderBy(key.expression, key.descending ? "desc" : "asc");
  }
  const items = await rows.orderBy("id").limit(limit).offset(offset).execute();
  return { items: items.map((row) => recordFromData(row.data)), total: Number(counted.n), limit, offset };
}
