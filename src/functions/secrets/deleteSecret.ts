// DELETE /api/secrets/:name.
import { NotFoundError } from "../../core/errors.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import { checkSecretName } from "./secretName.js";

export async function deleteSecret(db: Db, name: string): Promise<void> {
  checkSecretName(name);
  await db.transaction().execute(async (trx) => {
    const result = await trx.deleteFrom("secrets").where("name", "=", name).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError(`No secret named ${name}`);
    await bumpGeneration(trx, "secrets");
  });
}
