// PUT /api/secrets/:name: stores a secret, encrypted; setting an existing name replaces its value.
import type { Clock } from "../../core/clock.js";
import { isoNow } from "../../core/clock.js";
import { ValidationError } from "../../core/errors.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import type { SecretItem } from "./listSecrets.js";
import { encryptSecret } from "./secretCipher.js";
import { checkSecretName } from "./secretName.js";

export const MAX_SECRET_BYTES = 64 * 1024;

export async function setSecret(
  deps: { db: Db; clock: Clock; secretsKey: Buffer },
  name: string,
  value: string,
): Promise<SecretItem & { created: boolean }> {
  checkSecretName(name);
  if (value.length === 0) throw new ValidationError("The value is empty; to remove a secret, delete it");
  if (Buffer.byteLength(value, "utf8") > MAX_SECRET_BYTES) {
    throw new ValidationError(`The value is larger than ${MAX_SECRET_BYTES} bytes`);
  }
  const now = isoNow(deps.clock);
  const ciphertext = encryptSecret(deps.secretsKey, name, value);
  const existing = await deps.db
    .selectFrom("secrets")
    .select("created_at")
    .where("name", "=", name)
    .executeTakeFirst();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("secrets")
      .values({ name, ciphertext, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column("name").doUpdateSet({ ciphertext, updated_at: now }))
      .execute();
    // Every node decrypts the secrets again at its next call.
    await bumpGeneration(trx, "secrets");
  });
  return { name, createdAt: existing?.created_at ?? now, updatedAt: now, created: !existing };
}
