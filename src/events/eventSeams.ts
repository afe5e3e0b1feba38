// The real seams of the write pipeline (./pipeline.ts): PRE handlers before the transaction, the
// outbox rows inside it, and a wake-up of this node's dispatcher after the commit.
import type { Deps } from "../deps.js";
import type { EventSeams } from "./pipeline.js";
import { recordEvent } from "./recordEvent.js";
import { runPreHandlers } from "./runPreHandlers.js";
import { systemEvent } from "./catalogue.js";

export function eventSeams(deps: Deps): EventSeams {
  return {
    before: (type, data, ctx, eventId) => runPreHandlers(deps, type, data, ctx, eventId),
    record: (trx, event, ctx) =>
      recordEvent(deps, trx, event, ctx, systemEvent(event.type) ? "system" : "custom"),
    afterCommit: () => deps.dispatcher.wake(),
  };
}
