// `backend events deliveries [--status S] [--event E] [--function F] [--limit N] [--json]`: the
// deliveries of POST and custom events to their handlers, newest first, with their attempts and
// last error; a dead one is replayed with `backend events replay <id>`.
import { Command, Option } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { ago, printJson, table } from "../functions/output.js";
import type { DeliveryItem } from "./shapes.js";

interface DeliveriesFlags {
  status?: string;
  event?: string;
  function?: string;
  limit?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function deliveriesCommand(): Command {
  return withTarget(
    new Command("deliveries")
      .description("list event deliveries, newest first, with status, attempts and last error")
      .addOption(
        new Option("--status <status>", "only this status").choices(["pending", "running", "done", "dead"]),
      )
      .option("--event <type>", "only this event type (or alias)")
      .option("--function <name>", "only this function")
      .option("-n, --limit <n>", "at most this many (default 50, at most 1000)")
      .option("--json", "print JSON"),
  ).action(async (flags: DeliveriesFlags) => {
    const query = new URLSearchParams();
    if (flags.status) query.set("status", flags.status);
    if (flags.event) query.set("event", flags.event);
    if (flags.function) query.set("function", flags.function);
    if (flags.limit !== undefined) query.set("limit", String(limitOf(flags.limit)));
    const { items } = await callApi<{ items: DeliveryItem[] }>(targetFrom(flags), {
      method: "GET",
      path: `/api/deliveries${query.size > 0 ? `?${query}` : ""}`,
    });
    if (flags.json) return printJson(items);
    if (items.length === 0) {
      process.stdout.write("No deliveries.\n");
      return;
    }
    const rows = items.map((d) => [
      d.id,
      d.event,
      d.function,
      d.status,
      `${d.attempts}/${d.maxAttempts}`,
      ago(d.createdAt),
      d.lastError ? firstLine(d.lastError) : "-",
    ]);
    process.stdout.write(
      `${table(["ID", "EVENT", "FUNCTION", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR"], rows)}\n`,
    );
  });
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
