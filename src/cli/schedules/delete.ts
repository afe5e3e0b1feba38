// `backend schedules delete <name>`: removes a schedule, or cancels a one-off run that has not run.
// Its history (`backend schedules history <name>`) stays. One that came from a function.jsonc comes
// back with the function's next deploy, so the message says where it is declared.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import type { ScheduleItem } from "./shapes.js";

interface DeleteFlags {
  url?: string;
  adminKey?: string;
}

export function deleteCommand(): Command {
  return withTarget(
    new Command("delete")
      .description("delete a schedule, or cancel a one-off run")
      .argument("<name>", "the schedule's name (or id)"),
  ).action(async (ref: string, flags: DeleteFlags) => {
    const target = targetFrom(flags);
    const path = `/api/schedules/${encodeURIComponent(ref)}`;
    const schedule = await callApi<ScheduleItem>(target, { method: "GET", path });
    await callApi(target, { method: "DELETE", path: `/api/schedules/${encodeURIComponent(schedule.id)}` });
    if (schedule.kind === "once") {
      const done = schedule.nextRunAt === null ? " (it had run already)" : "";
      process.stdout.write(`Cancelled the one-off run ${schedule.name} of ${schedule.function}${done}\n`);
      return;
    }
    process.stdout.write(`Deleted schedule ${schedule.name} (${schedule.function})\n`);
    if (schedule.source === "config") {
      process.stderr.write(
        `It came from ${schedule.function}'s function.jsonc: remove it there too, or the next deploy brings it back\n`,
      );
    }
  });
}
