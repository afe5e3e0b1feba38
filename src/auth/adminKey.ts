// The admin key: from BACKEND_ADMIN_KEY, or generated on the first start and printed once.
// Only its digest is stored, so every node of a PostgreSQL cluster accepts the same key.
import { timingSafeEqual } from "node:crypto";
import type { Clock } from "../core/clock.js";
import { digest, newSecret } from "../core/ids.js";
import type { Db } from "../storage/schema.js";

const SETTING = "admin_key_digest";

export interface AdminKeySetup {
  digest: string;
  /** Set only when this start generated the key: the one time it can be shown. */
  generated?: string;
}

export async function setupAdminKey(
  db: Db,
  configured: string | undefined,
  _clock: Clock,
): Promise<AdminKeySetup> {
  if (configured) {
    const value = digest(configured);
    await db
      .insertInto("settings")
      .values({ key: SETTING, value })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
      .execute();
    return { digest: value };
  }
  const existing = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SETTING)
    .executeTakeFirst();
  if (existing) return { digest: existing.value };

  const key = newSecret("bk_admin_");
  await db
    .insertInto("settings")
    .values({ key: SETTING, value: digest(key) })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  // Another node may have won the race: use whatever is stored, and only show a key that works.
  const stored = await db
    .selectFrom("settings")
    .select("value")
    .where("key", "=", SETTING)
    .executeTakeFirstOrThrow();
  return stored.value === digest(key) ? { digest: stored.value, generated: key } : { digest: stored.value };
}

export function matchesAdminKey(token: string, expectedDigest: string): boolean {
  const a = Buffer.from(digest(token), "hex");
  const b = Buffer.from(expectedDigest, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
