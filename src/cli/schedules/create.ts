// `backend schedules create <function> <expression> [options]`: a recurring schedule made by hand
// (a cron or a phrase, in a time zone), and `backend schedules create <function> --at ISO | --after
// 10m`: a one-off run. Made through the API, they stay when the function is redeployed (source
// "api"), unlike the schedules of a function.jsonc.
import { Command, Option } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { parseJsonArgument } from "../events/jsonArgument.js";
import { printJson } from "../functions/output.js";
import { parseDuration } from "./duration.js";
import type { ScheduleItem } from "./shapes.js";
import { parseInstant, when } from "./times.js";

interface CreateFlags {
  name?: string;
  timezone?: string;
  payload?: string;
  catchUp?: "none" | "one" | "all";
  overlap?: "skip" | "allow";
  inactive?: boolean;
  description?: string;
  endsAt?: string;
  maxRuns?: string;
  at?: string;
  after?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function createCommand(): Command {
  return withTarget(
    new Command("create")
      .description("schedule a function: on a cron or a phrase, or once with --at / --after")
      .argument("<function>", "the deployed function to run")
      .argument("[expression]", `a cron ("0 9 * * 1-5") or a phrase ("weekdays at 9 AM")`)
      .option("--name <name>", "the schedule's name (default: made from the function's)")
      .option("--timezone <tz>", "the IANA time zone the expression is read in (default: the server's, UTC)")
      .option("--payload <json>", `what the function gets as its first argument, e.g. '{"kind":"daily"}'`)
      .addOption(
        new Option("--catch-up <policy>", "ticks missed while no server ran: none, one run, or all").choices([
          "none",
          "one",
          "all",
        ]),
      )
      .addOption(
        new Option(
          "--overlap <policy>",
          "a tick due while the last run still goes: skip it or allow it",
        ).choices(["skip", "allow"]),
      )
      .option("--inactive", "create it switched off")
      .option("--description <text>", "what it is for")
      .option("--ends-at <date-time>", "no run after this instant")
      .option("--max-runs <n>", "no more than this many runs")
      .option(
        "--at <date-time>",
        "run once at this instant (ISO-8601; without an offset, in this machine's time zone)",
      )
      .option("--after <duration>", "run once after this long: 90s, 10m, 2h, 14d")
      .option("--json", "print JSON")
      .addHelpText(
        "after",
        `
Examples:
  backend schedules create report "weekdays at 9 AM" --timezone America/New_York --name daily-report
  backend schedules create cleanup "*/15 * * * *" --overlap allow
  backend schedules create expire-trial --after 14d --payload '{"userId":"u_123"}'`,
      ),
  ).action(async (fn: string, expression: string | undefined, flags: CreateFlags) => {
    const body = { function: fn, ...timing(expression, flags), ...settings(flags) };
    const item = await callApi<ScheduleItem>(targetFrom(flags), {
      method: "POST",
      path: "/api/schedules",
      body,
    });
    if (flags.json) return printJson(item);
    process.stdout.write(`${describeCreated(item)}\n`);
  });
}

/** Exactly one of the expression, --at and --after. */
function timing(expression: string | undefined, flags: CreateFlags): Record<string, unknown> {
  const given = [expression, flags.at, flags.after].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new CliError(
      given === 0
        ? `Say when: an expression ("weekdays at 9 AM", "0 9 * * 1-5"), or --at <date-time> or --after <duration> for a one-off run`
        : "Give one of an expression, --at and --after, not several",
    );
  }
  if (expression !== undefined) return { schedule: expression };
  for (const [flag, value] of [
    ["--timezone", flags.timezone],
    ["--ends-at", flags.endsAt],
    ["--max-runs", flags.maxRuns],
  ] as const) {
    if (value !== undefined)
      throw new CliError(`${flag} is for recurring schedules; a one-off run runs once`);
  }
  if (flags.at !== undefined) return { at: parseInstant(flags.at, "--at") };
  return { after_ms: parseDuration(flags.after!, "--after") };
}

function settings(flags: CreateFlags): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.timezone !== undefined) body.timezone = flags.timezone;
  if (flags.payload !== undefined)
    body.payload = parseJsonArgument(flags.payload, "--payload", `--payload '{"kind":"daily"}'`);
  if (flags.catchUp !== undefined) body.catch_up = flags.catchUp;
  if (flags.overlap !== undefined) body.overlap = flags.overlap;
  if (flags.inactive) body.active = false;
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.endsAt !== undefined) body.ends_at = parseInstant(flags.endsAt, "--ends-at");
  if (flags.maxRuns !== undefined) body.max_runs = maxRunsOf(flags.maxRuns);
  return body;
}

function maxRunsOf(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < 1)
    throw new CliError(`--max-runs must be a whole number, 1 or more, not '${text}'`);
  return n;
}

/** "Created schedule daily-report: report on 0 9 * * 1-5 in America/New_York, next run ..." */
function describeCreated(item: ScheduleItem): string {
  const next =
    item.nextRunAt === null
      ? "it will not run"
      : `${item.kind === "once" ? "runs" : "next run"} ${when(item.nextRunAt, item.timezone)}`;
  if (item.kind === "once") {
    return `Scheduled ${item.function} once, as ${item.name}: ${next}. Cancel it with: backend schedules delete ${item.name}`;
  }
  const cron = item.cron !== null && item.cron !== item.expression ? ` (${item.cron})` : "";
  const state = item.active ? next : "switched off; switch it on with: backend schedules enable " + item.name;
  return `Created schedule ${item.name}: ${item.function} on ${item.expression}${cron} in ${item.timezone}, ${state}`;
}
