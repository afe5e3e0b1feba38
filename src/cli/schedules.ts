// `backend schedules ...`: schedules and one-off runs from a terminal — list them, make one, see
// when one runs next (or what an expression means), run one now, read its history, switch it off.
// Each subcommand lives in ./schedules/ and talks to a running server with the admin key
// (src/cli/apiClient.ts). A schedule is named by its name or its id.
//   list [--function F] [--once]                 the schedules with their next and last runs
//   create <function> <expression> [options]     a recurring schedule (cron or phrase)
//   create <function> --at ISO | --after 10m     a one-off run
//   next <expression|name> [--timezone TZ] [--count N]   next runs, in the time zone and in UTC
//   run <name>                                   run it now; exit code 1 when the run failed
//   history <name> [--status S] [--limit N]      the ticks, newest first
//   enable <name> | disable <name>               switch it on or off
//   delete <name>                                delete it (cancels a one-off run)
// Every listing takes --json.
import { Command } from "commander";
import { createCommand } from "./schedules/create.js";
import { deleteCommand } from "./schedules/delete.js";
import { disableCommand, enableCommand } from "./schedules/enable.js";
import { historyCommand } from "./schedules/history.js";
import { listCommand } from "./schedules/list.js";
import { nextCommand } from "./schedules/next.js";
import { runCommand } from "./schedules/run.js";

export function schedulesCommand(): Command {
  return new Command("schedules")
    .description(
      "list, create and delete schedules and one-off runs, see their next runs, run one now, read its history",
    )
    .addCommand(listCommand())
    .addCommand(createCommand())
    .addCommand(nextCommand())
    .addCommand(runCommand())
    .addCommand(historyCommand())
    .addCommand(enableCommand())
    .addCommand(disableCommand())
    .addCommand(deleteCommand());
}
