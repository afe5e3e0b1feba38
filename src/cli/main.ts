// The `backend` command line. Each command lives in its own file; this one only wires them up.
import { Command } from "commander";
import { VERSION } from "../version.js";
import { CliError } from "./apiClient.js";
import { clockCommand } from "./clock.js";
import { devCommand } from "./dev.js";
import { eventsCommand } from "./events.js";
import { functionsCommand } from "./functions.js";
import { initCommand } from "./init.js";
import { schedulesCommand } from "./schedules.js";
import { secretsCommand } from "./secrets.js";
import { channelsCommand } from "./channels.js";
import { startCommand } from "./start.js";
import { typesCommand } from "./types.js";

export function buildProgram(): Command {
  const program = new Command("backend")
    .description(
      "Self-hosted functions & messages: users, records, email, functions, events, schedules, channels",
    )
    .version(VERSION, "-v, --version", "print the version")
    .showHelpAfterError("(run 'backend --help' for usage)");
  program.addCommand(startCommand());
  program.addCommand(initCommand());
  program.addCommand(devCommand());
  program.addCommand(functionsCommand());
  program.addCommand(eventsCommand());
  program.addCommand(schedulesCommand());
  program.addCommand(clockCommand());
  program.addCommand(secretsCommand());
  program.addCommand(channelsCommand());
  program.addCommand(typesCommand());
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    process.stderr.write(`backend: ${error.message}\n`);
    process.exit(error.exitCode);
  }
}
