// `backend schedules run <name> [--json]`: runs the schedule's function now, with the schedule's
// payload, and waits for it to end. The run is recorded in the history as a manual tick; it does not
// count towards max_runs and does not move the next run. A failed run exits with 1.
import { Command } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson } from "../functions/output.js";
import type { ManualRun } from "./shapes.js";

interface RunFlags {
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function runCommand(): Command {
  return withTarget(
    new Command("run")
      .description("run a schedule's function now, with its payload, and print how it ended")
      .argument("<name>", "the schedule's name (or id)")
      .option("--json", "print JSON: the tick, status, execution id, result and error"),
  ).action(async (ref: string, flags: RunFlags) => {
    const run = await callApi<ManualRun>(targetFrom(flags), {
      method: "POST",
      path: `/api/schedules/${encodeURIComponent(ref)}/run`,
    });
    if (flags.json) printJson(run);
    else {
      const execution = run.executionId ? `execution ${run.executionId}` : "no execution";
      process.stdout.write(`Ran ${run.tick.schedule} (${run.tick.function}): ${run.status}, ${execution}\n`);
      if (run.result !== undefined) process.stdout.write(`${JSON.stringify(run.result, null, 2)}\n`);
    }
    if (run.tick.status !== "done") throw new CliError(run.error ?? `the run ended ${run.status}`);
  });
}
