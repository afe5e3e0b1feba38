// Opens the database: embedded SQLite (default, WAL) or PostgreSQL (`DATABASE_URL`), both behind Kysely.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Db } from "./schema.js";
import { withStatementCache } from "./statementCache.js";

export type DialectName = "sqlite" | "postgres";

export interface Store {
  db: Db;
  dialect: DialectName;
  /** Where the data lives, for logs: a file path or the database URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export function openStore(options: OpenStoreOptions): Store {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
}

function openSqlite(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "data.db");
  const sqlite = new Database(file);
  // WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every committed
  // transaction across a process crash (SIGKILL); only an OS crash may lose the last commits.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db: Db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, dialect: "sqlite", location: file, close: () => db.destroy() };
}

function openPostgres(url: string): Store {
  // Every session works in UTC so dates without an offset compare the same way as on SQLite.
  const pool = new pg.Pool({ connectionString: url, max: 10, options: "-c TimeZone=UTC" });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", () => {});
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", location: redact(url), close: () => db.destroy() };
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres";
  }
}

/** Reads a JSON document column: PostgreSQL returns it parsed, SQLite as text. */
export function readJson<T = Record<string, unknown>>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** Writes a JSON document column; both drivers accept JSON text. */
export function writeJson(value: unknown): string {
  return JSON.stringify(value);
}
