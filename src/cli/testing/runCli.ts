// For tests: the `backend` command line run in this process, against a test server, the way
// src/cli/main.ts runs it (a CliError is printed as `backend: <message>` with its exit code), with
// stdout and stderr captured. Cheaper than spawning the built bin (about 0.3 s of module loading per
// call), and it needs no build. What it cannot do: feed stdin, or capture the output of a child
// process the command starts with inherited stdio (`functions exec`); spawn the bin for those
// (test/spawnBackend.ts runBackend). The bin itself is tested in start.test.ts.
import { type Command, CommanderError } from "commander";
import { CliError } from "../apiClient.js";
import { buildProgram } from "../main.js";

export interface CliRun {
  code: number;
  /** stdout and stderr, in the order they were written. */
  output: string;
  stdout: string;
  stderr: string;
}

/** Runs `backend <args>` with BACKEND_URL and BACKEND_ADMIN_KEY set to the server's. */
export function cliOf(server: { url: string; adminKey: string }) {
  return (...args: string[]) => runCli(args, { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: server.adminKey });
}

export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  let output = "";
  let stdout = "";
  let stderr = "";
  const writeOut = (text: string) => {
    output += text;
    stdout += text;
  };
  const writeErr = (text: string) => {
    output += text;
    stderr += text;
  };
  const program = await buildProgram(args[0]);
  forEachCommand(program, (command) => command.exitOverride().configureOutput({ writeOut, writeErr }));

  const saved = { out: process.stdout.write, err: process.stderr.write, env: { ...process.env } };
  process.stdout.write = ((chunk: string | Uint8Array) => (
    writeOut(String(chunk)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    writeErr(String(chunk)),
    true
  )) as typeof process.stderr.write;
  for (const [name, value] of Object.entries(env)) process.env[name] = value;
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(["node", "backend", ...args]);
  } catch (error) {
    if (error instanceof CliError) {
      writeErr(`backend: ${error.message}\n`);
      code = error.exitCode;
    } else if (error instanceof CommanderError) {
      // Commander printed its message already.
      code = error.exitCode;
    } else {
      throw error;
    }
  } finally {
    // A command that sets process.exitCode (as `functions exec` passes its script's code on) ends
    // with that code; the test process keeps its own.
    if (code === 0 && typeof process.exitCode === "number") code = process.exitCode;
    process.exitCode = savedExitCode;
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    for (const name of Object.keys(env)) {
      if (saved.env[name] === undefined) delete process.env[name];
      else process.env[name] = saved.env[name];
    }
  }
  return { code, output, stdout, stderr };
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const sub of command.commands) forEachCommand(sub, visit);
}

/** The JSON a --json command printed on stdout. */
export function jsonOf<T>(run: CliRun): T {
  if (run.code !== 0) throw new Error(`the command failed (${run.code}):\n${run.output}`);
  return JSON.parse(run.stdout) as T;
}
