// `backend events subscriptions [--event E] [--function F] [--json]`: which functions run on which
// event types, in the order they run (by priority), and where each subscription came from.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson, table } from "../functions/output.js";
import type { SubscriptionItem } from "./shapes.js";

interface SubscriptionsFlags {
  event?: string;
  function?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function subscriptionsCommand(): Command {
  return withTarget(
    new Command("subscriptions")
      .description("list the subscriptions: event type, function, priority, active, on error, filter")
      .option("--event <type>", "only this event type (or alias)")
      .option("--function <name>", "only this function")
      .option("--json", "print JSON"),
  ).action(async (flags: SubscriptionsFlags) => {
    const query = new URLSearchParams();
    if (flags.event) query.set("event", flags.event);
    if (flags.function) query.set("function", flags.function);
    const { items } = await callApi<{ items: SubscriptionItem[] }>(targetFrom(flags), {
      method: "GET",
      path: `/api/subscriptions${query.size > 0 ? `?${query}` : ""}`,
    });
    if (flags.json) return printJson(items);
    if (items.length === 0) {
      process.stdout.write("No subscriptions. Add one with: backend events subscribe <event> <function>\n");
      return;
    }
    const rows = items.map((s) => [
      s.event,
      s.function,
      String(s.priority),
      s.active ? "yes" : "no",
      s.onError,
      s.source,
      s.filter ? JSON.stringify(s.filter) : "-",
    ]);
    process.stdout.write(
      `${table(["EVENT", "FUNCTION", "PRIORITY", "ACTIVE", "ON ERROR", "SOURCE", "FILTER"], rows)}\n`,
    );
  });
}
