// POST /api/functions/:name/rollback: makes an older (or any stored) version the one that runs,
// by default the one before the active version. Nothing is deleted; a later deploy adds a new version.
import type { Clock } from "../../core/clock.js";
import { isoNow } from "../../core/clock.js";
import { ConflictError, NotFoundError } from "../../core/errors.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import type { Config } from "../../config/config.js";
import { syncConfigSubscriptions } from "../../events/subscriptions/syncConfigSubscriptions.js";
import { syncConfigSchedules } from "../../schedules/syncConfigSchedules.js";
import { readJson } from "../../storage/store.js";
import { type FunctionConfig, normalizeTriggers } from "../deploy/functionConfig.js";
import type { FunctionForm } from "../runtime/types.js";
import { activeVersionNumber } from "./activeVersionRow.js";

export interface RollbackResult {
  name: string;
  version: number;
  previousVersion: number;
  form: FunctionForm;
  hash: string;
}

export async function rollbackFunction(
  deps: { db: Db; clock: Clock; config: Config },
  name: string,
  version?: number,
): Promise<RollbackResult> {
  const { db } = deps;
  const previousVersion = await activeVersionNumber(db, name);
  let query = db
    .selectFrom("function_versions")
    .select(["version", "form", "hash", "config"])
    .where("function_name", "=", name);
  query =
    version === undefined
      ? query.where("version", "<", previousVersion).orderBy("version", "desc").limit(1)
      : query.where("version", "=", version);
  const target = await query.executeTakeFirst();
  if (!target) {
    if (version !== undefined) throw new NotFoundError(`Function '${name}' has no version ${version}`);
    throw new ConflictError(`Function '${name}' has no version before ${previousVersion} to roll back to`);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("functions")
      .set({ active_version: Number(target.version), updated_at: isoNow(deps.clock) })
      .where("name", "=", name)
      .execute();
    // The subscriptions and schedules follow the version that runs: its function.jsonc triggers.
    const triggers = normalizeTriggers(
      readJson<FunctionConfig>(target.config),
      deps.clock.now(),
      deps.config.schedules.timezone,
    );
    await syncConfigSubscriptions(
      trx,
      { clock: deps.clock, maxPerEvent: deps.config.events.maxSubscriptionsPerEvent },
      name,
      triggers.events,
    );
    await syncConfigSchedules(trx, deps, name, triggers.schedules);
    await bumpGeneration(trx, "functions");
  });
  return {
    name,
    version: Number(target.version),
    previousVersion,
    form: target.form as FunctionForm,
    hash: target.hash,
  };
}
