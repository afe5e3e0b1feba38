// Event data typed by an admin (a replay's edited payload, a test event's data): JSON, and an
// object, as the API requires, checked before anything is sent.
import { parseJsonInput } from "../functions/jsonInput.js";

/** The object, or why it cannot be sent; `what` names the box in the message. */
export function parseJsonObject(
  text: string,
  what: string,
): { data: Record<string, unknown> } | { problem: string } {
  const parsed = parseJsonInput(text, what);
  if ("problem" in parsed) return parsed;
  const value = parsed.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: `${what} must be a JSON object, such as { "orderId": 123 }.` };
  }
  return { data: value as Record<string, unknown> };
}
