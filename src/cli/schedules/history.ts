// `backend schedules history <name> [--status S] [--limit N] [--before T] [--json]`: the ticks of a
// schedule, newest first: each run (on time, caught up, or run by hand; pending while earlier
// catch-up runs of it go), each tick skipped because the last run still went (overlap skip), missed
// while no server ran (catch_up none), or interrupted because its server stopped mid-run; with its
// execution (see `backend functions logs`) and error. A deleted schedule's history stays readable by
// its name.
import { Command, Option } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson, table } from "../functions/output.js";
import type { TickItem } from "./shapes.js";
import { parseInstant, utcTime } from "./times.js";

interface HistoryFlags {
  status?: string;
  limit?: string;
  before?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function historyCommand(): Command {
  return withTarget(
    new Command("history")
      .description("list a schedule's ticks, newest first: run, pending, skipped, missed or interrupted")
      .argument("<name>", "the schedule's name (or id)")
      .addOption(
        new Option("--status <status>", "only ticks in this state").choices([
          "pending",
          "running",
          "done",
          "failed",
          "interrupted",
          "skipped",
          "missed",
        ]),
      )
      .option("-n, --limit <n>", "at most this many (default 50, at most 1000)")
      .option("--before <date-time>", "only ticks scheduled before this instant (to page back)")
      .option("--json", "print JSON"),
  ).action(async (ref: string, flags: HistoryFlags) => {
    const query = new URLSearchParams();
    if (flags.status) query.set("status", flags.status);
    if (flags.limit !== undefined) query.set("limit", String(limitOf(flags.limit)));
    if (flags.before !== undefined) query.set("before", parseInstant(flags.before, "--before"));
    const { items } = await callApi<{ items: TickItem[] }>(targetFrom(flags), {
      method: "GET",
      path: `/api/schedules/${encodeURIComponent(ref)}/ticks${query.size > 0 ? `?${query}` : ""}`,
    });
    if (flags.json) return printJson(items);
    if (items.length === 0) {
      process.stdout.write(`No ticks yet. Run it now with: backend schedules run ${ref}\n`);
      return;
    }
    const rows = items.map((t) => [
      utcTime(t.scheduledAt),
      t.status,
      howOf(t),
      t.executionId ?? "-",
      t.error ? firstLine(t.error) : "-",
    ]);
    process.stdout.write(`${table(["SCHEDULED (UTC)", "STATUS", "HOW", "EXECUTION", "ERROR"], rows)}\n`);
  });
}

/** Why the tick was taken: on time, by hand, or for missed ones (and how many it stands for). */
function howOf(t: TickItem): string {
  const more = t.missed > 0 ? ` (+${t.missed} missed)` : "";
  if (t.manual) return "run now";
  if (t.status === "missed") return `missed${more}`;
  if (t.catchUp) return `catch-up${more}`;
  return `on time${more}`;
}

function limitOf(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliError(`--limit must be a whole number from 1 to 1000, not '${text}'`);
  return n;
}

/** A table row holds one line; the whole error is in --json. */
function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
