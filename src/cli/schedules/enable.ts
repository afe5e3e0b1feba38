// `backend schedules enable <name>` and `disable <name>`: switch a schedule on or off. Switched
// back on, it counts from now: the ticks of its time off are not missed ones, so none is caught up.
// A schedule from a function.jsonc is set back to what the file says by the function's next deploy.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import type { ScheduleItem } from "./shapes.js";
import { when } from "./times.js";

interface SwitchFlags {
  url?: string;
  adminKey?: string;
}

export function enableCommand(): Command {
  return switchCommand("enable", true, "switch a schedule on: it runs from its next tick");
}

export function disableCommand(): Command {
  return switchCommand("disable", false, "switch a schedule off: it does not run until enabled");
}

function switchCommand(name: string, active: boolean, description: string): Command {
  return withTarget(
    new Command(name).description(description).argument("<name>", "the schedule's name (or id)"),
  ).action(async (ref: string, flags: SwitchFlags) => {
    const schedule = await callApi<ScheduleItem>(targetFrom(flags), {
      method: "PATCH",
      path: `/api/schedules/${encodeURIComponent(ref)}`,
      body: { active },
    });
    const next =
      schedule.nextRunAt === null
        ? "it will not run again"
        : `next run ${when(schedule.nextRunAt, schedule.timezone)}`;
    process.stdout.write(
      active
        ? `Enabled ${schedule.name}: ${next}\n`
        : `Disabled ${schedule.name}: it does not run until enabled\n`,
    );
    if (schedule.source === "config") {
      process.stderr.write(
        `${schedule.name} comes from ${schedule.function}'s function.jsonc: the next deploy of ${schedule.function} sets it back to what the file says ("active": ${active} there keeps this)\n`,
      );
    }
  });
}
