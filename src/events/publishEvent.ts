// Custom events (`order_placed`): POST /api/events, the SDK's publishEvent, `backend.publishEvent`
// in functions and `backend events publish`. They run through the same pipeline as system events:
// stored in the outbox with one delivery per matching subscription, in one transaction. The
// publisher's identity comes from the session and reaches the handlers as `context.user`.
import { ForbiddenError, UnauthorizedError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { Deps } from "../deps.js";
import { canonicalType, systemEvent } from "./catalogue.js";
import { checkEventData } from "./eventData.js";
import type { ActionContext } from "./pipeline.js";

export interface Published {
  id: string;
  type: string;
  /** How many subscriptions will receive it. */
  deliveries: number;
}

export async function publishEvent(
  deps: Pick<Deps, "pipeline" | "config">,
  ctx: ActionContext,
  type: unknown,
  data: unknown,
): Promise<Published> {
  if (ctx.principal.kind === "anonymous") {
    throw new UnauthorizedError("Sign in to publish events: send 'Authorization: Bearer <token>'");
  }
  const name = canonicalType(type);
  if (systemEvent(name)) {
    throw new ForbiddenError(
      `${name} is a system event: the platform fires it itself. Publish an event of your own, e.g. order_placed`,
    );
  }
  const payload =
    data === undefined || data === null
      ? {}
      : checkEventData(data, deps.config.events.payloadBytes, "The event data").data;
  const id = newId();
  let deliveries = 0;
  await deps.pipeline.run({
    ctx,
    eventId: id,
    input: payload,
    write: async () => undefined,
    post: { type: name, data: () => payload },
    recorded: (n) => {
      deliveries = n;
    },
  });
  return { id, type: name, deliveries };
}
