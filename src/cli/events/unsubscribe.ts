// `backend events unsubscribe <event> <function>`: removes the subscription of a function to an
// event type (looked up by both, so aliases work), whatever created it. One that came from the
// function's function.jsonc may come back with a later deploy, so the message says where it is.
import { Command } from "commander";
import { CliError, callApi, targetFrom, withTarget } from "../apiClient.js";
import type { SubscriptionItem } from "./shapes.js";

interface UnsubscribeFlags {
  url?: string;
  adminKey?: string;
}

export function unsubscribeCommand(): Command {
  return withTarget(
    new Command("unsubscribe")
      .description("stop running a function on an event type")
      .argument("<event>", "the event type or alias")
      .argument("<function>", "the function's name"),
  ).action(async (event: string, fn: string, flags: UnsubscribeFlags) => {
    const target = targetFrom(flags);
    const query = new URLSearchParams({ event, function: fn });
    const { items } = await callApi<{ items: SubscriptionItem[] }>(target, {
      method: "GET",
      path: `/api/subscriptions?${query}`,
    });
    const found = items.filter((s) => s.function === fn);
    if (found.length === 0) {
      throw new CliError(
        `${fn} is not subscribed to ${event}. See the subscriptions with: backend events subscriptions --function ${fn}`,
      );
    }
    for (const sub of found) {
      await callApi(target, { method: "DELETE", path: `/api/subscriptions/${encodeURIComponent(sub.id)}` });
      process.stdout.write(`Unsubscribed ${sub.function} from ${sub.event}\n`);
      if (sub.source === "config") {
        process.stderr.write(
          `It came from ${sub.function}'s function.jsonc: remove it there too, or a later deploy may bring it back\n`,
        );
      }
    }
  });
}
