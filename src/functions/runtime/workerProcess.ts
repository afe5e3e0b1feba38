// Where the sandbox worker's code is and what it may see: the compiled worker next to this file
// when running from dist/, else the build in <repo>/dist (vitest runs src/ but forks the build);
// and an environment scrubbed down to what Node needs — no database URL, admin key, secrets key,
// SMTP URL or anything else of the server's.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function resolveWorkerPath(): string | undefined {
  const own = fileURLToPath(new URL("./worker/main.js", import.meta.url));
  if (existsSync(own)) return own;
  const built = fileURLToPath(new URL("../../../dist/functions/runtime/worker/main.js", import.meta.url));
  return existsSync(built) ? built : undefined;
}

const PASSED_ENV = ["PATH", "NODE_ENV", "TZ", "LANG", "LC_ALL", "TMPDIR"];

export function workerEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of PASSED_ENV) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
