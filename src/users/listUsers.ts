// Listing users with the same filter and sort language as records, over the public document:
// `{ trialEndsAt: { $lte: "<iso>" }, isPaid: false }`. Admins only.
import { type Principal, requireAdmin } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import { compileFilter } from "../query/compileFilter.js";
import type { FilterNode } from "../query/filter.js";
import { DEFAULT_LIMIT, type PageOf } from "../query/page.js";
import { compileSort, type SortKey } from "../query/sort.js";
import { type UserDocument, userFromRow } from "./userDocument.js";

export interface UserQuery {
  /** From parseFilter / parseFilterParam; no filter lists everyone. */
  filter?: FilterNode;
  /** From parseSort; ties (and no sort) go by id, which is creation order. */
  sort?: SortKey[];
  limit?: number;
  offset?: number;
}

export async function listUsers(
  deps: Pick<Deps, "db" | "dialect">,
  principal: Principal,
  query: UserQuery = {},
): Promise<PageOf<UserDocument>> {
  requireAdmin(principal);
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  const where = compileFilter(query.filter ?? { kind: "and", nodes: [] }, deps.dialect, "data");
  const base = deps.db.selectFrom("users").where(where);

  const counted = await base.select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  let rows = base.select(["data", "email", "role"]);
  for (const key of compileSort(query.sort ?? [], deps.dialect, "data")) {
    rows = rows.orderBy(key.expression, key.descending ? "desc" : "asc");
  }
  const items = await rows.orderBy("id").limit(limit).offset(offset).execute();
  return { items: items.map(userFromRow), total: Number(counted.n), limit, offset };
}
