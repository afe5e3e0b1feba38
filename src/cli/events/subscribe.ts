// `backend events subscribe <event> <function> [--priority N] [--inactive] [--filter JSON]
// [--on-error block|allow] [--json]`: makes a deployed function a handler of an event type, the same
// subscription a `triggers.events` entry in function.jsonc makes (but kept when the function is
// redeployed without it: its source is "api").
import { Command, Option } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import { printJson } from "../functions/output.js";
import { parseJsonArgument } from "./jsonArgument.js";
import type { SubscriptionItem } from "./shapes.js";

interface SubscribeFlags {
  priority?: string;
  inactive?: boolean;
  filter?: string;
  onError?: "block" | "allow";
  json?: boolean;
  url?: string;
  adminKey?: string;
}

export function subscribeCommand(): Command {
  return withTarget(
    new Command("subscribe")
      .description("run a function on every event of a type")
      .argument("<event>", "the event type or alias, e.g. POST_USER_CREATE, user_registered, order_placed")
      .argument("<function>", "the deployed function's name")
      .option("--priority <n>", "lower runs first (default 0)")
      .option("--inactive", "create it switched off")
      .option("--filter <json>", `only events whose data matches, e.g. '{"collection":"orders"}'`)
      .addOption(
        new Option(
          "--on-error <what>",
          "PRE handlers: a throw or timeout blocks the action, or allows it",
        ).choices(["block", "allow"]),
      )
      .option("--json", "print JSON"),
  ).action(async (event: string, fn: string, flags: SubscribeFlags) => {
    const body: Record<string, unknown> = { event, function: fn };
    if (flags.priority !== undefined) body.priority = priorityOf(flags.priority);
    if (flags.inactive) body.active = false;
    if (flags.filter !== undefined)
      body.filter = parseJsonArgument(flags.filter, "--filter", `--filter '{"collection":"orders"}'`);
    if (flags.onError !== undefined) body.on_error = flags.onError;
    const sub = await callApi<SubscriptionItem>(targetFrom(flags), {
      method: "POST",
      path: "/api/subscriptions",
      body,
    });
    if (flags.json) return printJson(sub);
    const details = [
      `priority ${sub.priority}`,
      sub.active ? "active" : "inactive",
      `on error ${sub.onError}`,
    ];
    if (sub.filter) details.push(`filter ${JSON.stringify(sub.filter)}`);
    process.stdout.write(`Subscribed ${sub.function} to ${sub.event} (${details.join(", ")})\n`);
  });
}

function priorityOf(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n))
    throw new CliError(`--priority must be a whole number such as 10, not '${text}'`);
  return n;
}
