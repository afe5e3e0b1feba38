// channels.send for function code: `backend.channels.send(channel, message, { event? })` reaches the
// channel's members on every node, as the server (members see `user: null`); chan_in fires only when
// `event: true` is passed, one event deeper than what started the function, so a chan_in handler that
// answers into the channel with events on is stopped by the loop guard.
import { sendMessage } from "../../channels/sendMessage.js";
import { ValidationError } from "../../core/errors.js";
import { text } from "./args.js";
import { actionContext, type Op } from "./bridgeContext.js";

export const channelOps: Record<string, Op> = {
  "channels.send": async (call) => {
    const options = call.args[2];
    if (
      options !== undefined &&
      (typeof options !== "object" || options === null || Array.isArray(options))
    ) {
      throw new ValidationError("The options of channels.send must be an object such as { event: true }");
    }
    const event = (options as { event?: unknown } | undefined)?.event;
    if (event !== undefined && typeof event !== "boolean") {
      throw new ValidationError("channels.send: 'event' must be true or false");
    }
    return sendMessage(call.deps, actionContext(call), text(call.args, 0, "The channel"), call.args[1], {
      event: event === true,
    });
  },
};
