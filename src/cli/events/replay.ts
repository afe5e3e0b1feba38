// `backend events replay <id> [--data JSON] [--json]`: delivers a stored event again. The id is a
// delivery's (from `backend events deliveries`: a new delivery of the same event to the same
// function) or an event's (a new delivery to every active subscriber of its type). --data replaces
// the payload, e.g. to retry a dead delivery with corrected data.
import { Command } from "commander";
import { type ApiTarget, CliError, readAnswer, send, targetFrom, withTarget } from "../apiClient.js";
import { printJson } from "../functions/output.js";
import { parseJsonArgument } from "./jsonArgument.js";
import type { DeliveryItem } from "./shapes.js";

interface ReplayFlags {
  data?: string;
  json?: boolean;
  url?: string;
  adminKey?: string;
}

/** What was replayed, and the deliveries that made. */
interface Replayed {
  replayed: "delivery" | "event";
  id: string;
  deliveries: DeliveryItem[];
}

export function replayCommand(): Command {
  return withTarget(
    new Command("replay")
      .description("deliver a stored event again, optionally with edited data")
      .argument("<id>", "a delivery id (see 'backend events deliveries') or an event id")
      .option("-d, --data <json>", "the data to deliver instead of the stored one")
      .option("--json", "print JSON"),
  ).action(async (id: string, flags: ReplayFlags) => {
    const body: { data?: unknown } = {};
    if (flags.data !== undefined)
      body.data = parseJsonArgument(flags.data, "--data", `--data '{"orderId":123}'`);
    const result = await replay(targetFrom(flags), id, body);
    if (flags.json) return printJson(result);
    const edited = flags.data === undefined ? "" : " with the edited data";
    if (result.deliveries.length === 0) {
      process.stdout.write(`Replayed event ${id}${edited}: no active subscription, nothing delivered\n`);
      return;
    }
    process.stdout.write(`Replayed ${result.replayed} ${id}${edited}:\n`);
    for (const d of result.deliveries) {
      process.stdout.write(`  delivery ${d.id}  ${d.event} -> ${d.function}  ${d.status}\n`);
    }
  });
}

/** Tries the id as a delivery, then as an event; a missing one on both is the user's mistake. */
async function replay(target: ApiTarget, id: string, body: { data?: unknown }): Promise<Replayed> {
  const asDelivery = { method: "POST", path: `/api/deliveries/${encodeURIComponent(id)}/replay`, body };
  const first = await send(target, asDelivery);
  if (first.status !== 404) {
    const delivery = await readAnswer<DeliveryItem>(asDelivery, first);
    return { replayed: "delivery", id, deliveries: [delivery] };
  }
  const asEvent = { method: "POST", path: `/api/events/${encodeURIComponent(id)}/replay`, body };
  const second = await send(target, asEvent);
  if (second.status === 404) {
    throw new CliError(
      `No delivery or event has the id ${id}. See the deliveries with: backend events deliveries`,
    );
  }
  const { deliveries } = await readAnswer<{ deliveries: DeliveryItem[] }>(asEvent, second);
  return { replayed: "event", id, deliveries };
}
