// Shared test fixtures: real servers on random ports, on SQLite and on PostgreSQL.
// Every storage-touching test file wraps its tests in `forEachStore`. Each server gets its own
// SQLite folder or its own PostgreSQL database, removed when the server closes.
// PostgreSQL: BACKEND_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres). When it is
// not reachable the PostgreSQL suites are skipped with the reason printed, unless
// BACKEND_TEST_PG=required (as in .ci/run), where that is an error.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { describe } from "vitest";
import { type ConfigInput, configSchema } from "../src/config/config.js";
import type { Clock } from "../src/core/clock.js";
import { createPlatform, type Platform } from "../src/platform.js";
import { migrate } from "../src/storage/migrate.js";
import { openStore, type Store } from "../src/storage/store.js";

export type StoreKind = "sqlite" | "postgres";

export const PG_ADMIN_URL = process.env.BACKEND_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Why the PostgreSQL tests are skipped, or undefined when PostgreSQL is reachable. */
export const pgProblem = await probePostgres();
if (pgProblem && process.env.BACKEND_TEST_PG === "required") {
  throw new Error(`${pgProblem}; BACKEND_TEST_PG=required, so the PostgreSQL tests cannot be skipped`);
}
if (pgProblem)
  console.warn(`Skipping the PostgreSQL tests: ${pgProblem}. Set BACKEND_TEST_PG_URL to run them.`);

/** Runs `suite` once per store, as `describe("sqlite")` and `describe("postgres")`. */
export function forEachStore(suite: (store: StoreKind) => void): void {
  describe("sqlite", () => suite("sqlite"));
  describe.skipIf(pgProblem !== undefined)(`postgres${pgProblem ? ` (skipped: ${pgProblem})` : ""}`, () =>
    suite("postgres"),
  );
}

/** Creates an empty PostgreSQL database; returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `backend_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A fresh place to keep data: a temp SQLite folder or a new PostgreSQL database. */
export async function createTestStorage(store: StoreKind): Promise<{
  config: Pick<ConfigInput, "dataDir" | "databaseUrl">;
  remove: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "backend-test-"));
  if (store === "sqlite") {
    return { config: { dataDir }, remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const database = await createPgDatabase();
  return {
    config: { dataDir, databaseUrl: database.url },
    remove: async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A migrated store of its own (no server); `remove` closes it and deletes its storage. */
export async function createTestStore(
  kind: StoreKind,
): Promise<{ store: Store; remove: () => Promise<void> }> {
  const storage = await createTestStorage(kind);
  const store = openStore({ dataDir: storage.config.dataDir!, databaseUrl: storage.config.databaseUrl });
  const remove = async () => {
    await store.close();
    await storage.remove();
  };
  try {
    await migrate(store);
  } catch (error) {
    await remove();
    throw error;
  }
  return { store, remove };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  url: string;
  adminKey: string;
  platform: Platform;
  /** Calls the API; `token` becomes the bearer token (pass `adminKey` for admin calls). */
  api<T = any>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface StartOptions {
  config?: Partial<ConfigInput>;
  clock?: Clock;
  /** A logger the test can read; otherwise logs are silent. */
  log?: Logger;
}

export async function startServer(store: StoreKind, options: StartOptions = {}): Promise<TestServer> {
  const storage = await createTestStorage(store);
  const adminKey = `test-admin-key-${randomBytes(8).toString("hex")}`;
  const config = configSchema.parse({
    port: 0,
    logLevel: "silent",
    adminKey,
    ...storage.config,
    ...options.config,
  });
  const platform = await createPlatform(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const url = await platform.listen();
  return {
    url,
    adminKey,
    platform,
    api: apiOf(url),
    async close() {
      await platform.close();
      await storage.remove();
    },
  };
}

/** Calls to the API of the server at `url`, as `TestServer.api` makes them. */
export function apiOf(url: string): TestServer["api"] {
  return async (method, apiPath, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.rawBody !== undefined) body = opts.rawBody;
    else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${url}${apiPath}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (text && response.headers.get("content-type")?.includes("application/json")) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as never, headers: response.headers };
  };
}

let userCounter = 0;

/** Registers a new user through the real API; returns its token and user document. */
export async function createUser(
  server: TestServer,
  fields: { email?: string; password?: string; full_name?: string } = {},
): Promise<{ token: string; user: { id: string; email: string; [k: string]: unknown }; password: string }> {
  userCounter += 1;
  const password = fields.password ?? "correct horse battery staple";
  const email = fields.email ?? `user${userCounter}-${randomBytes(3).toString("hex")}@example.com`;
  const res = await server.api<{ token: string; user: { id: string; email: string } }>(
    "POST",
    "/api/auth/register",
    {
      body: { email, password, full_name: fields.full_name ?? `User ${userCounter}` },
    },
  );
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { token: res.body.token, user: res.body.user, password };
}
