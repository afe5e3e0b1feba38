// GET /api/functions/:name: one function with its source files and config, as deployed; the
// active version unless another one is asked for.
import { NotFoundError } from "../../core/errors.js";
import type { Db } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import type { FunctionConfig } from "../deploy/functionConfig.js";
import type { SourceFiles } from "../deploy/sourceFiles.js";
import { activeVersions, type FunctionItem, lastRuns, toFunctionItem } from "./functionItem.js";

export interface FunctionDetail extends FunctionItem {
  /** The version whose files and config these are (`version` is the active one). */
  shownVersion: number;
  deployedAt: string;
  config: FunctionConfig;
  files: SourceFiles;
}

export async function getFunction(db: Db, name: string, version?: number): Promise<FunctionDetail> {
  const active = await activeVersions(db).where("f.name", "=", name).executeTakeFirst();
  if (!active) throw new NotFoundError(`No function named '${name}'`);
  const shown = await db
    .selectFrom("function_versions")
    .select(["version", "hash", "form", "files", "config", "created_at"])
    .where("function_name", "=", name)
    .where("version", "=", version ?? Number(active.version))
    .executeTakeFirst();
  if (!shown) throw new NotFoundError(`Function '${name}' has no version ${version}`);
  const runs = await lastRuns(db, [name]);
  return {
    ...toFunctionItem(active, runs.get(name)),
    shownVersion: Number(shown.version),
    deployedAt: shown.created_at,
    config: readJson<FunctionConfig>(shown.config),
    files: readJson<SourceFiles>(shown.files),
  };
}
