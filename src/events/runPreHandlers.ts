// PRE: the subscribed handlers run inside the request, before the action's transaction, one after
// another in priority order, each with its own timeout. A handler may
//   - return `{ allow: false, message }` (or `false`): the action is refused with that message;
//   - return `{ allow: true, data }`: `data` replaces the payload;
//   - return any other object without `allow`: it replaces the payload;
//   - return nothing (or `{ allow: true }`): the payload goes on unchanged.
// The next handler, and the action (which validates it again), get the payload as it now is. A handler
// that throws or times out blocks the action (fail closed) unless its subscription says on_error: allow.
// Where nothing may happen unless a handler says so (joining a private channel), `outcome.granted`
// tells whether one answered `{ allow: true }` (or `true`).
import { BlockedError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import type { InvocationResult } from "../functions/invoke/invokeFunction.js";
import { invokeFunction } from "../functions/invoke/invokeFunction.js";
import { readGenerations } from "../storage/cacheGenerations.js";
import { checkDepth } from "./recordEvent.js";
import type { ActionContext, EventData } from "./pipeline.js";
import { type ActiveSubscription, subscribersOf } from "./subscriptions/activeSubscriptions.js";

export async function runPreHandlers(
  deps: Deps,
  type: string,
  input: EventData,
  ctx: ActionContext,
  eventId: string,
  outcome?: { granted: boolean },
): Promise<EventData> {
  // One read of the generations serves the subscriptions and every handler's function lookup.
  const generations = await readGenerations(deps.db);
  const subscribers = await subscribersOf(deps.db, deps.db, type, input, generations.subscriptions);
  if (subscribers.length === 0) return input;
  const depth = (ctx.depth ?? 0) + 1;
  checkDepth(type, depth, deps.config.events.maxDepth);
  let data = input;
  for (const subscription of subscribers) {
    let result: InvocationResult;
    try {
      result = await invokeFunction(deps, {
        name: subscription.functionName,
        trigger: "event",
        principal: ctx.principal,
        event: { id: eventId, type, data },
        cause: { kind: "event", id: eventId },
        eventDepth: depth,
        generations,
      });
    } catch (error) {
      failed(deps, subscription, type, (error as Error).message);
      continue;
    }
    if (result.status !== "success") {
      failed(deps, subscription, type, result.error?.message ?? result.status, result.executionId);
      continue;
    }
    const value = resultValue(result);
    if (outcome && (value === true || (isObject(value) && value.allow === true))) outcome.granted = true;
    data = verdict(value, data, subscription, type, result.executionId);
  }
  return data;
}

function verdict(
  value: unknown,
  data: EventData,
  subscription: ActiveSubscription,
  type: string,
  executionId: string,
): EventData {
  if (value === false) throw blocked(undefined, subscription, type, executionId);
  if (!isObject(value)) return data;
  if (!Object.hasOwn(value, "allow")) return value;
  if (value.allow === false) throw blocked(value.message, subscription, type, executionId);
  return isObject(value.data) ? value.data : data;
}

function blocked(message: unknown, subscription: ActiveSubscription, type: string, executionId: string) {
  const text =
    typeof message === "string" && message.trim() !== ""
      ? message
      : `Blocked by the ${type} handler '${subscription.functionName}'`;
  return new BlockedError(text, type, { function: subscription.functionName, executionId });
}

/** A handler that failed blocks the action, unless its subscription lets the action go on. */
function failed(
  deps: Deps,
  subscription: ActiveSubscription,
  type: string,
  reason: string,
  executionId?: string,
): void {
  if (subscription.onError === "allow") {
    deps.log.warn(
      { event: type, function: subscription.functionName, executionId, error: reason },
      "a PRE handler failed; its subscription says on_error: allow, so the action goes on",
    );
    return;
  }
  throw new BlockedError(
    `The action was blocked because its ${type} handler '${subscription.functionName}' failed: ${reason}`,
    type,
    { function: subscription.functionName, executionId: executionId ?? null },
  );
}

/** What the handler answered: its value, or the JSON body of a Response (Deno.serve). */
function resultValue(result: InvocationResult): unknown {
  if (!result.response) return result.result;
  try {
    return JSON.parse(new TextDecoder().decode(result.response.body));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
