// GET /api/secrets: the names of the secrets and when they were set; never their values.
import type { Db } from "../../storage/schema.js";

export interface SecretItem {
  name: string;
  createdAt: string;
  updatedAt: string;
}

export async function listSecrets(db: Db): Promise<{ items: SecretItem[] }> {
  const rows = await db
    .selectFrom("secrets")
    .select(["name", "created_at", "updated_at"])
    .orderBy("name")
    .execute();
  return { items: rows.map((r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at })) };
}
