// Test fixtures for the project commands: the real `backend` bin run in a temporary project
// folder, and a spawned `backend dev` whose output can be awaited line by line.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
export const BIN = path.join(REPO_ROOT, "bin", "backend.js");
export const TSC = path.join(REPO_ROOT, "node_modules", ".bin", "tsc");

/** An empty folder under the system's temp folder, and the function that removes it. */
export function tempFolder(prefix = "backend-dev-test-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Environment without the settings of whatever server the developer runs. */
function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", ...extra };
  for (const name of ["BACKEND_URL", "BACKEND_ADMIN_KEY", "DATABASE_URL", "PORT", "HOST"]) {
    if (!(name in extra)) delete env[name];
  }
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/** Runs a command that ends by itself; resolves with its exit code and output. */
export function runCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<{ code: number; output: string }> {
  return run(process.execPath, [BIN, ...args], options.cwd, cleanEnv(options.env));
}

/** Runs the repository's TypeScript compiler on a project folder's tsconfig.json. */
export function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  return run(TSC, ["-p", dir, "--pretty", "false"], dir, process.env);
}

function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code: code ?? -1, output }));
  });
}

export interface DevProcess {
  child: ChildProcess;
  url: string;
  adminKey: string;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Output printed since `mark()` was last called (or since the start). */
  since(mark: number): string;
  /** The current length of the output, to await only what comes after it. */
  mark(): number;
  /** Resolves with the first match printed after `from` (default: anywhere); rejects at the deadline. */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns `backend dev` in a project folder and waits until it serves and watches. */
export async function spawnDev(
  cwd: string,
  args: string[] = ["--port", "0"],
  env: Record<string, string> = {},
): Promise<DevProcess> {
  const child = spawn(process.execPath, [BIN, "dev", ...args], { cwd, env: cleanEnv(env) });
  let text = "";
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => {
      resolve(code ?? signal ?? "unknown");
      for (const wake of waiters) wake();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));

  const waitFor: DevProcess["waitFor"] = (pattern, options = {}) =>
    new Promise((resolve, reject) => {
      const from = options.from ?? 0;
      const timeoutMs = options.timeoutMs ?? 15_000;
      const check = () => {
        const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(text.slice(from));
        if (match) return done(() => resolve(match));
        if (ended) done(() => reject(new Error(`backend dev exited before printing ${pattern}:\n${text}`)));
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(`backend dev did not print ${pattern} within ${timeoutMs} ms:\n${text.slice(from)}`),
            ),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });

  try {
    const url = (await waitFor(/listening on (http:\/\/\S+)/))[1]!;
    const key = (await waitFor(/BACKEND_ADMIN_KEY=(\S+)/))[1]!;
    await waitFor(/watching .* for changes/);
    return {
      child,
      url,
      adminKey: env.BACKEND_ADMIN_KEY ?? key,
      output: () => text,
      since: (mark) => text.slice(mark),
      mark: () => text.length,
      waitFor,
      exited,
      async stop(signal = "SIGTERM") {
        if (!ended) child.kill(signal);
        return exited;
      },
    };
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
}
