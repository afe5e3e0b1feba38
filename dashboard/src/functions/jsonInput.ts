// Parses JSON typed by an admin, with a message that says which box is wrong.
export function parseJsonInput(text: string, what: string): { value: unknown } | { problem: string } {
  if (text.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `${what} is not valid JSON: ${(error as Error).message}` };
  }
}

export function prettyJson(value: unknown): string {
  return value === undefined ? "undefined" : JSON.stringify(value, null, 2);
}
