// `backend functions ...`: working with deployed functions from a terminal. Each subcommand lives in
// ./functions/; they talk to a running server with the admin key (src/cli/apiClient.ts).
//   invoke <name> [-d json] [--event TYPE]               run a function and print its result
//   logs [name] [--follow] [--since] [--level] [--json]  print (and follow) execution logs
import { Command } from "commander";
import { invokeCommand } from "./functions/invoke.js";
import { logsCommand } from "./functions/logs.js";

export function functionsCommand(): Command {
  return new Command("functions")
    .description("call deployed functions and read their logs")
    .addCommand(invokeCommand())
    .addCommand(logsCommand());
}
