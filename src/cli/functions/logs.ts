// `backend functions logs [name] [--follow] [--since <duration|date>] [--level <level>] [--json]`:
// the latest log lines of executions, oldest first; --follow keeps printing new lines (from the
// server's event stream) until Ctrl-C. --json prints one JSON object per line.
import { Command, Option } from "commander";
import { type ApiTarget, CliError, callApi, send, targetFrom, withTarget } from "../apiClient.js";
import { sseData } from "./sseLines.js";

interface LogsFlags {
  follow?: boolean;
  since?: string;
  level?: string;
  json?: boolean;
  limit?: string;
  url?: string;
  adminKey?: string;
}

interface LogLine {
  id: string;
  executionId: string;
  function: string;
  seq: number;
  level: string;
  time: string;
  message: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function logsCommand(): Command {
  return withTarget(
    new Command("logs")
      .description("print the latest log lines of functions; --follow for new ones as they come")
      .argument("[name]", "only this function")
      .option("-f, --follow", "keep printing new lines until interrupted")
      .option(
        "--since <when>",
        "only lines since a duration ago (30s, 10m, 2h, 1d) or a date (2030-01-01T09:00:00Z)",
      )
      .addOption(
        new Option("--level <level>", "only this level and above").choices([
          "debug",
          "info",
          "warn",
          "error",
        ]),
      )
      .option("-n, --limit <n>", "at most this many earlier lines (default 100, at most 1000)")
      .option("--json", "one JSON object per line"),
  ).action(async (name: string | undefined, flags: LogsFlags) => {
    const target = targetFrom(flags);
    const filter = { function: name, level: flags.level };
    const print = (line: LogLine) =>
      process.stdout.write(flags.json ? `${JSON.stringify(line)}\n` : format(line));
    // The stream opens before the history is read, so no line falls between the two.
    const stream = flags.follow ? await openStream(target, filter) : undefined;
    const query = new URLSearchParams();
    if (name) query.set("function", name);
    if (flags.level) query.set("level", flags.level);
    if (flags.since) query.set("since", sinceDate(flags.since));
    query.set("limit", String(limitOf(flags.limit)));
    const history = await callApi<{ items: LogLine[] }>(target, {
      method: "GET",
      path: `/api/logs?${query}`,
    });
    const printed = new Set<string>();
    for (const line of history.items.reverse()) {
      printed.add(line.id);
      print(line);
    }
    if (stream) await follow(stream, printed, print);
  });
}

async function openStream(
  target: ApiTarget,
  filter: { function?: string | undefined; level?: string | undefined },
) {
  const query = new URLSearchParams();
  if (filter.function) query.set("function", filter.function);
  if (filter.level) query.set("level", filter.level);
  const response = await send(target, {
    method: "GET",
    path: `/api/logs/stream?${query}`,
    headers: { accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      // Not our JSON error: show the text as it came.
    }
    throw new CliError(`Cannot follow the logs (${response.status}): ${message}`);
  }
  return response.body;
}

async function follow(
  body: ReadableStream<Uint8Array>,
  printed: Set<string>,
  print: (line: LogLine) => void,
): Promise<void> {
  // Following ends only when the user stops it; that is a normal end, not an error.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
  try {
    for await (const data of sseData(body)) {
      const line = JSON.parse(data) as LogLine;
      if (printed.delete(line.id)) continue;
      print(line);
    }
  } catch (error) {
    throw new CliError(`The log stream broke off: ${(error as Error).message}`);
  }
  throw new CliError("The server closed the log stream");
}

function format(line: LogLine): string {
  const head = `${line.time} ${line.level.toUpperCase().padEnd(5)} ${line.function}`;
  const [first, ...rest] = line.message.split("\n");
  const indent = " ".repeat(head.length + 1);
  return `${head} ${first}\n${rest.map((l) => `${indent}${l}\n`).join("")}`;
}

/** `10m` -> the ISO date ten minutes ago; an ISO date as it is. */
export function sinceDate(text: string, now = Date.now()): string {
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (duration) return new Date(now - Number(duration[1]) * UNITS[duration[2]!]!).toISOString();
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new CliError(
      `--since must be a duration (30s, 10m, 2h, 1d) or a date (2030-01-01T09:00:00Z), not '${text}'`,
    );
  }
  return new Date(ms).toISOString();
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 100;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000)
    throw new CliError("--limit must be a whole number from 1 to 1000");
  return n;
}
