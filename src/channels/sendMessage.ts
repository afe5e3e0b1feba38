// A message into a channel, from a client's socket, an admin's or server's HTTP call, or a function:
//   PRE_CHANNEL_MESSAGE handlers (which may block it or rewrite `message`) -> the POST
//   chan_in event in the outbox (always for users; when asked for admins, servers and functions)
//   -> every member of the channel, on every node.
// Who sent it comes from the caller's session; the caller has checked that they may send here
// (a socket must have joined; the HTTP route is for admins).
import { isAdmin } from "../auth/principal.js";
import { ForbiddenError, PayloadTooLargeError, ValidationError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import type { ActionContext } from "../events/pipeline.js";
import { hasSubscribers } from "../events/subscriptions/activeSubscriptions.js";
import { checkChannelName } from "./channelName.js";
import type { ChannelMessage } from "./envelope.js";
import { memberUserOf } from "./memberUser.js";
import { rulesOf } from "./rulesOf.js";

export const PRE_CHANNEL_MESSAGE = "PRE_CHANNEL_MESSAGE";
export const POST_CHANNEL_MESSAGE = "POST_CHANNEL_MESSAGE";

export interface SendOptions {
  /** Fire chan_in (POST_CHANNEL_MESSAGE). Messages from users always do; others only when asked. */
  event?: boolean;
}

export async function sendMessage(
  deps: Pick<Deps, "db" | "config" | "clock" | "pipeline" | "realtime">,
  ctx: ActionContext,
  name: unknown,
  message: unknown,
  options: SendOptions = {},
): Promise<ChannelMessage> {
  const channel = checkChannelName(name);
  const { principal } = ctx;
  const { rule } = rulesOf(deps.config).policyFor(channel, principal);
  if (rule.send === "admin" && !isAdmin(principal)) {
    throw new ForbiddenError(`Only admins, servers and functions send into '${channel}'`);
  }
  const limit = deps.config.channels.maxFrameBytes;
  const sent: ChannelMessage = {
    id: newId(),
    channel,
    user: memberUserOf(principal),
    message: checkMessage(message, limit, "The message"),
    timestamp: deps.clock.now().toISOString(),
  };
  // chan_in is stored (and delivered) only when a subscription listens: a busy channel with no
  // chan_in handler writes nothing per message.
  const fire =
    (principal.kind === "user" || options.event === true) &&
    (await hasSubscribers(deps.db, POST_CHANNEL_MESSAGE));
  return deps.pipeline.run<ChannelMessage, ChannelMessage>({
    ctx,
    eventId: sent.id,
    input: sent,
    pre: PRE_CHANNEL_MESSAGE,
    // A PRE handler may rewrite the message; the channel, sender, id and time stay the server's.
    validate: (data) => ({
      ...sent,
      message: checkMessage(data.message, limit, `The message from a ${PRE_CHANNEL_MESSAGE} handler`),
    }),
    ...(fire ? { post: { type: POST_CHANNEL_MESSAGE, data: (result: ChannelMessage) => result } } : {}),
    afterCommit: (result) => deps.realtime.publish({ kind: "message", message: result }),
  });
}

/** A message is any JSON value (not undefined) that fits the frame limit. */
function checkMessage(message: unknown, limit: number, what: string): unknown {
  if (message === undefined) throw new ValidationError(`${what} is missing: send { "message": <any JSON> }`);
  let text: string;
  try {
    text = JSON.stringify(message);
  } catch {
    throw new ValidationError(`${what} must be JSON`);
  }
  if (Buffer.byteLength(text) > limit) {
    throw new PayloadTooLargeError(`${what} is larger than channels.maxFrameBytes (${limit} bytes)`);
  }
  return message;
}
