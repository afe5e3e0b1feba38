// The data an event carries, from outside (a publish, a replay's edit): a JSON object within
// events.payloadBytes, or a clear 400 / 413.
import { PayloadTooLargeError, ValidationError } from "../core/errors.js";
import type { EventData } from "./pipeline.js";

/** Checks `data` (named `what` in messages); answers it with its JSON text. */
export function checkEventData(data: unknown, max: number, what: string): { data: EventData; json: string } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ValidationError(`${what} must be a JSON object, e.g. { "orderId": 123 }`);
  }
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch {
    throw new ValidationError(`${what} must be JSON`);
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > max) {
    throw new PayloadTooLargeError(`${what} is ${bytes} bytes; events carry at most ${max} bytes`);
  }
  return { data: data as EventData, json };
}
