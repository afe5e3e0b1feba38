// `backend schedules list [--function F] [--once] [--json]`: every schedule and pending one-off run,
// with what it runs, when (its cron, or the expression when it has none), in which time zone, whether
// it is on, and its next and last runs as wall-clock times in its time zone.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson, table } from "../functions/output.js";
import type { ScheduleItem } from "./shapes.js";
import { localTime } from "./times.js";

interface ListFlags {
  function?: string;
  once?: boolean;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function listCommand(): Command {
  return withTarget(
    new Command("list")
      .description("list the schedules: name, function, cron, time zone, active, next run, last run")
      .option("--function <name>", "only this function's schedules")
      .option("--once", "only one-off runs (backend.runAt, create --at / --after)")
      .option("--json", "print JSON"),
  ).action(async (flags: ListFlags) => {
    const query = new URLSearchParams();
    if (flags.function) query.set("function", flags.function);
    if (flags.once) query.set("kind", "once");
    const { items } = await callApi<{ items: ScheduleItem[] }>(targetFrom(flags), {
      method: "GET",
      path: `/api/schedules${query.size > 0 ? `?${query}` : ""}`,
    });
    if (flags.json) return printJson(items);
    if (items.length === 0) {
      process.stdout.write(
        flags.once
          ? "No one-off runs.\n"
          : "No schedules. Declare one in a function.jsonc, or: backend schedules create <function> <expression>\n",
      );
      return;
    }
    const rows = items.map((s) => [
      s.name,
      s.function,
      s.cron ?? s.expression,
      s.timezone,
      s.active ? "yes" : "no",
      nextRunOf(s),
      lastRunOf(s),
    ]);
    process.stdout.write(
      `${table(["NAME", "FUNCTION", "SCHEDULE", "TIME ZONE", "ACTIVE", "NEXT RUN", "LAST RUN"], rows)}\n`,
    );
  });
}

function nextRunOf(s: ScheduleItem): string {
  if (!s.active) return "-";
  if (s.nextRunAt === null) return "never again";
  return localTime(s.nextRunAt, s.timezone);
}

/** "Mon 2027-01-04 09:00 -05:00 done" (the tick's time and how it ended), or "-" before any run. */
function lastRunOf(s: ScheduleItem): string {
  const status = s.running ? "running" : (s.lastStatus ?? "");
  // A "run now" sets the status but not the time: it is no tick of the schedule.
  if (s.lastRunAt === null) return status || "-";
  return `${localTime(s.lastRunAt, s.timezone)} ${status}`.trimEnd();
}
