// GET /api/functions: every deployed function with its active version, triggers and last run.
import type { Db } from "../../storage/schema.js";
import { activeVersions, type FunctionItem, lastRuns, toFunctionItem } from "./functionItem.js";

export async function listFunctions(db: Db): Promise<{ items: FunctionItem[] }> {
  const rows = await activeVersions(db).orderBy("f.name").execute();
  const runs = await lastRuns(
    db,
    rows.map((r) => r.name),
  );
  return { items: rows.map((row) => toFunctionItem(row, runs.get(row.name))) };
}
