// Every secret, decrypted, for an execution's `env` (ExecutionJob.env). The values go to the
// sandbox and nowhere else: not to logs, not to the execution's record. They are decrypted once
// per `secrets` generation (a set or delete on any node moves it, see storage/cacheGenerations.ts)
// and shared by the calls that follow, so the object handed out is frozen.
import { GenerationCache, readGenerations } from "../../storage/cacheGenerations.js";
import type { Db } from "../../storage/schema.js";
import { decryptSecret } from "./secretCipher.js";
import { heldFor } from "../../core/memo.js";

type Env = Readonly<Record<string, string>>;

/** Decrypted values, by the key that decrypted them (tests try other keys on the same database). */
const caches = new WeakMap<Db, GenerationCache<WeakMap<Buffer, Env>>>();

/**
 * `generation`: the `secrets` generation the caller has just read, if it has; otherwise it is read
 * here.
 */
export async function readSecrets(deps: { db: Db; secretsKey: Buffer }, generation?: number): Promise<Env> {
  const cache = heldFor(caches, deps.db, () => new GenerationCache(() => new WeakMap<Buffer, Env>()));
  const held = cache.at(generation ?? (await readGenerations(deps.db)).secrets);
  const cached = held?.get(deps.secretsKey);
  if (cached) return cached;
  const rows = await deps.db.selectFrom("secrets").select(["name", "ciphertext"]).execute();
  const env: Record<string, string> = {};
  for (const row of rows) env[row.name] = decryptSecret(deps.secretsKey, row.name, row.ciphertext);
  Object.freeze(env);
  held?.set(deps.secretsKey, env);
  return env;
}
