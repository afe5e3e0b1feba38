// `backend events ...`: the event catalogue, custom events, subscriptions, deliveries and traces,
// from a terminal. Each subcommand lives in ./events/ and talks to a running server with the admin
// key (src/cli/apiClient.ts). Event types may be given by alias (user_registered, doc_created...);
// the server answers with canonical names.
//   list                                         the event types with aliases, phase and subscribers
//   publish <type> [data] [--data-file F]        publish a custom event
//   subscribe <event> <function> [--priority N] [--inactive] [--filter JSON] [--on-error block|allow]
//   unsubscribe <event> <function>               remove a subscription
//   subscriptions [--event E] [--function F]     list the subscriptions
//   deliveries [--status S] [--event E] [--function F] [--limit N]   list deliveries, newest first
//   replay <id> [--data JSON]                    deliver a stored delivery's or event's data again
//   trace <id>                                   what caused what, as an indented tree
// Every listing takes --json.
import { Command } from "commander";
import { deliveriesCommand } from "./events/deliveries.js";
import { listCommand } from "./events/list.js";
import { publishCommand } from "./events/publish.js";
import { replayCommand } from "./events/replay.js";
import { subscribeCommand } from "./events/subscribe.js";
import { subscriptionsCommand } from "./events/subscriptions.js";
import { traceCommand } from "./events/trace.js";
import { unsubscribeCommand } from "./events/unsubscribe.js";

export function eventsCommand(): Command {
  return new Command("events")
    .description("list event types, publish events, manage subscriptions, inspect and replay deliveries")
    .addCommand(listCommand())
    .addCommand(publishCommand())
    .addCommand(subscribeCommand())
    .addCommand(unsubscribeCommand())
    .addCommand(subscriptionsCommand())
    .addCommand(deliveriesCommand())
    .addCommand(replayCommand())
    .addCommand(traceCommand());
}
