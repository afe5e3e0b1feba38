// Starts the real `backend` bin (or `npm start`) as a child process and waits for its URL.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..");
export const BIN = path.join(REPO_ROOT, "bin", "backend.js");

export interface SpawnedBackend {
  child: ChildProcess;
  url: string;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  exited: Promise<number | string>;
  /** Sends a signal to the server (and, for `npm start`, to npm's whole process group). */
  kill(signal: NodeJS.Signals): void;
}

export interface SpawnOptions {
  /** Flags for `backend start`. */
  args?: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Run `npm start -- <args>` instead of the bin directly. */
  viaNpmStart?: boolean;
  timeoutMs?: number;
}

export function spawnBackend(options: SpawnOptions = {}): Promise<SpawnedBackend> {
  const args = options.args ?? [];
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: "warn", ...options.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = options.viaNpmStart
    ? // Its own process group, so stopping it also stops the node process npm started.
      spawn("npm", ["start", "--silent", "--", ...args], {
        cwd: options.cwd ?? REPO_ROOT,
        env,
        detached: true,
      })
    : spawn(process.execPath, [BIN, "start", ...args], { cwd: options.cwd ?? REPO_ROOT, env });
  let text = "";
  const stop = (signal: NodeJS.Signals) => {
    try {
      if (options.viaNpmStart && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const exited = new Promise<number | string>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop("SIGKILL");
      reject(new Error(`backend did not print its URL within ${options.timeoutMs ?? 20000} ms:\n${text}`));
    }, options.timeoutMs ?? 20_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => text, exited, kill: (signal) => stop(signal) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`backend exited (${code}) before listening:\n${text}`));
    });
  });
}

/**
 * Spawns the bin for a command that ends by itself; resolves with its exit code and output.
 * `input`, when given, is written to its stdin (which is then closed).
 */
export function runBackend(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString();
    });
    child.on("exit", (code) => resolve({ code: code ?? -1, output }));
    if (input !== undefined) child.stdin.end(input);
  });
}
