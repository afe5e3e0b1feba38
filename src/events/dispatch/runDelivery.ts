// One attempt of one delivery: the subscribed function runs with the event (or a replay's edited
// data), as the identity that caused the event, traced to the delivery. Its outcome decides the
// delivery's fate; nothing it does can reach the action that fired the event.
import { NotFoundError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { invokeFunction } from "../../functions/invoke/invokeFunction.js";
import type { DeliveriesTable, EventsTable } from "../../storage/schema.js";
import { readJson } from "../../storage/store.js";
import { actorOf } from "../actor.js";
import { LOOP_STOPPED } from "../recordEvent.js";

export type AttemptOutcome =
  | { ok: true; executionId: string }
  | { ok: false; error: string; executionId: string | null; permanent: boolean };

export async function runDelivery(
  deps: Deps,
  delivery: DeliveriesTable,
  event: EventsTable | undefined,
): Promise<AttemptOutcome> {
  if (!event) {
    return {
      ok: false,
      error: "The event of this delivery no longer exists",
      executionId: null,
      permanent: true,
    };
  }
  const data = readJson(delivery.data ?? event.data);
  try {
    const result = await invokeFunction(deps, {
      name: delivery.function_name,
      trigger: "event",
      principal: actorOf(event.actor),
      event: {
        id: event.id,
        type: event.type,
        data,
        deliveryId: delivery.id,
        attempt: Number(delivery.attempts),
      },
      cause: { kind: "delivery", id: delivery.id },
      eventDepth: Number(event.depth),
    });
    if (result.status === "success") return { ok: true, executionId: result.executionId };
    const message = result.error?.message ?? "the handler failed";
    // A run stopped by the loop guard would be stopped again on every retry.
    const permanent = message.includes(LOOP_STOPPED);
    return { ok: false, error: `${result.status}: ${message}`, executionId: result.executionId, permanent };
  } catch (error) {
    if (error instanceof NotFoundError) {
      return {
        ok: false,
        error: `The function '${delivery.function_name}' no longer exists`,
        executionId: null,
        permanent: true,
      };
    }
    return { ok: false, error: (error as Error).message, executionId: null, permanent: false };
  }
}
