// `backend events list [--json]`: the catalogue of event types — system types with their aliases
// and phase, custom types once something subscribes to them — with subscriber counts.
import { Command } from "commander";
import { callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson, table } from "../functions/output.js";
import type { EventTypeItem } from "./shapes.js";

interface ListFlags {
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function listCommand(): Command {
  return withTarget(
    new Command("list")
      .description("list the event types with their aliases, phase, subscribers and description")
      .option("--json", "print JSON"),
  ).action(async (flags: ListFlags) => {
    const { items } = await callApi<{ items: EventTypeItem[] }>(targetFrom(flags), {
      method: "GET",
      path: "/api/events/types",
    });
    if (flags.json) return printJson(items);
    const rows = items.map((t) => [
      t.type,
      t.aliases.length > 0 ? t.aliases.join(", ") : "-",
      t.phase,
      subscribersOf(t),
      t.description,
    ]);
    process.stdout.write(`${table(["TYPE", "ALIASES", "PHASE", "SUBSCRIBERS", "DESCRIPTION"], rows)}\n`);
  });
}

/** "2", or "3 (1 inactive)" when some subscriptions are switched off. */
function subscribersOf(type: EventTypeItem): string {
  const inactive = type.subscribers - type.activeSubscribers;
  return inactive > 0 ? `${type.subscribers} (${inactive} inactive)` : String(type.subscribers);
}
