// `backend functions ...`: working with a project's functions from a terminal. Each subcommand lives
// in ./functions/; they talk to a running server with the admin key (src/cli/apiClient.ts) and read
// the project folder through src/project.
//   create <name|file>                    scaffold functions/<name>/entry.ts, or add a file and deploy it
//   update <name|file>                    deploy one function
//   deploy [names...] [--force]           deploy the project's functions (deployed / unchanged / error)
//   pull [name]                           write deployed functions into the project (written / unchanged)
//   list                                  the deployed functions, with access, triggers and last run
//   delete <names...>                     delete functions from the server
//   versions <name>                       a function's versions
//   rollback <name> [version]             run an older version again
//   invoke <name> [-d json] [--event T]   run a function and print its result
//   logs [name] [--follow] [--since] [--level]   print (and follow) execution logs
//   exec <script> [args...]               run a local script with an admin `backend` client
// Every listing takes --json.
import { Command } from "commander";
import { createCommand } from "./functions/create.js";
import { deleteCommand } from "./functions/delete.js";
import { deployCommand } from "./functions/deploy.js";
import { execCommand } from "./functions/exec.js";
import { invokeCommand } from "./functions/invoke.js";
import { listCommand } from "./functions/list.js";
import { logsCommand } from "./functions/logs.js";
import { pullCommand } from "./functions/pull.js";
import { rollbackCommand } from "./functions/rollback.js";
import { updateCommand } from "./functions/update.js";
import { versionsCommand } from "./functions/versions.js";

export function functionsCommand(): Command {
  return new Command("functions")
    .description("create, deploy, pull, list, call and inspect the project's functions")
    .addCommand(createCommand())
    .addCommand(updateCommand())
    .addCommand(deployCommand())
    .addCommand(pullCommand())
    .addCommand(listCommand())
    .addCommand(deleteCommand())
    .addCommand(versionsCommand())
    .addCommand(rollbackCommand())
    .addCommand(invokeCommand())
    .addCommand(logsCommand())
    .addCommand(execCommand());
}
