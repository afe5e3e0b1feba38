// `backend schedules next <expression|name> [--timezone TZ] [--count N] [--json]`: when something
// runs next. For a schedule's name, its next runs (as stored: its end and max_runs cut them off);
// otherwise the expression is previewed: the cron it means and its next runs, nothing saved. Times
// are shown in the time zone (the schedule's, or --timezone) and in UTC.
import { SCHEDULE_NAME } from "../../schedules/scheduleTriggers.js";
import { Command } from "commander";
import { type ApiTarget, CliError, readAnswer, send, targetFrom, withTarget } from "../apiClient.js";
import { printJson, table } from "../functions/output.js";
import type { Preview, ScheduleItem } from "./shapes.js";
import { localTime, utcTime } from "./times.js";

interface NextFlags {
  timezone?: string;
  count?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function nextCommand(): Command {
  return withTarget(
    new Command("next")
      .description("print a schedule's next runs, or what a cron or phrase means and when it would run")
      .argument(
        "<expression|name>",
        `a schedule's name, a cron ("0 9 * * 1-5") or a phrase ("weekdays at 9 AM")`,
      )
      .option("--timezone <tz>", "read the expression in this IANA time zone (default: the server's, UTC)")
      .option("-n, --count <n>", "how many runs (default 5, at most 100)")
      .option("--json", "print JSON"),
  ).action(async (text: string, flags: NextFlags) => {
    const count = countOf(flags.count);
    const target = targetFrom(flags);
    const schedule = SCHEDULE_NAME.test(text) ? await findSchedule(target, text, count) : undefined;
    if (schedule) {
      if (flags.json) return printJson(schedule);
      const zone = flags.timezone ?? schedule.timezone;
      process.stdout.write(`${scheduleLine(schedule)}\n${runsTable(schedule.nextRuns ?? [], zone)}`);
      if (!schedule.active) process.stdout.write(`Switched off: backend schedules enable ${schedule.name}\n`);
      else if ((schedule.nextRuns ?? []).length === 0) process.stdout.write("It will not run again.\n");
      return;
    }
    const preview = await previewOf(target, text, flags.timezone, count, SCHEDULE_NAME.test(text));
    if (flags.json) return printJson(preview);
    const meaning = preview.cron === preview.expression ? "" : ` is the cron ${preview.cron},`;
    process.stdout.write(
      `${preview.expression}${meaning} in ${preview.timezone}:\n${runsTable(preview.nextRuns, preview.timezone)}`,
    );
  });
}

function countOf(text: string | undefined): number {
  if (text === undefined) return 5;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new CliError(`--count must be a whole number from 1 to 100, not '${text}'`);
  return n;
}

/** The schedule of that name with its next runs, or undefined when there is none. */
async function findSchedule(
  target: ApiTarget,
  name: string,
  count: number,
): Promise<ScheduleItem | undefined> {
  const call = { method: "GET", path: `/api/schedules/${encodeURIComponent(name)}?next=${count}` };
  const response = await send(target, call);
  if (response.status === 404) return undefined;
  return readAnswer<ScheduleItem>(call, response);
}

async function previewOf(
  target: ApiTarget,
  expression: string,
  timezone: string | undefined,
  count: number,
  couldBeName: boolean,
): Promise<Preview> {
  const call = {
    method: "POST",
    path: "/api/schedules/preview",
    body: { schedule: expression, count, ...(timezone !== undefined ? { timezone } : {}) },
  };
  const response = await send(target, call);
  if (response.status === 400 && couldBeName) {
    // Neither: say both, the server's reason last (it lists the phrases).
    const answer = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined;
    throw new CliError(
      `No schedule is named '${expression}' (backend schedules list shows them), and ${answer?.error?.message ?? "it is not a cron or a phrase"}`,
    );
  }
  return readAnswer<Preview>(call, response);
}

/** "daily-report runs report on weekdays at 9 AM (0 9 * * 1-5) in America/New_York" */
function scheduleLine(s: ScheduleItem): string {
  if (s.kind === "once") return `${s.name} runs ${s.function} once`;
  const cron = s.cron !== null && s.cron !== s.expression ? ` (${s.cron})` : "";
  return `${s.name} runs ${s.function} on ${s.expression}${cron} in ${s.timezone}`;
}

/** One run a line: the time in the zone and in UTC (only UTC when the zone is UTC). */
function runsTable(runs: string[], zone: string): string {
  if (runs.length === 0) return "";
  if (zone === "UTC")
    return `${table(
      ["UTC"],
      runs.map((at) => [localTime(at, zone)]),
    )}\n`;
  return `${table(
    [zone, "UTC"],
    runs.map((at) => [localTime(at, zone), utcTime(at)]),
  )}\n`;
}
