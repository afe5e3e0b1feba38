// The `backend` command line. Each command lives in its own file; this one only wires them up.
// Only the command being run is loaded (the others cost a quarter of a second of module loading on
// every call); `backend --help` and anything that is not a command name load them all.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { CliError } from "./apiClient.js";

/** Each command, by name, in the order `backend --help` lists them. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import("./start.js")).startCommand(),
  init: async () => (await import("./init.js")).initCommand(),
  dev: async () => (await import("./dev.js")).devCommand(),
  functions: async () => (await import("./functions.js")).functionsCommand(),
  events: async () => (await import("./events.js")).eventsCommand(),
  schedules: async () => (await import("./schedules.js")).schedulesCommand(),
  clock: async () => (await import("./clock.js")).clockCommand(),
  secrets: async () => (await import("./secrets.js")).secretsCommand(),
  channels: async () => (await import("./channels.js")).channelsCommand(),
  types: async () => (await import("./types.js")).typesCommand(),
};

/** The program; given the first argument, with only that command when it names one. */
export async function buildProgram(first?: string): Promise<Command> {
  const program = new Command("backend")
    .description(
      "Self-hosted functions & messages: users, records, email, functions, events, schedules, channels",
    )
    .version(VERSION, "-v, --version", "print the version")
    .showHelpAfterError("(run 'backend --help' for usage)");
  const only = first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
  const commands = await Promise.all(only.map((name) => COMMANDS[name]!()));
  for (const command of commands) program.addCommand(command);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    const program = await buildProgram(argv[2]);
    await program.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`backend: ${error.message}\n`);
    process.exit(error.exitCode);
  }
}
