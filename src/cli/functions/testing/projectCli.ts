// For tests: the `backend functions` command against a test server, on a project folder; run in
// this process, except `exec`, whose script's output only the spawned bin captures.
import { runBackend } from "../../../../test/spawnBackend.js";
import { runCli } from "../../testing/runCli.js";

export interface CliRun {
  code: number;
  output: string;
}

export function projectCli(server: { url: string; adminKey: string }) {
  return async (args: string[], dir?: string): Promise<CliRun> => {
    const argv = ["functions", ...args, ...(dir ? ["--dir", dir] : [])];
    const env = { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: server.adminKey };
    if (args[0] === "exec") return runBackend(argv, env);
    const { code, output } = await runCli(argv, env);
    return { code, output };
  };
}

/** The JSON document a --json command printed (stderr lines around it are left out). */
export function jsonOf<T>(output: string): T {
  const lines = output.split("\n");
  const start = lines.findIndex((l) => l === "[" || l === "{" || l === "[]" || l === "{}");
  if (start < 0) throw new Error(`no JSON in:\n${output}`);
  if (lines[start] === "[]" || lines[start] === "{}") return JSON.parse(lines[start]!) as T;
  const close = lines[start] === "[" ? "]" : "}";
  const end = lines.indexOf(close, start);
  return JSON.parse(lines.slice(start, end + 1).join("\n")) as T;
}
