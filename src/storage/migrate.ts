// One migration set for both dialects, applied in order on start. Each migration receives the
// dialect so it can pick column types (jsonb vs text) without forking the whole file.
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import * as foundation from "./migrations/001_foundation.js";
import * as functions from "./migrations/002_functions.js";
import * as cacheGenerations from "./migrations/003_cache_generations.js";
import * as events from "./migrations/004_events.js";
import * as schedules from "./migrations/005_schedules.js";
import * as channels from "./migrations/006_channels.js";
import * as executionIo from "./migrations/007_execution_io.js";
import type { DialectName, Store } from "./store.js";

export interface MigrationContext {
  dialect: DialectName;
}

type MigrationModule = { up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> };

/** Ordered by name; add new files at the end, never edit a released one. */
const MIGRATIONS: Record<string, MigrationModule> = {
  "001_foundation": foundation,
  "002_functions": functions,
  "003_cache_generations": cacheGenerations,
  "004_events": events,
  "005_schedules": schedules,
  "006_channels": channels,
  "007_execution_io": executionIo,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [
        name,
        { up: (db: Kysely<unknown>) => m.up(db, this.ctx) },
      ]),
    );
  }
}

export async function migrate(store: Store): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: new StaticProvider({ dialect: store.dialect }),
    migrationTableName: "backend_migrations",
    migrationLockTableName: "backend_migrations_lock",
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
