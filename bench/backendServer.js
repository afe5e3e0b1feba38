// The real `backend start` for one bench workload: a temp data folder, a random admin key, optionally
// a `backend.config.jsonc` with a `server` section (passed with --config), on 127.0.0.1 only.
// Everything it makes is registered in `cleanups` (newest first), so it is removed even on failure.
// `dataDir` restarts a server on the data folder of an earlier one (that folder's cleanup is already
// registered).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnServer } from "./spawnServer.js";

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "bin", "backend.js");

/**
 * @param {{ cleanups: Array<() => Promise<void>>, databaseUrl?: string, server?: object, dataDir?: string }} options
 * @returns {Promise<{ url: string, pid: number, adminKey: string, dataDir: string, stop: () => Promise<void> }>}
 */
export async function startBackend({ cleanups, databaseUrl, server, dataDir: existing }) {
  const dataDir = existing ?? mkdtempSync(path.join(tmpdir(), "backend-bench-"));
  if (!existing) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const adminKey = `bench-${randomBytes(16).toString("hex")}`;
  const env = { ...process.env, BACKEND_ADMIN_KEY: adminKey };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const args = [BIN, "start", "--port", "0", "--host", "127.0.0.1", "--data", dataDir, "--log-level", "warn"];
  if (server) {
    const file = path.join(dataDir, "backend.config.jsonc");
    writeFileSync(file, `// written by bench/backendServer.js\n${JSON.stringify({ server }, null, 2)}\n`);
    args.push("--config", file);
  }
  // Registered before the server is ready, so that a Ctrl-C during its start-up still stops it.
  const started = await spawnServer(process.execPath, args, {
    env,
    cwd: dataDir,
    register: (stop) => cleanups.push(stop),
  });
  return { url: started.url, pid: started.pid, adminKey, dataDir, stop: started.stop };
}

/** A JSON request; answers { status, headers, body } with the body parsed when it is JSON. */
export async function json(url, method, body, token) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
