// The executions started since an instant (of one function, or all), newest first, read page by
// page up to a bound: the function list's error rates and the health tab count them in the browser,
// since the API has no aggregates, and a busy server must not make that an unbounded read.
import type { BackendClient, Execution } from "../../../src/sdk/index.js";

/** The largest page GET /api/executions answers. */
export const EXECUTION_PAGE = 1000;

export interface RecentExecutions {
  /** Newest first. */
  items: Execution[];
  /** How many the window holds; more than items.length when the page bound cut it. */
  total: number;
}

export async function recentExecutions(
  client: BackendClient,
  query: { function?: string; since: string },
  maxPages: number,
): Promise<RecentExecutions> {
  const items: Execution[] = [];
  let total = 0;
  for (let page = 0; page < maxPages; page++) {
    const answer = await client.admin.executions.list({
      ...query,
      limit: EXECUTION_PAGE,
      offset: items.length,
    });
    items.push(...answer.items);
    total = answer.total;
    if (answer.items.length < EXECUTION_PAGE || items.length >= total) break;
  }
  return { items, total };
}
