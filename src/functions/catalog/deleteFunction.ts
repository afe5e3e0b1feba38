// DELETE /api/functions/:name: the function, all its versions, its event subscriptions and its
// schedules. Its executions and ticks stay, as history; deliveries still pending for it are
// dead-lettered when they come up.
import { NotFoundError } from "../../core/errors.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import { removeFunctionSubscriptions } from "../../events/subscriptions/syncConfigSubscriptions.js";
import { removeFunctionSchedules } from "../../schedules/syncConfigSchedules.js";

export async function deleteFunction(db: Db, name: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // Versions go explicitly as well as by the foreign key's cascade, whatever the store enforces.
    await trx.deleteFrom("function_versions").where("function_name", "=", name).execute();
    const result = await trx.deleteFrom("functions").where("name", "=", name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`No function named '${name}'`);
    await removeFunctionSubscriptions(trx, name);
    await removeFunctionSchedules(trx, name);
    await bumpGeneration(trx, "functions");
  });
}
