// JSON typed by an admin (a function's config, a test payload, event data, a replay's edited
// payload, a channel message), checked before anything is sent, with a message that says which box
// is wrong; and JSON shown back, indented.

/** The value, or why the text is not JSON; empty text is `undefined`. `what` names the box. */
export function parseJsonInput(text: string, what: string): { value: unknown } | { problem: string } {
  if (text.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `${what} is not valid JSON: ${(error as Error).message}` };
  }
}

/** A JSON object, as event data must be, or why the text is not one. */
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

export function prettyJson(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value, null, 2);
}
