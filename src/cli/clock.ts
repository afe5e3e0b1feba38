// `backend clock ...`: the clock of a running `backend dev`, which can be set or moved on to watch a
// schedule fire ("first Monday of the month at 9 AM") without waiting for it. Time keeps running from
// where it was set. Other servers read the real time; they answer 409, and this says so.
//   clock [show] [--json]      the server's time, and how far it is from the real time
//   clock set <date-time>      jump to an instant (ISO-8601; without an offset, this machine's time zone)
//   clock advance <duration>   move on by 90s, 10m, 2h, 14d...
//   clock reset                back to the real time
import { Command } from "commander";
import { type ApiTarget, CliError, callApi, readAnswer, send, targetFrom, withTarget } from "./apiClient.js";
import { printJson } from "./functions/output.js";
import { formatDuration, parseDuration } from "./schedules/duration.js";
import type { ClockView } from "./schedules/shapes.js";
import { parseInstant, utcTime } from "./schedules/times.js";

interface ClockFlags {
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function clockCommand(): Command {
  return new Command("clock")
    .description("show, set, advance or reset the clock of a running `backend dev` (to try schedules)")
    .addCommand(showCommand(), { isDefault: true })
    .addCommand(
      changeCommand("set", "jump to an instant; time runs on from there", "<date-time>", (text) => ({
        set: parseInstant(text, "The date-time"),
      })),
    )
    .addCommand(
      changeCommand(
        "advance",
        "move the clock on by a duration: 90s, 10m, 2h, 14d",
        "<duration>",
        (text) => ({
          advance_ms: parseDuration(text, "The duration"),
        }),
      ),
    )
    .addCommand(changeCommand("reset", "go back to the real time", undefined, () => ({ reset: true })));
}

function showCommand(): Command {
  return withTarget(
    new Command("show")
      .description("print the server's time and how far it is from the real time")
      .option("--json", "print JSON"),
  ).action(async (flags: ClockFlags) => {
    const clock = await callApi<ClockView>(targetFrom(flags), { method: "GET", path: "/api/dev/clock" });
    if (flags.json) return printJson(clock);
    process.stdout.write(`${clockLine(clock)}\n`);
  });
}

function changeCommand(
  name: string,
  description: string,
  argument: string | undefined,
  bodyOf: (text: string) => Record<string, unknown>,
): Command {
  const command = withTarget(new Command(name).description(description).option("--json", "print JSON"));
  if (argument) command.argument(argument);
  return command.action(async (...args: unknown[]) => {
    const text = argument ? (args[0] as string) : "";
    const flags = (argument ? args[1] : args[0]) as ClockFlags;
    const clock = await change(targetFrom(flags), bodyOf(text));
    if (flags.json) return printJson(clock);
    process.stdout.write(`${clockLine(clock)}\n`);
  });
}

async function change(target: ApiTarget, body: Record<string, unknown>): Promise<ClockView> {
  const call = { method: "POST", path: "/api/dev/clock", body };
  const response = await send(target, call);
  if (response.status === 409) {
    throw new CliError(
      `The server at ${target.url} reads the real time: only 'backend dev' has a clock that can be set (start it with 'backend dev', or 'backend dev --clock <date-time>')`,
    );
  }
  return readAnswer<ClockView>(call, response);
}

/** "Server time: 2027-01-04T08:59:50Z (2d 3h ahead of the real time)" */
export function clockLine(clock: ClockView): string {
  // To the second: a clock set to 08:59:50 reads 08:59:50, not 08:59:50.004.
  const now = `Server time: ${utcTime(new Date(Math.floor(Date.parse(clock.now) / 1000) * 1000).toISOString())}`;
  if (!clock.settable) return `${now} (the real time; only 'backend dev' has a clock that can be set)`;
  // Under a second off is the real time as far as anyone can tell (set, then reset, rounds).
  if (Math.abs(clock.offsetMs) < 1000) return `${now} (the real time)`;
  const way = clock.offsetMs > 0 ? "ahead of" : "behind";
  return `${now} (${formatDuration(clock.offsetMs)} ${way} the real time; 'backend clock reset' goes back)`;
}
