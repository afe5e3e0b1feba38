// events.publish for function code: `backend.publishEvent(type, data)` publishes a custom event as
// the execution's identity, traced to the execution and one event deeper than what started it, so a
// handler that keeps publishing what it handles is stopped by the loop guard.
import { publishEvent } from "../../events/publishEvent.js";
import { text } from "./args.js";
import { actionContext, type Op } from "./bridgeContext.js";

export const eventOps: Record<string, Op> = {
  "events.publish": async (call) =>
    publishEvent(call.deps, actionContext(call), text(call.args, 0, "The event type"), call.args[1]),
};
