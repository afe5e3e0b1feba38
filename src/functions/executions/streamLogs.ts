// Following new log lines (GET /api/logs/stream, `backend functions logs --follow`): admins only,
// optionally for one function and from a minimum level.
import { type Principal, requireAdmin } from "../../auth/principal.js";
import type { Db } from "../../storage/schema.js";
import type { LogLevel } from "../runtime/types.js";
import type { LogItem } from "./execution.js";
import { logFeed } from "./logFeed.js";
import { isAtLeast } from "./logLevels.js";

export interface LogStreamFilter {
  function?: string;
  level?: LogLevel;
}

/** Calls `onLine` for every new matching line until the returned function is called. */
export function streamLogs(
  deps: { db: Db },
  principal: Principal,
  filter: LogStreamFilter,
  onLine: (line: LogItem) => void,
): () => void {
  requireAdmin(principal);
  return logFeed(deps.db).subscribe((line) => {
    if (filter.function !== undefined && line.function !== filter.function) return;
    if (filter.level !== undefined && !isAtLeast(line.level, filter.level)) return;
    onLine(line);
  });
}
