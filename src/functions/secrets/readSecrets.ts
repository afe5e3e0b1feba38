// Every secret, decrypted, for an execution's `env` (ExecutionJob.env). The values go to the
// sandbox and nowhere else: not to logs, not to the execution's record.
import type { Db } from "../../storage/schema.js";
import { decryptSecret } from "./secretCipher.js";

export async function readSecrets(deps: { db: Db; secretsKey: Buffer }): Promise<Record<string, string>> {
  const rows = await deps.db.selectFrom("secrets").select(["name", "ciphertext"]).execute();
  const env: Record<string, string> = {};
  for (const row of rows) env[row.name] = decryptSecret(deps.secretsKey, row.name, row.ciphertext);
  return env;
}
